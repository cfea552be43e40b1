"""Checked credentials, kept for a moment so the read path does not re-read them per request.

A firm's frontend calls several endpoints per screen with the same credential; each check
costs a key (or user) read. A check is kept at most ``CRENEAU_AUTH_CACHE_SECONDS`` (1 s by
default), and never past the token's expiry or the key's scheduled revocation. Any change
to a user or an API key committed through this process empties every cache at once, so a
revocation or deactivation made here applies to the very next request; one made by another
process (a second worker, the CLI) applies within the delay.
"""

import hashlib
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import ApiKey, User
from app.auth.principal import Principal
from app.auth.schemas import UserRead

MAX_ENTRIES = 10_000
_TOUCHED = "creneau_auth_touched"


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    user: UserRead
    # The token's expiry or the key's scheduled revocation: no reuse from then on.
    valid_until: datetime | None = None


def _fingerprint(credential: str) -> str:
    # The cache never holds a credential itself.
    return hashlib.sha256(credential.encode()).hexdigest()


class CredentialCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entries: dict[str, tuple[float, Authenticated]] = {}
        _caches.add(self)

    def get(self, credential: str, now: datetime) -> Authenticated | None:
        if self.seconds <= 0:
            return None
        fingerprint = _fingerprint(credential)
        entry = self._entries.get(fingerprint)
        if entry is None:
            return None
        deadline, checked = entry
        if time.monotonic() >= deadline or (
            checked.valid_until is not None and now >= checked.valid_until
        ):
            self._entries.pop(fingerprint, None)
            return None
        return checked

    def put(self, credential: str, checked: Authenticated) -> None:
        if self.seconds <= 0:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[_fingerprint(credential)] = (time.monotonic() + self.seconds, checked)

    def clear(self) -> None:
        self._entries.clear()


_caches: "weakref.WeakSet[CredentialCache]" = weakref.WeakSet()
_lock = threading.Lock()


def forget_all() -> None:
    with _lock:
        for cache in list(_caches):
            cache.clear()


def install(factory: sessionmaker[Any]) -> None:
    """Empty the caches when a session ``factory`` makes changes a user or an API key."""
    event.listen(factory, "after_flush", _note_credential_changes)
    event.listen(factory, "after_commit", _forget_on_commit)
    event.listen(factory, "after_rollback", _drop_note)


def _note_credential_changes(session: Session, _context: Any) -> None:
    changed = session.dirty | session.deleted
    if any(isinstance(item, (User, ApiKey)) for item in changed):
        session.info[_TOUCHED] = True
        # Emptied now and again at commit: a request reloading in between keeps the old
        # state for at most the delay, and the commit leaves nothing behind.
        forget_all()


def _forget_on_commit(session: Session) -> None:
    if session.info.pop(_TOUCHED, False):
        forget_all()


def _drop_note(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
