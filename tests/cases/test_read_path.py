"""The hot reads under concurrency: a few read threads and a small pool, never a stall."""

import asyncio
from datetime import timedelta

import httpx

from app import clock, wiring
from app.auth.permissions import Role
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.builders import auth, make_case, make_user, token_for


def test_reads_never_wait_for_each_other_with_one_connection_and_one_read_thread(
    real_db: Settings,
) -> None:
    """A read whose credential check kept its connection while it waited for a read thread
    would starve the read holding that thread (its credential was cached, so it had no
    connection yet): the two would wait for each other until the pool's timeout."""
    app = create_app(real_db)
    engine = make_engine(real_db.effective_database_url, pool_size=1, max_overflow=0,
                         pool_timeout=2)  # fmt: skip
    app.state.session_factory = wiring.session_factory(engine, read_threads=1)
    with app.state.session_factory() as session:
        users = [make_user(session, role=Role.lawyer) for _ in range(6)]
        case = make_case(session)
        session.commit()
        paths = [f"/api/v1/cases/{case.id}", f"/api/v1/cases/{case.id}/readiness"]

    async def rounds() -> list[int]:
        statuses = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            for n in range(4):
                # Each round, every check has expired but the first user's, checked first.
                with clock.pinned(clock.now() + timedelta(minutes=n)):
                    tokens = [token_for(u, key=real_db.signing_key) for u in users]
                    warm = await http.get(paths[0], headers=auth(tokens[0]))
                    statuses.append(warm.status_code)
                    answers = await asyncio.gather(
                        *(http.get(path, headers=auth(token))
                          for token in [tokens[0]] * 4 + tokens[1:] for path in paths)
                    )  # fmt: skip
                    statuses += [answer.status_code for answer in answers]
        return statuses

    try:
        statuses = asyncio.run(rounds())
    finally:
        engine.dispose()
    assert set(statuses) == {200}, statuses
