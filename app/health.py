"""Liveness and readiness probes: the only routes that need no credentials."""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.schema import current_revisions

logger = logging.getLogger("app.health")
router = APIRouter(prefix="/health", tags=["health"])


class Health(BaseModel):
    status: str
    database: str | None = None
    migrations: str | None = None


_LIVE = Health(status="ok").model_dump_json(exclude_none=True).encode()


@router.get("", summary="Liveness: the process answers", response_model=Health)
async def live() -> Response:
    # Async on purpose: no database, no thread-pool hop, and a constant answer already
    # serialised: a probe (and a load balancer's every few seconds) costs what the event loop does.
    return Response(_LIVE, media_type="application/json")


@router.get(
    "/ready",
    summary="Readiness: database reachable and schema at the latest migration",
    response_model=Health,
    responses={503: {"model": Health, "description": "Not ready"}},
)
def ready(request: Request) -> JSONResponse:
    heads: set[str] = request.app.state.migration_heads
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = current_revisions(connection)
    except SQLAlchemyError:
        logger.warning("readiness: database unreachable", exc_info=True)
        body = Health(status="unavailable", database="unreachable")
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    at_head = current == heads
    body = Health(
        status="ok" if at_head else "unavailable",
        database="ok",
        migrations="at head" if at_head else "pending",
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if at_head else 503)
