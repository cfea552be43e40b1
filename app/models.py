"""Every table, imported once so Alembic and the mapper see the whole schema."""

from app.attempts.models import BookingAttempt
from app.audit.models import AccessEntry, AuditEvent
from app.auth.models import ApiKey, User
from app.cases.models import Case, ReferenceCounter, StageChange, UrgencyFact
from app.client_links.models import UploadLink
from app.clients.models import Client, ClientNameToken
from app.contacts.models import PrefectureContact
from app.documents.models import DocumentTemplate, GeneratedDocument
from app.events.models import Event, EventSequencer
from app.evidence.models import Evidence, EvidenceChainHead, ExhibitPlan
from app.evidence.reading.models import Reading, RefusalMessage
from app.filings.models import Filing
from app.firm.models import FirmProfile
from app.idempotency.models import IdempotencyRecord
from app.jobs.models import Job, Lease
from app.personal_data.models import Export
from app.prefectures.models import Prefecture, Procedure, Tribunal
from app.proceedings.models import Proceeding
from app.webhooks.models import Delivery, DeliveryAttempt, Subscription

__all__ = [
    "AccessEntry",
    "ApiKey",
    "AuditEvent",
    "BookingAttempt",
    "Case",
    "Client",
    "ClientNameToken",
    "Delivery",
    "DeliveryAttempt",
    "DocumentTemplate",
    "Event",
    "EventSequencer",
    "Evidence",
    "EvidenceChainHead",
    "ExhibitPlan",
    "Export",
    "Filing",
    "FirmProfile",
    "GeneratedDocument",
    "IdempotencyRecord",
    "Job",
    "Lease",
    "Prefecture",
    "PrefectureContact",
    "Procedure",
    "Proceeding",
    "Reading",
    "ReferenceCounter",
    "RefusalMessage",
    "StageChange",
    "Subscription",
    "Tribunal",
    "UploadLink",
    "UrgencyFact",
    "User",
]
