"""The firm's own templates: versions uploaded, one active per kind, else the built-in."""

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore
from app.documents import render
from app.documents.builtin import TEMPLATES
from app.documents.context.build import build
from app.documents.context.types import Options
from app.documents.errors import TemplateRejected
from app.documents.models import DocumentKind, DocumentTemplate
from app.documents.sample import sample_snapshot
from app.errors import FieldError

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def builtin_source(kind: DocumentKind) -> bytes:
    return (TEMPLATES / f"{kind.value}.docx").read_bytes()


def active_template(session: Session, *, kind: DocumentKind) -> DocumentTemplate | None:
    query = select(DocumentTemplate).where(
        DocumentTemplate.kind == kind, col(DocumentTemplate.is_active)
    )
    return session.exec(query.order_by(col(DocumentTemplate.version).desc())).first()


def template_source(
    session: Session, *, store: BlobStore, kind: DocumentKind
) -> tuple[bytes, DocumentTemplate | None]:
    template = active_template(session, kind=kind)
    if template is None:
        return builtin_source(kind), None
    return b"".join(store.open(template.sha256)), template


def publish_bytes(store: BlobStore, data: bytes) -> str:
    """Store ``data`` in the blob store (content-addressed); its SHA-256."""
    staging = store.stage()
    try:
        staging.write(data)
        return store.publish(staging)
    finally:
        staging.discard()


def check_and_store(source: bytes, *, store: BlobStore) -> str:
    """Accept a firm's template only if it renders the sample case, with known variables;
    store it and give its SHA-256. Rendering and storing: done before the write begins."""
    sample = build(sample_snapshot(), Options())
    if problems := render.check(source, sample):
        raise TemplateRejected(
            f"The template does not render: {problems[0]}",
            errors=[FieldError(loc=["body"], msg=p, type="template_error") for p in problems],
        )
    return publish_bytes(store, source)


def upload_template(
    session: Session,
    *,
    actor: Principal,
    kind: DocumentKind,
    source: bytes,
    sha256: str,
    filename: str,
) -> DocumentTemplate:
    """Make a checked and stored template the kind's active one (database work only)."""
    for previous in session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind)):
        previous.is_active = False
        session.add(previous)
    version = (
        session.exec(
            select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind)
        ).one()
        or 0
    ) + 1
    template = DocumentTemplate(
        kind=kind,
        version=version,
        sha256=sha256,
        size=len(source),
        original_filename=Path(filename).name[:255],
        created_by_user_id=actor.user_id,
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="template.upload",
        resource_type="template",
        resource_id=template.id,
        details={"kind": kind.value, "version": version},
    )
    return template


def restore_builtin(session: Session, *, actor: Principal, kind: DocumentKind) -> None:
    """Back to the built-in template; the firm's versions are kept, inactive."""
    for template in session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind)):
        template.is_active = False
        session.add(template)
    audit.record(
        session,
        actor=actor,
        action="template.restore_builtin",
        resource_type="template",
        resource_id=kind.value,
    )


def list_templates(session: Session, *, kind: DocumentKind) -> Sequence[DocumentTemplate]:
    query = select(DocumentTemplate).where(DocumentTemplate.kind == kind)
    return session.exec(query.order_by(col(DocumentTemplate.version))).all()
