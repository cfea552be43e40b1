"""Every table, imported once so Alembic and the mapper see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import ApiKey, User

__all__ = ["ApiKey", "AuditEvent", "User"]
