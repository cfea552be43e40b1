"""A case's drafts, read back (drafting, the bundle, templates and attestations are
modules of their own)."""

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.cases.models import Case
from app.documents.errors import DocumentNotFound
from app.documents.models import DocumentKind, GeneratedDocument
from app.pagination import PageRequest, paginate


def get_document(session: Session, *, document_id: uuid.UUID) -> GeneratedDocument:
    document = session.get(GeneratedDocument, document_id)
    if document is None:
        raise DocumentNotFound(f"No document with id {document_id}.")
    return document


def case_of(session: Session, *, document: GeneratedDocument) -> Case | None:
    return session.get(Case, document.case_id)


def page_documents(
    session: Session, *, case_id: uuid.UUID, page: PageRequest
) -> tuple[list[GeneratedDocument], str | None]:
    query = select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
    order = (col(GeneratedDocument.created_at), col(GeneratedDocument.id))
    return paginate(session, query=query, columns=order, page=page)


def list_documents(session: Session, *, case_id: uuid.UUID) -> Sequence[GeneratedDocument]:
    query = select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
    return session.exec(query.order_by(col(GeneratedDocument.created_at))).all()


def latest(session: Session, *, case_id: uuid.UUID, kind: DocumentKind) -> GeneratedDocument | None:
    query = select(GeneratedDocument).where(
        GeneratedDocument.case_id == case_id, GeneratedDocument.kind == kind
    )
    return session.exec(query.order_by(col(GeneratedDocument.version).desc())).first()
