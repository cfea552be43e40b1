"""The firm's agenda, a case's next actions, and the calendar feed's tokens."""

import uuid
from datetime import date

from sqlmodel import Session, select

from app import clock
from app.agenda import deadlines
from app.agenda.deadlines import Deadline, DeadlineKind, NextAction
from app.agenda.facts import case_facts, facts_in_window
from app.audit import service as audit
from app.auth import security
from app.auth.models import User
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.cases.models import Case
from app.errors import NotAuthenticated
from app.policy import FirmPolicy


def case_next_actions(
    session: Session, *, case: Case, policy: FirmPolicy
) -> tuple[list[NextAction], list[Deadline]]:
    facts = case_facts(session, case=case)
    now = clock.today()
    return deadlines.next_actions(facts, policy, now), deadlines.case_deadlines(facts, policy, now)


def agenda(
    session: Session,
    *,
    policy: FirmPolicy,
    start: date,
    end: date,
    lawyer_id: uuid.UUID | None = None,
    paralegal_id: uuid.UUID | None = None,
    kinds: set[DeadlineKind] | None = None,
) -> list[Deadline]:
    now = clock.today()
    window = facts_in_window(
        session, start=start, end=end, policy=policy, lawyer_id=lawyer_id, paralegal_id=paralegal_id
    )
    found = [
        deadline
        for facts in window
        for deadline in deadlines.case_deadlines(facts, policy, now, start=start, end=end)
        if kinds is None or deadline.kind in kinds
    ]
    return sorted(found, key=lambda d: (d.due_date, d.reference, d.kind))


def rotate_feed_token(session: Session, *, actor: Principal) -> str:
    """A new calendar-feed token for the caller; the previous one stops working."""
    user = session.get(User, actor.user_id)
    assert user is not None
    new = security.generate_api_key(security.FEED_TOKEN_PREFIX)
    user.feed_token_lookup, user.feed_token_hash = new.lookup, new.secret_hash
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.feed_token_rotate",
        resource_type="user",
        resource_id=user.id,
    )
    return new.secret


def feed_owner(session: Session, *, token: str) -> User:
    lookup = security.api_key_lookup(token, security.FEED_TOKEN_PREFIX)
    user = (
        session.exec(select(User).where(User.feed_token_lookup == lookup)).first()
        if lookup
        else None
    )
    if (
        user is None
        or user.feed_token_hash is None
        or not security.api_key_matches(token, user.feed_token_hash)
        or not user.is_active
    ):
        raise NotAuthenticated("This calendar feed address is not valid; create a new one.")
    return user


def feed_filters(user: User) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(lawyer, paralegal) filters: a lawyer's or a paralegal's feed holds the files
    assigned to them; an admin's, the whole firm's."""
    if user.role == Role.lawyer:
        return user.id, None
    if user.role == Role.paralegal:
        return None, user.id
    return None, None
