import re
import uuid
from datetime import date, datetime
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, ConfigDict, EmailStr, Field, StringConstraints

from app import clock
from app.bodies import ExternalRef, PatchBody, StrictBody, TextSafe
from app.clients.models import Civility, LegalAidStatus, ResidenceDocumentType


def _not_in_future(value: date) -> date:
    if value > clock.today():
        raise ValueError("date is in the future")
    if value.year < 1900:
        raise ValueError("date is before 1900")
    return value


# A number typed without its country code is French: metropolitan first, then the
# overseas territories, whose numbers have their own country codes (« 0692 … » is +262).
FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF")


def _phone(value: str) -> str:
    for region in FRENCH_REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError("not a phone number") from exc
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if value.lstrip().startswith("+"):
            break  # a country code was given: no other region to try
    raise ValueError("not a valid phone number")


def _agdref(value: str) -> str:
    digits = re.sub(r"[\s.-]", "", value)
    if not re.fullmatch(r"\d{9,10}", digits):
        raise ValueError("an AGDREF (foreign-national) number has 9 or 10 digits")
    return digits


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Names = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
PastDate = Annotated[date, AfterValidator(_not_in_future)]
Phone = Annotated[str, StringConstraints(max_length=30), AfterValidator(_phone)]
Agdref = Annotated[str, StringConstraints(max_length=20), AfterValidator(_agdref)]
DocNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class ClientFields(TextSafe):
    civility: Civility = Field(description="Also drives agreement in documents: né / née.")
    last_name: Name
    first_names: Names
    birth_date: PastDate | None = None
    birth_place: ShortText = ""
    nationality: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] = ""
    address: LongText = ""
    email: EmailStr | None = None
    phone: Phone | None = Field(default=None, description="Stored in E.164; French by default.")
    agdref: Agdref | None = Field(
        default=None, description="Foreign-national number, 9 or 10 digits."
    )
    entry_date: PastDate | None = Field(default=None, description="Date of entry to France.")
    residence_document_type: ResidenceDocumentType = ResidenceDocumentType.none
    residence_document_number: DocNumber | None = None
    residence_document_expiry_date: date | None = None
    has_oqtf: bool = Field(default=False, description="An expulsion order (OQTF) exists.")
    oqtf_executed: bool = False
    legal_aid_status: LegalAidStatus = LegalAidStatus.none
    legal_aid_bureau: ShortText | None = Field(
        default=None, description="The bureau d'aide juridictionnelle, e.g. « de Bobigny »."
    )
    legal_aid_request_date: PastDate | None = Field(
        default=None, description="Day legal aid was requested."
    )
    legal_aid_decision_number: DocNumber | None = None
    legal_aid_decision_date: PastDate | None = Field(
        default=None, description="Day legal aid was granted."
    )
    external_ref: ExternalRef | None = None


class ClientCreate(ClientFields, StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "civility": "madame",
                    "last_name": "Ben Salah",
                    "first_names": "Hélène Amira",
                    "birth_date": "1990-04-12",
                    "birth_place": "Sfax (Tunisie)",
                    "nationality": "tunisienne",
                    "address": "12 rue des Lilas, 93100 Montreuil",
                    "phone": "06 12 34 56 78",
                    "external_ref": "DMS-2026-0042",
                }
            ]
        }
    )


class ClientUpdate(PatchBody):
    clearable = frozenset(
        {
            "birth_date", "email", "phone", "agdref", "entry_date", "residence_document_number",
            "residence_document_expiry_date", "legal_aid_bureau", "legal_aid_decision_number",
            "legal_aid_request_date", "legal_aid_decision_date", "external_ref",
        }
    )  # fmt: skip

    civility: Civility | None = None
    last_name: Name | None = None
    first_names: Names | None = None
    birth_date: PastDate | None = None
    birth_place: ShortText | None = None
    nationality: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = (
        None
    )
    address: LongText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    agdref: Agdref | None = None
    entry_date: PastDate | None = None
    residence_document_type: ResidenceDocumentType | None = None
    residence_document_number: DocNumber | None = None
    residence_document_expiry_date: date | None = None
    has_oqtf: bool | None = None
    oqtf_executed: bool | None = None
    legal_aid_status: LegalAidStatus | None = None
    legal_aid_bureau: ShortText | None = None
    legal_aid_request_date: PastDate | None = None
    legal_aid_decision_number: DocNumber | None = None
    legal_aid_decision_date: PastDate | None = None
    external_ref: ExternalRef | None = None


class ClientRead(ClientFields):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str | None = None
    phone: str | None = None
    agdref: str | None = None
    birth_date: date | None = None
    entry_date: date | None = None
    legal_aid_request_date: date | None = None
    legal_aid_decision_date: date | None = None
    erased_at: datetime | None = Field(
        default=None, description="When the client's personal data was erased (RGPD art. 17)."
    )
    version: int
    created_at: datetime
    updated_at: datetime
