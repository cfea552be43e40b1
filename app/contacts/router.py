import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.dependencies import CaseDep
from app.contacts import service
from app.contacts.schemas import ContactCreate, ContactRead, ContactUpdate
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import IfMatch, check_if_match, etag_for, set_etag
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page, PageParams

router = APIRouter(prefix="/cases/{case_id}/contacts", tags=["contacts"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactRead,
    summary="Record a request to the préfecture (e-mail, registered letter, visit…)",
    description="Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 422),
)
def create_contact(
    session: SessionDep, *, actor: Writer, case: CaseDep, body: ContactCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    contact = service.create_contact(session, actor=actor, case=case, data=body)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=ContactRead.model_validate(contact),
        headers={
            "ETag": etag_for(contact.version),
            "Location": f"{API_PREFIX}/cases/{case.id}/contacts/{contact.id}",
        },
    )


@router.get(
    "", summary="The case's contacts, oldest first", responses=problem_responses(401, 403, 404)
)
def list_contacts(
    session: SessionDep, *, actor: Reader, case: CaseDep, page: PageParams
) -> Page[ContactRead]:
    rows, cursor = service.page_contacts(session, case_id=case.id, page=page)
    return Page(items=[ContactRead.model_validate(c) for c in rows], next_cursor=cursor)


@router.get("/{contact_id}", summary="Read a contact", responses=problem_responses(401, 403, 404))
def read_contact(
    session: SessionDep, *, actor: Reader, case: CaseDep, contact_id: uuid.UUID, response: Response
) -> ContactRead:
    contact = service.get_contact(session, case=case, contact_id=contact_id)
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)


@router.patch(
    "/{contact_id}",
    summary="Update a contact: acknowledgement received, answer received…",
    responses=problem_responses(401, 403, 404, 412, 422),
)
def update_contact(
    session: SessionDep,
    *,
    actor: Writer,
    case: CaseDep,
    contact_id: uuid.UUID,
    body: ContactUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ContactRead:
    contact = service.get_contact(session, case=case, contact_id=contact_id, for_update=True)
    check_if_match(if_match, contact.version)
    service.update_contact(session, actor=actor, contact=contact, data=body)
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)
