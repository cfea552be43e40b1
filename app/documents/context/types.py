"""What the context builder reads: a case's facts as plain frozen data, and the options
of one draft."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app import clock


@dataclass(frozen=True)
class ClientData:
    civility: str
    last_name: str
    first_names: str
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    address: str = ""
    email: str | None = None
    phone: str | None = None
    agdref: str | None = None
    entry_date: date | None = None
    document_type: str = "none"
    document_number: str | None = None
    document_expiry: date | None = None
    legal_aid_status: str = "none"
    legal_aid_bureau: str | None = None
    legal_aid_decision: str | None = None
    legal_aid_request_date: date | None = None
    legal_aid_decision_date: date | None = None


@dataclass(frozen=True)
class AttemptData:
    at: datetime
    outcome: str
    message: str
    page_url: str | None
    procedure_selected: str
    exhibit: int | None


@dataclass(frozen=True)
class ContactData:
    channel: str
    sent_date: date
    recipient: str
    letter_number: str | None
    delivered_date: date | None
    response_date: date | None
    response_outcome: str
    response_summary: str
    exhibits: tuple[int, ...] = ()
    summary: str = ""
    id: str = ""


@dataclass(frozen=True)
class UrgencyData:
    kind: str
    day: date
    description: str
    exhibit: int | None = None


@dataclass(frozen=True)
class ExhibitData:
    number: int
    label: str
    file_name: str
    kind: str = "other"


@dataclass(frozen=True)
class LawyerData:
    name: str
    bar: str
    toque: str = ""
    email: str | None = None
    phone: str = ""
    civility: str = "madame"


@dataclass(frozen=True)
class Snapshot:
    reference: str
    client: ClientData
    defendant: str
    salutation: str
    department_of: str
    department_name: str
    prefecture_city: str
    prefecture_address: str
    prefecture_email: str
    tribunal_name: str
    tribunal_address: str
    tribunal_code: str
    procedure_label: str
    procedure_basis: str
    is_renewal: bool
    booking_channel: str
    booking_url: str | None
    firm_name: str
    firm_address: str
    firm_city: str
    firm_phone: str
    firm_email: str
    firm_letterhead: str
    lawyer: LawyerData | None
    today: date
    attempts: tuple[AttemptData, ...] = ()
    contacts: tuple[ContactData, ...] = ()
    urgency: tuple[UrgencyData, ...] = ()
    exhibits: tuple[ExhibitData, ...] = ()
    zone: ZoneInfo = clock.PARIS  # the préfecture's wall clock for every date and time
    request_phrase: str = ""
    aes_motif: str | None = None
    file_complete: bool = False
    service_name: str = ""
    has_oqtf: bool = False
    oqtf_executed: bool = False


@dataclass(frozen=True)
class Options:
    variant: str = "registered_letter"  # letters: registered_letter | email
    delay_days: int = 15
    latest_appointment_days: int = 30
    astreinte_cents: int = 10_000
    costs_cents: int = 150_000
    response_days: int = 15  # the délai a letter gives the préfecture (policy)
    oqtf: dict[str, Any] | None = None  # the lawyer's statement when overriding the OQTF blocker
    exclude_contact_id: str | None = None  # the contact a letter stands for: never cited
    contacts_before: date | None = None  # a letter cites only requests made before it
    extra: dict[str, Any] = field(default_factory=dict)
