"""Migrations go up, down and up again, and agree with the models (alembic check)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.config import Environment, Settings
from app.schema import alembic_config


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on the same backend as the suite's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_downgrade_upgrade_then_models_match(
    fresh_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=fresh_database_url,
        secret_key="k" * 40,
    )
    config = alembic_config(settings)
    config.attributes["configure_logger"] = False

    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = create_engine(fresh_database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    command.check(config)  # raises if the models and the migrations disagree
