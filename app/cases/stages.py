"""The escalation a case follows, as a pure transition table.

    attempts → prefecture_contact → interim_relief → appointment_obtained
    any open stage → appointment_obtained | closed
    appointment_obtained → closed
    closed → any open stage (reopening: lawyers and admins only)

Closing and reopening need the ``cases:close`` permission; the other moves are
open to anyone who may edit the case. Later rules (evidence sufficiency) add
preconditions on top of this table, not inside it.
"""

from enum import StrEnum


class Stage(StrEnum):
    attempts = "attempts"
    prefecture_contact = "prefecture_contact"
    interim_relief = "interim_relief"
    appointment_obtained = "appointment_obtained"
    closed = "closed"


OPEN_STAGES = frozenset({Stage.attempts, Stage.prefecture_contact, Stage.interim_relief})

_NEXT = {
    Stage.attempts: Stage.prefecture_contact,
    Stage.prefecture_contact: Stage.interim_relief,
    Stage.interim_relief: Stage.appointment_obtained,
}


def allowed_targets(current: Stage) -> frozenset[Stage]:
    current = Stage(current)
    if current in OPEN_STAGES:
        return frozenset({_NEXT[current], Stage.appointment_obtained, Stage.closed})
    if current == Stage.appointment_obtained:
        return frozenset({Stage.closed})
    return OPEN_STAGES


def is_allowed(current: Stage, target: Stage) -> bool:
    return target in allowed_targets(current)


def needs_close_permission(current: Stage, target: Stage) -> bool:
    return Stage.closed in (current, target)
