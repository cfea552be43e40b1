from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlmodel import Session

from app.auth.permissions import Role
from app.cases.models import Case, UrgencyFact, UrgencyKind
from app.cases.stages import Stage
from tests.builders import auth_as, make_case, make_client, make_user

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


def ids(response: Any) -> list[str]:
    return [item["reference"] for item in response.json()["items"]]


def _case(session: Session, n: int, **kwargs: Any) -> Case:
    return make_case(
        session, reference=f"CRN-2026-{n:05d}", opened_at=T0 + timedelta(hours=n), **kwargs
    )


def test_filters_combine(client: TestClient, session: Session, headers: dict[str, str]) -> None:
    lawyer = make_user(session, role=Role.lawyer)
    dupont = make_client(session, last_name="Dupont", first_names="Élodie")
    _case(session, 1, client=dupont, department_code="93", assigned_lawyer_id=lawyer.id)
    _case(session, 2, department_code="92", is_renewal=True)
    _case(
        session, 3, department_code="95", stage=Stage.prefecture_contact, procedure_code="salarie"
    )
    urgent = _case(session, 4, department_code="75")
    session.add(
        UrgencyFact(
            case_id=urgent.id,
            kind=UrgencyKind.age_deadline,
            fact_date=date(2026, 5, 1),
            description="19 ans",
        )
    )
    session.flush()

    def get(**params: Any) -> list[str]:
        return ids(client.get("/api/v1/cases", params=params, headers=headers))

    assert get(tribunal="cergy-pontoise") == ["CRN-2026-00003", "CRN-2026-00002"]
    assert get(department_code="93") == ["CRN-2026-00001"]
    assert get(stage=["prefecture_contact"]) == ["CRN-2026-00003"]
    assert get(stage=["attempts", "prefecture_contact"], tribunal="cergy-pontoise") == [
        "CRN-2026-00003",
        "CRN-2026-00002",
    ]
    assert get(is_renewal=True) == ["CRN-2026-00002"]
    assert get(procedure="salarie") == ["CRN-2026-00003"]
    assert get(lawyer_id=str(lawyer.id)) == ["CRN-2026-00001"]
    assert get(urgency_before="2026-05-01") == ["CRN-2026-00004"]
    assert get(urgency_before="2026-04-30") == []
    assert get(q="elodie") == ["CRN-2026-00001"]
    assert get(q="crn-2026-00002") == ["CRN-2026-00002"]


def test_sorting(client: TestClient, session: Session, headers: dict[str, str]) -> None:
    for n in (2, 1, 3):
        _case(session, n)
    params: dict[str, str] = {}

    newest = ids(client.get("/api/v1/cases", params=params, headers=headers))
    oldest = ids(
        client.get("/api/v1/cases", params=params | {"sort": "opened_at"}, headers=headers)
    )
    by_ref = ids(
        client.get("/api/v1/cases", params=params | {"sort": "-reference"}, headers=headers)
    )

    assert newest == ["CRN-2026-00003", "CRN-2026-00002", "CRN-2026-00001"]
    assert oldest == ["CRN-2026-00001", "CRN-2026-00002", "CRN-2026-00003"]
    assert by_ref == newest


@pytest.mark.parametrize("sort", ["-opened_at", "opened_at", "reference", "-updated_at"])
def test_pages_neither_skip_nor_repeat_while_rows_are_inserted(
    client: TestClient, session: Session, headers: dict[str, str], sort: str
) -> None:
    same_instant = T0  # ties on the sort key are broken by id
    for n in range(1, 8):
        make_case(
            session,
            reference=f"CRN-2026-{n:05d}",
            opened_at=same_instant if n % 2 else T0 + timedelta(hours=n),
            updated_at=T0 + timedelta(hours=n % 3),
        )
    seen: list[str] = []
    cursor = None
    inserted = 100
    while True:
        params: dict[str, Any] = {"limit": 3, "sort": sort, "q": "CRN-2026-"} | (
            {"cursor": cursor} if cursor else {}
        )
        page = client.get("/api/v1/cases", params=params, headers=headers).json()
        seen += [c["reference"] for c in page["items"]]
        # Someone opens a file between two pages.
        inserted += 1
        make_case(
            session,
            reference=f"CRN-2026-{inserted:05d}",
            opened_at=T0 - timedelta(days=1),
            updated_at=T0 - timedelta(days=1),
        )
        cursor = page["next_cursor"]
        if cursor is None:
            break

    originals = [r for r in seen if int(r[-5:]) < 100]
    assert len(seen) == len(set(seen))
    assert sorted(originals) == [f"CRN-2026-{n:05d}" for n in range(1, 8)]


@contextmanager
def count_queries(connection: Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_query_count_does_not_grow_with_page_size(
    client: TestClient, session: Session, connection: Connection, headers: dict[str, str]
) -> None:
    for n in range(1, 41):
        case = _case(session, n)
        session.add(
            UrgencyFact(
                case_id=case.id,
                kind=UrgencyKind.health,
                fact_date=date(2026, 6, 1),
                description="soins",
            )
        )
    session.flush()
    # The credential is read once, then kept a second: both counted requests find it kept.
    client.get("/api/v1/users/me", headers=headers)

    with count_queries(connection) as small:
        client.get("/api/v1/cases", params={"limit": 2, "q": "CRN-2026-"}, headers=headers)
    with count_queries(connection) as large:
        response = client.get(
            "/api/v1/cases", params={"limit": 40, "q": "CRN-2026-"}, headers=headers
        )

    assert len(response.json()["items"]) == 40
    assert all(item["urgency_facts"] for item in response.json()["items"])
    assert len(large) == len(small)


def test_a_cursor_from_another_sort_is_refused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    for n in range(1, 4):
        _case(session, n)
    page = client.get(
        "/api/v1/cases", params={"limit": 1, "sort": "reference"}, headers=headers
    ).json()

    response = client.get(
        "/api/v1/cases",
        params={"cursor": page["next_cursor"], "sort": "opened_at"},
        headers=headers,
    )

    assert response.status_code == 400
