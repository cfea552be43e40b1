"""Reference data: lookups by the codes people type, and a firm's edits to contact data."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, or_, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.prefectures.codes import normalise_department_code
from app.prefectures.errors import PrefectureNotFound, ProcedureNotFound, TribunalNotFound
from app.prefectures.models import Prefecture, Procedure, Tribunal


def get_prefecture(session: Session, *, raw_code: str) -> Prefecture:
    code = normalise_department_code(raw_code)
    prefecture = session.get(Prefecture, code) if code else None
    if prefecture is None:
        raise PrefectureNotFound(f"No préfecture for the département code {raw_code!r}.")
    return prefecture


def list_prefectures(
    session: Session, *, tribunal_code: str | None, search: str | None
) -> Sequence[Prefecture]:
    query = select(Prefecture)
    if tribunal_code is not None:
        query = query.where(Prefecture.tribunal_code == tribunal_code.strip().lower())
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Prefecture.department_name).like(pattern),
                func.lower(Prefecture.chef_lieu).like(pattern),
            )
        )
    # Codes sort as people expect: 01…19, 2A, 2B, 21…95, then overseas.
    return sorted(session.exec(query).all(), key=lambda p: _code_order(p.department_code))


def _code_order(code: str) -> tuple[int, str]:
    # 2A and 2B stand where 20 was.
    if code in ("2A", "2B"):
        return 20, code[1]
    return int(code), ""


def get_tribunal(session: Session, *, code: str) -> Tribunal:
    tribunal = session.get(Tribunal, code.strip().lower())
    if tribunal is None:
        raise TribunalNotFound(f"No tribunal with the code {code!r}.")
    return tribunal


def list_tribunals(session: Session) -> Sequence[Tribunal]:
    return session.exec(select(Tribunal).order_by(col(Tribunal.code))).all()


def get_procedure(session: Session, *, code: str) -> Procedure:
    procedure = session.get(Procedure, code.strip().lower())
    if procedure is None:
        raise ProcedureNotFound(f"No procedure type with the code {code!r}.")
    return procedure


def list_procedures(session: Session) -> Sequence[Procedure]:
    return session.exec(select(Procedure).order_by(col(Procedure.code))).all()


def apply_edits(
    session: Session,
    *,
    actor: Principal,
    row: Prefecture | Tribunal | Procedure,
    changes: dict[str, Any],
    resource_type: str,
    resource_id: str,
) -> None:
    """Write a firm's edits and mark those fields as the firm's, safe from data migrations."""
    if not changes:
        return
    for field, value in changes.items():
        setattr(row, field, value)
    row.edited_fields = sorted(set(row.edited_fields) | set(changes))
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action=f"{resource_type}.update",
        resource_type=resource_type,
        resource_id=resource_id,
        details={"fields": sorted(changes)},
    )
