"""Cases as the API shows them, read as plain rows.

The hot read path (a case, a page of cases) selects table columns, not ORM entities: loading
a case, its client and their facts as entities, then copying them into read models, cost
about four times the query itself. Rows go straight into `CaseRead`; the statements hold
no ORM attribute, so SQLAlchemy caches their compiled form and skips the ORM's loading.
Being plain Core, they do not flush the session first: a caller that has written calls
`session.flush()` before reading.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, Table, bindparam, select
from sqlmodel import Session

from app.cases.models import Case, UrgencyFact
from app.cases.schemas import CaseRead
from app.clients.models import Client
from app.prefectures.models import Prefecture

cases: Table = Case.__table__  # type: ignore[attr-defined]
clients: Table = Client.__table__  # type: ignore[attr-defined]
prefectures: Table = Prefecture.__table__  # type: ignore[attr-defined]
facts: Table = UrgencyFact.__table__  # type: ignore[attr-defined]

_CLIENT = ("civility", "last_name", "first_names")
_FACT_COLUMNS = ("kind", "fact_date", "description", "evidence_ref", "evidence_id")


def with_client_and_tribunal() -> Select[Any]:
    """Every column of the case, its client's summary and its tribunal, one row per case."""
    return (
        select(
            *cases.c,
            *(clients.c[name] for name in _CLIENT),
            prefectures.c.tribunal_code,
        )
        .join(clients, clients.c.id == cases.c.client_id)
        .join(prefectures, prefectures.c.department_code == cases.c.department_code)
    )


# Built once: only the id changes from one read to the next.
BY_ID = with_client_and_tribunal().where(cases.c.id == bindparam("case_id"))
_FACTS = (
    select(facts.c.case_id, *(facts.c[name] for name in _FACT_COLUMNS))
    .where(facts.c.case_id.in_(bindparam("case_ids", expanding=True)))
    .order_by(facts.c.fact_date)
)


def case_reads(session: Session, *, rows: Sequence[Row[Any]]) -> list[CaseRead]:
    """The rows of `with_client_and_tribunal` as read models, with their urgency facts
    (one more query, whatever the number of rows)."""
    grouped: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if rows:
        for fact in session.execute(_FACTS, {"case_ids": [row.id for row in rows]}):
            grouped[fact.case_id].append(fact._asdict())
    reads = []
    for row in rows:
        fields = row._asdict()
        fields["client"] = {"id": fields.pop("client_id")} | {
            name: fields.pop(name) for name in _CLIENT
        }
        fields["urgency_facts"] = grouped[row.id]
        reads.append(CaseRead.model_validate(fields))
    return reads
