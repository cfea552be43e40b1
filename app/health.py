"""Liveness and readiness probes: the only routes that need no credentials."""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
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


@router.get("", summary="Liveness: the process answers", response_model_exclude_none=True)
async def live() -> Health:
    # Async on purpose: no database, no thread-pool hop, so a probe costs what the event loop does.
    return Health(status="ok")


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
