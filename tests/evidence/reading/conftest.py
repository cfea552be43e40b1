"""A real database that requests and the worker really commit to, and the app over it."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import wiring
from app.config import Settings
from app.db import make_engine
from app.main import create_app


@pytest.fixture
def factory(real_db: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(real_db.effective_database_url)
    yield wiring.session_factory(engine)
    engine.dispose()


@pytest.fixture
def api(real_db: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(real_db), raise_server_exceptions=False) as client:
        yield client
