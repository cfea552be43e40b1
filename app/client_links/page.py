"""The page a client opens from the firm's link: `/u/{token}`, public, server-rendered.

It works on a small phone with JavaScript off (one static script only prefills the time from
a photo), in the link's language (French, English, Arabic right to left, or any catalogue
added). It shows the firm's name, the procedure and the préfecture, nothing else about the
case, and never serves back what was sent. Abuse: per-IP and per-link rate limits, a daily
cap on files, a CSRF cookie, a strict Content-Security-Policy, no third-party asset.
"""

import secrets
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from time import time as wall_time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from limits import RateLimitItemPerMinute, storage, strategies
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app import clock, french
from app.attempts.models import AttemptOutcome
from app.blobstore.dependencies import blob_store
from app.client_links import i18n, service
from app.client_links.errors import DailyCapReached, LinkGone, LinkNotFound
from app.client_links.sending import MAX_FILES, Sending, problems
from app.db import begin_write
from app.errors import AppError
from app.evidence.upload import ReceivedUpload
from app.firm.service import get_profile

router = APIRouter(prefix="/u", include_in_schema=False)
STATIC = Path(__file__).parent / "static"
CSRF_COOKIE = "crn_csrf"
PER_IP = RateLimitItemPerMinute(60)
PER_LINK_SENDS = RateLimitItemPerMinute(10)
_limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def mount_static(app: Any) -> None:
    app.mount("/u/static", StaticFiles(directory=STATIC), name="client-page-static")


