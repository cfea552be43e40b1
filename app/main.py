"""Application factory: settings in, a wired FastAPI app out."""

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from starlette.requests import ClientDisconnect

from app import wiring
from app.agenda.calendar import is_working_day
from app.agenda.router import agenda_router
from app.agenda.router import cases_router as case_agenda_router
from app.api import API_PREFIX
from app.attempts.router import router as attempts_router
from app.audit.router import router as audit_router
from app.auth import service as auth_service
from app.auth.credentials import CredentialCache
from app.auth.router import api_keys_router, auth_router, users_router
from app.blobstore.storage import make_blob_store
from app.cases.router import router as cases_router
from app.client_links import page as client_page
from app.client_links.router import router as client_links_router
from app.clients.router import router as clients_router
from app.config import Settings, get_settings, runs_embedded_worker
from app.contacts.router import router as contacts_router
from app.db import begin_write, make_engine, utcnow
from app.documents.router import cases_router as case_documents_router
from app.documents.router import documents_router, templates_router
from app.errors import db_error_summary, install_error_handlers, problem_response
from app.etags import ConditionalGetMiddleware
from app.events.router import router as events_router
from app.evidence.current import current_of_case
from app.evidence.queue_router import router as review_queue_router
from app.evidence.reading.router import router as refusal_messages_router
from app.evidence.router import cases_router as case_evidence_router
from app.evidence.router import evidence_router
from app.filings.router import cases_router as case_filings_router
from app.filings.router import filings_router
from app.firm.router import router as firm_router
from app.health import router as health_router
from app.hygiene import HygieneMiddleware
from app.idempotency.dependencies import refuse_unhonoured_key
from app.logs import configure_logging
from app.openapi import TITLE, install_docs, install_openapi, operation_id
from app.personal_data.router import router as personal_data_router
from app.prefectures.router import prefectures_router, procedures_router, tribunals_router
from app.proceedings.router import router as proceedings_router
from app.readiness.router import router as readiness_router
from app.readiness.service import ReadinessGuard
from app.request_context import RequestContextMiddleware
from app.schema import current_revisions, head_revisions
from app.statistics.router import router as statistics_router
from app.webhooks.router import router as webhooks_router
from app.worker import registry

logger = logging.getLogger("app")

# FastAPI finds a request's route by trying each router in turn, each route in turn: the
# routers a frontend reads on every screen come first (their paths overlap no other's).
API_ROUTERS = (
    cases_router,
    readiness_router,
    users_router,
    clients_router,
    auth_router,
    api_keys_router,
    attempts_router,
    case_evidence_router,
    contacts_router,
    proceedings_router,
    case_agenda_router,
    agenda_router,
    case_documents_router,
    evidence_router,
    review_queue_router,
    audit_router,
    prefectures_router,
    tribunals_router,
    procedures_router,
    documents_router,
    templates_router,
    firm_router,
    case_filings_router,
    filings_router,
    events_router,
    webhooks_router,
    client_links_router,
    refusal_messages_router,
    statistics_router,
    personal_data_router,
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    _create_first_admin(app)
    # The holiday calendar builds its classes on first use: pay for it here, not in a request.
    is_working_day(utcnow().date())
    # Everything loaded so far lives as long as the process: keep it out of the
    # collector's way, or each full collection rescans it (a large share of the time
    # of requests that allocate thousands of rows, such as the agenda).
    gc.freeze()
    stop = threading.Event()
    worker = None
    if runs_embedded_worker(app.state.settings):
        # Each uvicorn worker process runs one; claims and leases keep them from colliding.
        runner = registry.build(app.state.settings, app.state.session_factory)
        worker = threading.Thread(target=runner.run, args=(stop,), name="jobs", daemon=True)
        worker.start()
    yield
    stop.set()
    if worker is not None:
        worker.join(timeout=10)
    app.state.engine.dispose()


def _create_first_admin(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    if not (settings.admin_email and settings.admin_password):
        return
    with app.state.engine.connect() as connection:
        if current_revisions(connection) != app.state.migration_heads:
            logger.warning("first admin not created: migrations are not at head")
            return
    # Several workers or replicas start together: the write lock (SQLite) or the unique
    # e-mail (PostgreSQL) lets one of them create the admin; the others find it there, or
    # meet it on insert. A worker whose start-up fails makes uvicorn stop the whole server.
    try:
        with app.state.session_factory() as session:
            begin_write(session)
            user = auth_service.ensure_first_admin(
                session,
                email=settings.admin_email,
                password=settings.admin_password.get_secret_value(),
            )
            session.commit()
    except IntegrityError:
        logger.info("first admin already created by another process")
        return
    if user is not None:
        logger.info("first admin created from CRENEAU_ADMIN_EMAIL")


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # A race lost against a unique constraint.
    logger.warning("integrity error: %s", db_error_summary(exc))
    return problem_response(
        request,
        status=409,
        slug="conflict",
        title="Conflict with the current state",
        detail="The change conflicts with data saved meanwhile; reload and retry.",
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """The database is busy (SQLite's write lock past its timeout) or unreachable: nothing
    was written, so the client may safely try again."""
    busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
    logger.warning("database %s: %s", "busy" if busy else "unavailable", db_error_summary(exc))
    return problem_response(
        request,
        status=503,
        slug="database-busy" if busy else "database-unavailable",
        title="The database is busy" if busy else "The database is unavailable",
        detail="Nothing was saved; retry after the delay in Retry-After.",
        headers={"Retry-After": "1" if busy else "5"},
    )


async def _client_gone(request: Request, exc: Exception) -> Response:
    # The client hung up mid-request (an upload cancelled on a phone): not our error.
    logger.info("client disconnected before the request was read")
    return Response(status_code=499)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    app = FastAPI(
        title=TITLE,
        version="0.1.0",
        summary="Créneau: from failed préfecture bookings to the référé petition.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.public_docs else None,
        generate_unique_id_function=operation_id,
    )
    install_openapi(app)
    if settings.public_docs:
        install_docs(app)
    app.state.settings = settings
    app.state.engine = make_engine(settings.effective_database_url)
    app.state.session_factory = wiring.session_factory(
        app.state.engine, read_threads=settings.read_threads
    )
    app.state.migration_heads = head_revisions(settings)
    app.state.blob_store = make_blob_store(settings)
    app.state.stage_guard = ReadinessGuard(settings.policy)
    app.state.case_evidence = current_of_case
    app.state.credentials = CredentialCache(settings.auth_cache_seconds)

    install_error_handlers(app)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(InterfaceError, _database_error)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=[
                "ETag",
                "X-Request-ID",
                "Location",
                "Content-Disposition",
                "Idempotent-Replayed",
                "Retry-After",
            ],
        )
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(HygieneMiddleware, api_prefix=API_PREFIX + "/")
    app.add_middleware(RequestContextMiddleware)

    # Probes first, then each domain's router straight under the app: FastAPI matches an
    # included router by scanning it, once more for each level of nesting.
    app.include_router(health_router)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(refuse_unhonoured_key)])
    # The page a client opens from the firm's link: public, HTML, outside the API.
    app.include_router(client_page.router)
    client_page.mount_static(app)
    return app
