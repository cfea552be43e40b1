import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.api import API_PREFIX
from app.audit import access
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.clients import service
from app.clients.schemas import ClientCreate, ClientRead, ClientUpdate
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import IfMatch, check_if_match, etag_for, set_etag
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import (
    CursorQuery,
    ExternalRefQuery,
    LimitQuery,
    Page,
    UpdatedSinceQuery,
    decode_cursor,
    page_of,
)

router = APIRouter(prefix="/clients", tags=["clients"])

Reader = Annotated[Principal, require(Permission.clients_read)]
Writer = Annotated[Principal, require(Permission.clients_write)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientRead,
    summary="Create a client",
    description="Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 409, 422),
)
def create_client(
    session: SessionDep, *, actor: Writer, body: ClientCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    client = service.create_client(session, actor=actor, data=body)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=ClientRead.model_validate(client),
        headers={"ETag": etag_for(client.version), "Location": f"{API_PREFIX}/clients/{client.id}"},
    )


@router.get("", summary="List clients by name", responses=problem_responses(400, 401, 403, 422))
def list_clients(
    request: Request,
    session: SessionDep,
    actor: Reader,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name.")] = None,
    external_ref: ExternalRefQuery = None,
    updated_since: UpdatedSinceQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[ClientRead]:
    after = None
    if cursor:
        name, last_id = decode_cursor(cursor, str, uuid.UUID)
        after = (name, last_id)
    rows = service.list_clients(
        session,
        search=q,
        after=after,
        limit=limit + 1,
        external_ref=external_ref,
        updated_since=updated_since,
    )
    clients = {c.id: c.search_name for c in rows}
    items = [ClientRead.model_validate(c) for c in rows]
    # Each record in the page is a read of that client's data (the page holds one more row
    # than it shows, to know whether another page follows).
    access.record_reads(
        request, session, actor, action="client.list", resource_type="client",
        reads=[(c.id, c.id) for c in items[:limit]],
    )  # fmt: skip
    return page_of(items, limit, lambda c: [clients[c.id], c.id])


@router.get("/{client_id}", summary="Read a client", responses=problem_responses(401, 403, 404))
def read_client(
    request: Request, session: SessionDep, actor: Reader, client_id: uuid.UUID, response: Response
) -> ClientRead:
    client = service.get_client(session, client_id=client_id)
    access.record_read(
        request, session, actor, client_id=client.id, action="client.read", resource_type="client",
        resource_id=client.id,
    )  # fmt: skip
    set_etag(response, client.version)
    return ClientRead.model_validate(client)


@router.patch(
    "/{client_id}",
    summary="Update a client (send If-Match to refuse a stale write)",
    responses=problem_responses(401, 403, 404, 412, 422),
)
def update_client(
    session: SessionDep,
    *,
    actor: Writer,
    client_id: uuid.UUID,
    body: ClientUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ClientRead:
    client = service.get_client(session, client_id=client_id, for_update=True)
    check_if_match(if_match, client.version)
    service.update_client(session, actor=actor, client=client, data=body)
    set_etag(response, client.version)
    return ClientRead.model_validate(client)
