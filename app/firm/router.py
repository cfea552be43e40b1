from typing import Annotated

from fastapi import APIRouter, Response

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import IfMatch, check_if_match, set_etag
from app.firm import service
from app.firm.schemas import FirmRead, FirmUpdate

router = APIRouter(prefix="/firm", tags=["firm"])


@router.get(
    "", summary="The firm's identity on its documents", responses=problem_responses(401, 403)
)
def read_firm(
    session: SessionDep,
    *,
    actor: Annotated[Principal, require(Permission.profile_read)],
    response: Response,
) -> FirmRead:
    profile = service.get_profile(session)
    set_etag(response, profile.version)
    return FirmRead.model_validate(profile)


@router.put(
    "",
    summary="Set the firm's identity: name, lawyers, address, letterhead (admin)",
    responses=problem_responses(401, 403, 412, 422),
)
def update_firm(
    session: SessionDep,
    *,
    actor: Annotated[Principal, require(Permission.firm_edit)],
    body: FirmUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> FirmRead:
    check_if_match(if_match, service.get_profile(session).version)
    profile = service.update_profile(session, actor=actor, data=body)
    set_etag(response, profile.version)
    return FirmRead.model_validate(profile)
