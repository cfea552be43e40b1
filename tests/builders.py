"""Plain builders with overridable defaults; they flush, the test's transaction discards."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from httpx2 import Response
from sqlmodel import Session

from app.auth import security
from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.cases.models import AesMotif, BookingChannel, Case
from app.cases.stages import Stage
from app.clients.models import Civility, Client
from app.clients.service import fold, sync_name_tokens
from app.db import utcnow

# A Wednesday morning in Paris, far from midnight and from a daylight-saving change: the
# suite's « now » (pinned in conftest). A test that needs another day pins the clock itself.
PINNED_NOW = datetime.fromisoformat("2026-11-18T10:30:00+01:00")

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery staple"


def make_user(
    session: Session,
    *,
    role: Role = Role.lawyer,
    email: str | None = None,
    full_name: str = "Camille Martin",
    password: str | None = None,
    is_active: bool = True,
) -> User:
    user = User(
        email=email or f"user-{uuid.uuid4().hex[:10]}@cabinet-avocats.fr",
        full_name=full_name,
        role=role,
        # Hashing is slow by design: only users who log in get a password.
        password_hash=security.hash_password(password) if password else None,
        is_active=is_active,
    )
    session.add(user)
    session.flush()
    return user


def make_api_key(
    session: Session, owner: User, *, role: Role | None = None, name: str = "script"
) -> str:
    new = security.generate_api_key()
    session.add(
        ApiKey(
            name=name,
            role=role or owner.role,
            lookup=new.lookup,
            secret_hash=new.secret_hash,
            owner_id=owner.id,
        )
    )
    session.flush()
    return new.secret


def token_for(user: User, *, minutes: int = 15, key: str = TEST_SECRET_KEY) -> str:
    return security.create_access_token(
        user.id, key=key, now=utcnow(), lifetime=timedelta(minutes=minutes)
    ).token


def auth(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def auth_as(session: Session, role: Role) -> dict[str, str]:
    return auth(token_for(make_user(session, role=role)))


def assert_problem(response: Response, status: int, slug: str | None = None) -> dict[str, Any]:
    """The response is RFC 9457 problem+json with ``status`` (and the given type slug)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://creneau.dev/problems/")
    assert isinstance(body["title"], str)
    assert body["title"]
    if slug is not None:
        assert body["type"].endswith("/" + slug), body["type"]
    return dict(body)


def client_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "civility": "madame",
        "last_name": "Ben Salah",
        "first_names": "Hélène Amira",
        "birth_date": "1990-04-12",
        "birth_place": "Sfax (Tunisie)",
        "nationality": "tunisienne",
        "address": "12 rue des Lilas, 93100 Montreuil",
        "email": "helene.bensalah@example.com",
        "phone": "06 12 34 56 78",
        "agdref": "7512345678",
        "entry_date": "2019-09-01",
        "residence_document_type": "recepisse",
        "residence_document_number": "R-2024-000123",
        "residence_document_expiry_date": "2026-12-31",
    } | overrides


def make_client(session: Session, **overrides: Any) -> Client:
    client = Client(
        civility=overrides.pop("civility", Civility.madame),
        last_name=overrides.pop("last_name", "Ben Salah"),
        first_names=overrides.pop("first_names", "Hélène"),
        search_name="",
        **overrides,
    )
    client.search_name = fold(f"{client.last_name} {client.first_names}")
    session.add(client)
    session.flush()
    sync_name_tokens(session, client=client)
    session.flush()
    return client


def make_case(
    session: Session,
    client: Client | None = None,
    *,
    department_code: str = "93",
    procedure_code: str = "aes_vie_privee",
    stage: Stage = Stage.attempts,
    **overrides: Any,
) -> Case:
    client = client or make_client(session)
    if procedure_code == "aes_vie_privee":
        overrides.setdefault("aes_motif", AesMotif.vie_privee_familiale)
    case = Case(
        reference=overrides.pop("reference", f"CRN-TEST-{uuid.uuid4().hex[:8].upper()}"),
        client_id=client.id,
        department_code=department_code,
        procedure_code=procedure_code,
        booking_channel=overrides.pop("booking_channel", BookingChannel.rdv_prefecture),
        stage=stage,
        **overrides,
    )
    session.add(case)
    session.flush()
    return case