def _render(language: str, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = i18n.environment(language)
    html = env.get_template(template).render(lang=language, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _problem_page(language: str, status: int, title: str, message: str, **headers: str) -> Response:
    response = _render(
        language, "gone.html", status,
        title=i18n.text(language, title), message=i18n.text(language, message),
    )  # fmt: skip
    response.headers.update(headers)
    return response


def _limited(request: Request, token: str, *, sending: bool) -> Response | None:
    """429 with Retry-After when this IP, or this link's sendings, go too fast."""
    ip = request.client.host if request.client else "unknown"
    checks = [(PER_IP, "ip", ip)]
    if sending:
        checks.append((PER_LINK_SENDS, "link", token[:21]))  # the lookup part: never log it
    for item, scope, key in checks:
        if not _limiter.hit(item, scope, key):
            reset, _ = _limiter.get_window_stats(item, scope, key)
            wait = max(1, int(reset - wall_time()))
            return _problem_page(
                "fr", 429, "Too many sendings", "Please wait a little and try again.",
                **{"Retry-After": str(wait)},
            )  # fmt: skip
    return None


def _open(session: Session, *, token: str, requested: str | None) -> service.Opened | Response:
    try:
        return service.open_link(session, token=token)
    except LinkGone:
        language = i18n.pick(requested, i18n.DEFAULT)
        gone = "It has expired or was withdrawn. Ask the firm for a new link."
        return _problem_page(language, 410, "This link no longer works", gone)
    except LinkNotFound:
        language = i18n.pick(requested, i18n.DEFAULT)
        return _problem_page(language, 404, "This address is not valid",
                             "Check the link the firm sent you.")  # fmt: skip


def _form_context(session: Session, *, opened: service.Opened) -> dict[str, Any]:
    facts = service.page_facts(session, opened=opened)
    prefecture = opened.prefecture
    now = clock.now().astimezone(prefecture.zone)
    return {
        "firm": facts.firm,
        "procedure": facts.procedure,
        "prefecture": f"préfecture {prefecture.department_of}",
        "note": opened.link.note,
        "zone": prefecture.time_zone,
        "day": now.date().isoformat(),
        "hour": now.strftime("%H:%M"),
        "outcome": AttemptOutcome.no_slot.value,
        "errors": [],
    }


def _with_csrf(response: Response, value: str, request: Request) -> Response:
    response.set_cookie(
        CSRF_COOKIE, value, httponly=True, samesite="strict", path="/u/",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.get("/{token}")
def show_form(request: Request, token: str, lang: str | None = None) -> Response:
    if (limited := _limited(request, token, sending=False)) is not None:
        return limited
    with request.app.state.session_factory() as session:
        opened = _open(session, token=token, requested=lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        csrf = secrets.token_urlsafe(24)
        context = _form_context(session, opened=opened)
    return _with_csrf(_render(language, "form.html", csrf=csrf, **context), csrf, request)


async def _stage(request: Request, upload: UploadFile, max_bytes: int) -> ReceivedUpload:
    """Copy one uploaded file into the blob store's staging, hashing on the way."""
    store = blob_store(request)
    staging = store.stage()
    size = 0
    try:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise ValueError("too large")
            staging.write(chunk)
        staging.close()
    except Exception:
        staging.discard()
        raise
    return ReceivedUpload(
        staging=staging, filename=upload.filename or "", declared_type=upload.content_type
    )


@router.post("/{token}")
async def send(request: Request, token: str, lang: str | None = None) -> Response:
    if (limited := _limited(request, token, sending=True)) is not None:
        return limited
    settings = request.app.state.settings
    with request.app.state.session_factory() as session:
        opened = await run_in_threadpool(_open, session, token=token, requested=lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        context = await run_in_threadpool(partial(_form_context, session, opened=opened))
        zone = opened.prefecture.zone
        await run_in_threadpool(session.rollback)  # no transaction while the body arrives

    def again(status: int, errors: list[str], **values: Any) -> Response:
        csrf = secrets.token_urlsafe(24)
        page = _render(
            language, "form.html", status, csrf=csrf, **(context | values | {"errors": errors})
        )
        return _with_csrf(page, csrf, request)

    length = request.headers.get("content-length", "")
    limit = MAX_FILES * settings.evidence_max_bytes + 1024 * 1024
    if not length.isdigit() or int(length) > limit:
        return again(413, [i18n.text(language, "The files are too large.")])
    async with request.form(max_files=MAX_FILES + 1, max_fields=10) as form:
        return await _receive(request, token, language, form, zone, again)


def _csrf_matches(request: Request, form: Any) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and secrets.compare_digest(cookie, str(form.get("csrf", "")))


async def _receive(
    request: Request,
    token: str,
    language: str,
    form: Any,
    zone: ZoneInfo,
    again: Callable[..., Response],
) -> Response:
    sending = Sending.of(form)
    if not _csrf_matches(request, form):
        expired = i18n.text(language, "The page expired: send the form again.")
        return again(403, [expired], **sending.values)
    attempted_at, errors = problems(sending, language, zone)
    if errors or attempted_at is None:
        return again(422, errors, **sending.values)
    staged: list[ReceivedUpload] = []
    try:
        return await _keep(request, token, language, sending, attempted_at, staged, again)
    finally:
        for received_upload in staged:
            received_upload.discard()


async def _keep(
    request: Request,
    token: str,
    language: str,
    sending: Sending,
    attempted_at: datetime,
    staged: list[ReceivedUpload],
    again: Callable[..., Response],
) -> Response:
    """Stage the files (into ``staged``, which the caller discards), then record them."""
    max_bytes = request.app.state.settings.evidence_max_bytes
    for upload in sending.uploads:
        try:
            staged.append(await _stage(request, upload, max_bytes))
        except ValueError:
            return again(413, [i18n.text(language, "The files are too large.")], **sending.values)
    try:
        await _store(request, token, staged, attempted_at, AttemptOutcome(sending.outcome))
    except DailyCapReached as exc:
        return _problem_page(
            language, 429, "Too many sendings",
            "This link has received all the files it may take today. Try again tomorrow.",
            **(exc.headers or {}),
        )  # fmt: skip
    except AppError as exc:
        name = staged[0].filename if len(staged) == 1 else ""
        reason = exc.detail or exc.title
        message = i18n.text(language, "The file « %(name)s » was refused: %(reason)s",
                            name=name or "…", reason=reason)  # fmt: skip
        return again(exc.status if exc.status < 500 else 422, [message], **sending.values)
    return RedirectResponse(f"/u/{token}/received?lang={language}", status_code=303,
                            headers=HEADERS)  # fmt: skip


async def _store(
    request: Request,
    token: str,
    staged: list[ReceivedUpload],
    attempted_at: datetime,
    outcome: AttemptOutcome,
) -> None:
    # The files are checked and published first, with no transaction open: the write that
    # records them holds SQLite's lock for the database work alone.
    store = blob_store(request)
    files = await run_in_threadpool(partial(service.prepare, staged, store=store))
    with request.app.state.session_factory() as session:
        try:
            await run_in_threadpool(begin_write, session)
            await run_in_threadpool(
                lambda: service.submit(
                    session, opened=service.open_link(session, token=token),
                    attempted_at=attempted_at, outcome=outcome, files=files,
                )
            )  # fmt: skip
            await run_in_threadpool(session.commit)
        except AppError:
            await run_in_threadpool(session.rollback)
            raise


@router.get("/{token}/received")
def received(request: Request, token: str, lang: str | None = None) -> Response:
    if (limited := _limited(request, token, sending=False)) is not None:
        return limited
    with request.app.state.session_factory() as session:
        opened = _open(session, token=token, requested=lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        outcomes = {
            "no_slot": i18n.text(language, "No slot free"),
            "error": i18n.text(language, "An error message"),
            "site_unavailable": i18n.text(language, "The site did not open"),
            "captcha_failed": i18n.text(language, "The security code was refused"),
        }
        zone = opened.prefecture.zone
        items = [
            {
                "when": french.format_datetime(attempt.attempted_at, zone)
                if language == "fr"
                else attempt.attempted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "outcome": outcomes.get(attempt.outcome.value, attempt.outcome.value),
                "count": len(files),
                "names": ", ".join(f.original_filename for f in files if f.original_filename),
            }
            for attempt, files in service.received(session, link=opened.link)
        ]
        firm = get_profile(session).name or "Cabinet"
    return _render(language, "received.html", firm=firm, received=items,
                   back=f"/u/{token}?lang={language}")  # fmt: skip
