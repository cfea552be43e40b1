"""What counts: only what the firm accepted.

A client's submission (an attempt, a capture sent through the link) waits for the firm's
review; until accepted it neither counts for readiness, nor appears in a draft, an exhibit
plan, a deadline or a statistic. The firm's own entries are accepted as they are recorded.
Every reader of attempts and evidence filters through ``counts``, so the rule is one line.
"""

from typing import Any, TypeVar

from app.attempts.models import ReviewStatus

T = TypeVar("T")


def counts(review_status: T) -> Any:
    """The condition on a review status (a column in a query, or a value): accepted."""
    return review_status == ReviewStatus.accepted
