"""The page a client opens from the firm's link: `/u/{token}`, public, server-rendered.

It works on a small phone with JavaScript off (one static script only prefills the time from
a photo), in the link's language (French, English, Arabic right to left, or any catalogue
added). It shows the firm's name, the procedure and the préfecture, nothing else about the
case, and never serves back what was sent. Abuse: per-IP and per-link rate limits, a daily
cap on files, a CSRF cookie, a strict Content-Security-Policy, no third-party asset.
"""

import secrets
from collections.abc import Callable
from datetime import datetime, time
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
from app.db import begin_write
from app.errors import AppError
from app.evidence.upload import ReceivedUpload
from app.firm.service import get_profile
from app.prefectures.models import Procedure

router = APIRouter(prefix="/u", include_in_schema=False)
STATIC = Path(__file__).parent / "static"
MAX_FILES = 10
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


def _text(language: str, message: str, **values: Any) -> str:
    text = i18n.translations(language).gettext(message)
    return text % values if values else text


def _problem_page(language: str, status: int, title: str, message: str, **headers: str) -> Response:
    response = _render(
        language, "gone.html", status,
        title=_text(language, title), message=_text(language, message),
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


def _open(session: Session, token: str, requested: str | None) -> service.Opened | Response:
    try:
        return service.open_link(session, token)
    except service.LinkGone:
        language = i18n.pick(requested, i18n.DEFAULT)
        gone = "It has expired or was withdrawn. Ask the firm for a new link."
        return _problem_page(language, 410, "This link no longer works", gone)
    except service.LinkNotFound:
        language = i18n.pick(requested, i18n.DEFAULT)
        return _problem_page(language, 404, "This address is not valid",
                             "Check the link the firm sent you.")  # fmt: skip


def _form_context(session: Session, opened: service.Opened, language: str) -> dict[str, Any]:
    procedure = session.get(Procedure, opened.case.procedure_code)
    prefecture = opened.prefecture
    now = clock.now().astimezone(prefecture.zone)
    return {
        "firm": get_profile(session).name or "Cabinet",
        "procedure": procedure.label if procedure else opened.case.procedure_code,
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
        opened = _open(session, token, lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        csrf = secrets.token_urlsafe(24)
        context = _form_context(session, opened, language)
    return _with_csrf(_render(language, "form.html", csrf=csrf, **context), csrf, request)


def _attempted_at(day: str, hour: str, zone: ZoneInfo) -> datetime | None:
    try:
        local = datetime.combine(
            datetime.strptime(day, "%Y-%m-%d").date(), time.fromisoformat(hour[:5]), zone
        )
    except ValueError:
        return None
    return local


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
        opened = await run_in_threadpool(_open, session, token, lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        context = await run_in_threadpool(_form_context, session, opened, language)
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
        return again(413, [_text(language, "The files are too large.")])
    async with request.form(max_files=MAX_FILES + 1, max_fields=10) as form:
        return await _receive(request, token, language, form, zone, again)


async def _receive(
    request: Request,
    token: str,
    language: str,
    form: Any,
    zone: ZoneInfo,
    again: Callable[..., Response],
) -> Response:
    settings = request.app.state.settings
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    day, hour = str(form.get("attempt_date", "")), str(form.get("attempt_time", ""))
    outcome = str(form.get("outcome", ""))
    values = {"day": day, "hour": hour, "outcome": outcome}
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, str(form.get("csrf", ""))):
        return again(403, [_text(language, "The page expired: send the form again.")], **values)
    errors = []
    if not uploads:
        errors.append(_text(language, "Choose at least one capture."))
    if len(uploads) > MAX_FILES:
        errors.append(_text(language, "At most %(count)d files at once.", count=MAX_FILES))
    attempted_at = _attempted_at(day, hour, zone)
    if attempted_at is None:
        errors.append(_text(language, "Give the date and time of the attempt."))
    elif attempted_at > clock.now():
        errors.append(_text(language, "The attempt cannot be in the future."))
    if outcome not in {o.value for o in AttemptOutcome} - {AttemptOutcome.slot_offered.value}:
        errors.append(_text(language, "Choose what the site answered."))
    if errors:
        return again(422, errors, **values)
    assert attempted_at is not None
    staged: list[ReceivedUpload] = []
    try:
        for upload in uploads:
            try:
                staged.append(await _stage(request, upload, settings.evidence_max_bytes))
            except ValueError:
                return again(413, [_text(language, "The files are too large.")], **values)
        with request.app.state.session_factory() as session:
            try:
                await run_in_threadpool(begin_write, session)
                await run_in_threadpool(
                    lambda: service.submit(
                        session, service.open_link(session, token), blob_store(request),
                        attempted_at=attempted_at, outcome=AttemptOutcome(outcome),
                        uploads=staged,
                    )
                )  # fmt: skip
                await run_in_threadpool(session.commit)
            except service.DailyCapReached as exc:
                headers = exc.headers or {}
                return _problem_page(
                    language, 429, "Too many sendings",
                    "This link has received all the files it may take today. Try again tomorrow.",
                    **headers,
                )  # fmt: skip
            except AppError as exc:
                await run_in_threadpool(session.rollback)
                name = staged[0].filename if len(staged) == 1 else ""
                reason = exc.detail or exc.title
                message = _text(language, "The file « %(name)s » was refused: %(reason)s",
                                name=name or "…", reason=reason)  # fmt: skip
                return again(exc.status if exc.status < 500 else 422, [message], **values)
    finally:
        for received_upload in staged:
            received_upload.discard()
    return RedirectResponse(f"/u/{token}/received?lang={language}", status_code=303,
                            headers=HEADERS)  # fmt: skip


@router.get("/{token}/received")
def received(request: Request, token: str, lang: str | None = None) -> Response:
    if (limited := _limited(request, token, sending=False)) is not None:
        return limited
    with request.app.state.session_factory() as session:
        opened = _open(session, token, lang)
        if isinstance(opened, Response):
            return opened
        language = i18n.pick(lang, opened.link.language)
        outcomes = {
            "no_slot": _text(language, "No slot free"),
            "error": _text(language, "An error message"),
            "site_unavailable": _text(language, "The site did not open"),
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
            for attempt, files in service.received(session, opened.link)
        ]
        firm = get_profile(session).name or "Cabinet"
    return _render(language, "received.html", firm=firm, received=items,
                   back=f"/u/{token}?lang={language}")  # fmt: skip
