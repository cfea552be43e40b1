"""Every event type, as published to the feed and to webhook subscribers.

The list is the contract: a domain's emitter may only emit a type listed here, and a
subscription may only ask for one (or ``*``).
"""

EVENT_TYPES = (
    "client.created", "client.updated", "client.erased",
    "case.created", "case.updated", "case.stage_changed", "case.closed",
    "attempt.recorded",
    "contact.recorded", "contact.updated", "contact.answered",
    "proceeding.created", "proceeding.updated", "proceeding.decided",
    "evidence.added", "evidence.withdrawn",
    "document.generated", "filing.created",
    "deadline.due_soon", "retention.due",
)  # fmt: skip
KNOWN = frozenset(EVENT_TYPES)
