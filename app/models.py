"""Every table, imported once so Alembic and the mapper see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import ApiKey, User
from app.cases.models import Case, ReferenceCounter, StageChange, UrgencyFact
from app.clients.models import Client, ClientNameToken
from app.prefectures.models import Prefecture, Procedure, Tribunal

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Case",
    "Client",
    "ClientNameToken",
    "Prefecture",
    "Procedure",
    "ReferenceCounter",
    "StageChange",
    "Tribunal",
    "UrgencyFact",
    "User",
]
