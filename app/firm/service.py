from sqlmodel import Session

from app.audit import service as audit
from app.auth.principal import Principal
from app.db import utcnow
from app.firm.models import FirmProfile
from app.firm.schemas import FirmUpdate


def get_profile(session: Session) -> FirmProfile:
    return session.get(FirmProfile, 1) or FirmProfile(id=1)


def update_profile(session: Session, *, actor: Principal, data: FirmUpdate) -> FirmProfile:
    profile = session.get(FirmProfile, 1) or FirmProfile(id=1)
    for field, value in data.model_dump(mode="json").items():
        setattr(profile, field, value if value is not None else "")
    profile.version += 1
    profile.updated_at = utcnow()
    session.add(profile)
    audit.record(session, actor=actor, action="firm.update", resource_type="firm", resource_id="1")
    return profile
