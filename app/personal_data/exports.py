"""A client's export (RGPD art. 15 and 20): everything held about them, as one ZIP.

Asked through the API, built by the worker (``exports.build``), kept ``export_days`` days
and downloaded through a signed link; each download lands in the access log. The ZIP holds
``donnees.json`` (see ``export_format``), its schema, every evidence file, draft and frozen
filing, and ``LISEZMOI.txt``, which says in French what each file is. Files are copied
chunk by chunk from storage into the ZIP, so memory stays flat whatever their size.
"""

import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.attempts.models import BookingAttempt
from app.attempts.schemas import AttemptRead
from app.audit import service as audit
from app.audit.models import AccessEntry, AuditEvent
from app.audit.schemas import AccessEntryRead, AuditEventRead
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore, make_blob_store
from app.cases import service as cases
from app.cases.models import Case, StageChange
from app.cases.schemas import StageChangeRead
from app.clients.errors import ClientNotFound
from app.clients.models import Client
from app.clients.schemas import ClientRead
from app.config import Settings
from app.contacts.models import PrefectureContact
from app.contacts.schemas import ContactRead
from app.db import begin_write, utcnow
from app.documents.models import FILE_NAMES, GeneratedDocument
from app.documents.schemas import DocumentRead
from app.evidence import content, exhibits
from app.evidence.models import Evidence
from app.evidence.reading import service as readings
from app.evidence.reading.schemas import ReadingRead
from app.evidence.schemas import EvidenceRead
from app.filings.models import Filing
from app.filings.schemas import FilingRead
from app.french import format_date, format_datetime, paris
from app.jobs import service as jobs
from app.jobs.context import JobContext
from app.personal_data.errors import AlreadyErased, ExportNotFound
from app.personal_data.export_format import (
    ClientExport,
    ExportedCase,
    ExportedDocument,
    ExportedEvidence,
    ExportedFile,
    ExportedFiling,
    schema_text,
)
from app.personal_data.models import Export, ExportStatus
from app.proceedings.models import Proceeding
from app.proceedings.schemas import ProceedingRead

BUILD = "exports.build"
EXPIRE = "exports.expire"
LINK_LIFETIME = timedelta(minutes=15)
DATA_FILE, SCHEMA_FILE, README_FILE = "donnees.json", "schema.json", "LISEZMOI.txt"


@dataclass(frozen=True)
class _File:
    path: str
    sha256: str
    size: int
    about: str  # one line of the README, in French


def request_export(session: Session, *, actor: Principal, client_id: uuid.UUID) -> Export:
    """Record the export and queue its building, in the caller's transaction."""
    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound(f"No client with id {client_id}.")
    if client.erased_at is not None:
        raise AlreadyErased(f"Erased on {client.erased_at.isoformat()}: nothing to export.")
    export = Export(
        client_id=client_id,
        requested_by_user_id=actor.user_id,
        requested_by_api_key_id=actor.api_key_id,
    )
    session.add(export)
    session.flush()
    jobs.enqueue(session, kind=BUILD, payload={"export_id": str(export.id)}, max_attempts=3)
    audit.record(
        session, actor=actor, action="client.export", resource_type="client", resource_id=client_id,
        details={"export_id": str(export.id)},
    )  # fmt: skip
    return export


def get_export(session: Session, *, export_id: uuid.UUID) -> Export:
    export = session.get(Export, export_id)
    if export is None:
        raise ExportNotFound(f"No export with id {export_id}.")
    return export


def downloadable(export: Export) -> bool:
    return (
        export.status is ExportStatus.ready
        and export.expires_at is not None
        and export.expires_at > utcnow()
    )


# The worker's side.


def build(context: JobContext, payload: dict[str, Any], *, settings: Settings) -> None:
    """The job: gather, write the ZIP to storage, then mark the export ready. The ZIP is
    written outside any transaction."""
    export_id = uuid.UUID(payload["export_id"])
    with context.session_factory() as session:
        export = session.get(Export, export_id)
        if export is None or export.status is not ExportStatus.queued:
            return
        data, files = collect(session, export=export)
    store = make_blob_store(settings)
    try:
        sha256, size = write_zip(store, data, files, heartbeat=context.heartbeat)
        failure = None
    except Exception as exc:  # a missing or unreadable file: say so rather than retry forever
        sha256, size, failure = None, None, f"{type(exc).__name__}: {exc}"[:500]
    with context.session_factory() as session:
        begin_write(session)
        _finish(session, export_id=export_id, client_id=data.client.id, sha256=sha256,
                size=size, files=len(files), failure=failure, settings=settings)  # fmt: skip
        session.commit()


def _finish(
    session: Session,
    *,
    export_id: uuid.UUID,
    client_id: uuid.UUID,
    sha256: str | None,
    size: int | None,
    files: int,
    failure: str | None,
    settings: Settings,
) -> None:
    export = session.get(Export, export_id)
    client = session.get(Client, client_id)
    if export is None or export.status is not ExportStatus.queued:
        return
    now = utcnow()
    if client is None or client.erased_at is not None:
        failure = "The client's data was erased while the export was being built."
    export.finished_at = now
    if failure is None:
        export.status, export.sha256, export.size = ExportStatus.ready, sha256, size
        export.files = files
        export.expires_at = now + timedelta(days=settings.policy.export_days)
    else:
        export.status, export.error = ExportStatus.failed, failure
    session.add(export)


def collect(session: Session, *, export: Export) -> tuple[ClientExport, list[_File]]:
    """Everything held about the export's client, and the files that go with it."""
    client = session.get(Client, export.client_id)
    assert client is not None
    case_ids = session.exec(
        select(Case.id).where(Case.client_id == client.id).order_by(col(Case.opened_at))
    ).all()
    exported, files, about = [], [], [str(client.id)]
    for case_id in case_ids:
        case, case_files, ids = _collect_case(session, case_id=case_id)
        exported.append(case)
        files.extend(case_files)
        about.extend(ids)
    trail = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.resource_id).in_(about))
        .order_by(col(AuditEvent.occurred_at), col(AuditEvent.id))
    ).all()
    reads = session.exec(
        select(AccessEntry)
        .where(AccessEntry.client_id == client.id)
        .order_by(col(AccessEntry.occurred_at), col(AccessEntry.id))
    ).all()
    data = ClientExport(
        export_id=export.id,
        generated_at=utcnow(),
        client=ClientRead.model_validate(client),
        cases=exported,
        audit=[AuditEventRead.model_validate(e) for e in trail],
        access=[AccessEntryRead.model_validate(e) for e in reads],
    )
    return data, files


def _rows(session: Session, *, model: Any, case_id: uuid.UUID, order: Any) -> list[Any]:
    return list(session.exec(select(model).where(model.case_id == case_id).order_by(order)))


def _collect_case(
    session: Session, *, case_id: uuid.UUID
) -> tuple[ExportedCase, list[_File], list[str]]:
    case = cases.view_case(session, case_id=case_id)
    folder = f"dossiers/{case.reference}"
    changes = _rows(session, model=StageChange, case_id=case_id, order=col(StageChange.created_at))
    attempts = _rows(
        session, model=BookingAttempt, case_id=case_id, order=col(BookingAttempt.attempted_at)
    )
    contacts = _rows(
        session, model=PrefectureContact, case_id=case_id, order=col(PrefectureContact.created_at)
    )
    proceedings = _rows(
        session, model=Proceeding, case_id=case_id, order=col(Proceeding.created_at)
    )
    evidence = _rows(session, model=Evidence, case_id=case_id, order=col(Evidence.chain_index))
    documents = _rows(
        session, model=GeneratedDocument, case_id=case_id, order=col(GeneratedDocument.created_at)
    )
    filings = _rows(session, model=Filing, case_id=case_id, order=col(Filing.chain_index))
    found = readings.for_evidence(session, ids=[e.id for e in evidence])

    files: list[_File] = []

    def with_file(exported: Any, read: Any, row: Any, path: str, about: str) -> Any:
        """The row as the API reads it, with its file named in the ZIP (none once erased)."""
        file = None
        if row.erased_at is None:
            files.append(_File(path, row.sha256, row.size, about))
            file = ExportedFile(path=path, sha256=row.sha256, size=row.size)
        return exported.model_validate(read.model_validate(row).model_dump() | {"file": file})

    exported_evidence = []
    for item in evidence:
        stem = exhibits.ascii_slug(item.original_filename.rsplit(".", 1)[0])[:60] or item.kind
        extension = content.EXTENSIONS[item.media_type]
        label = exhibits.LABELS.get(item.kind, "Document")
        row = with_file(
            ExportedEvidence, EvidenceRead, item,
            f"{folder}/pieces/{item.chain_index:03d}_{stem}.{extension}",
            f"{label}, reçu le {format_datetime(item.received_at)}",
        )  # fmt: skip
        if (reading := found.get(item.id)) is not None:
            row.reading = ReadingRead.model_validate(reading)
        exported_evidence.append(row)
    exported_documents = [
        with_file(
            ExportedDocument, DocumentRead, d,
            f"{folder}/documents/{FILE_NAMES[d.kind]}_v{d.version}.docx",
            f"Projet rédigé le {format_datetime(d.created_at)} (version {d.version})",
        )
        for d in documents
    ]  # fmt: skip
    exported_filings = [
        with_file(
            ExportedFiling, FilingRead, f,
            f"{folder}/depots/Depot_{f.filed_on.isoformat()}_{f.chain_index}.zip",
            f"Dossier déposé au tribunal le {format_date(f.filed_on)}, tel que déposé",
        )
        for f in filings
    ]  # fmt: skip
    ids = [
        str(row.id)
        for rows in (changes, attempts, contacts, proceedings, evidence, documents, filings)
        for row in rows
    ]
    exported = ExportedCase(
        case=case,
        stage_changes=[StageChangeRead.model_validate(c) for c in changes],
        attempts=[AttemptRead.model_validate(a) for a in attempts],
        contacts=[ContactRead.model_validate(c) for c in contacts],
        proceedings=[ProceedingRead.model_validate(p) for p in proceedings],
        evidence=exported_evidence,
        documents=exported_documents,
        filings=exported_filings,
    )
    return exported, files, [str(case_id), *ids]


def write_zip(
    store: BlobStore,
    data: ClientExport,
    files: list[_File],
    *,
    heartbeat: Callable[[], None] = lambda: None,
) -> tuple[str, int]:
    """The ZIP, written into storage; its SHA-256 and size. ``heartbeat`` is called as the
    files are copied (a client's files may take longer than a job's lease)."""
    stamp = paris(data.generated_at).timetuple()[:6]
    staging = store.stage()
    try:
        with zipfile.ZipFile(staging, "w", allowZip64=True) as archive:

            def text(name: str, body: str) -> None:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, body.encode())

            text(README_FILE, readme(data, files))
            text(DATA_FILE, data.model_dump_json(indent=2))
            text(SCHEMA_FILE, schema_text())
            for item in files:
                # Photos, PDF and ZIP are compressed already: stored as they are.
                info = zipfile.ZipInfo(item.path, date_time=stamp)
                with archive.open(info, "w", force_zip64=True) as entry:
                    for chunk in store.open(item.sha256):
                        entry.write(chunk)
                        heartbeat()
        size = staging.size
        return store.publish(staging), size
    except BaseException:
        staging.discard()
        raise


def readme(data: ClientExport, files: Iterable[_File]) -> str:
    client = data.client
    lines = [
        "EXPORT DES DONNÉES PERSONNELLES",
        "",
        f"Client : {client.first_names} {client.last_name}",
        f"Export établi le {format_datetime(data.generated_at)} (heure de Paris).",
        "",
        "Cette archive contient toutes les données que le cabinet conserve à votre sujet dans "
        "son logiciel de suivi des dossiers (droit d'accès et droit à la portabilité, articles "
        "15 et 20 du règlement général sur la protection des données).",
        "",
        "CONTENU",
        "",
        f"{README_FILE} — le présent fichier.",
        f"{DATA_FILE} — toutes les informations enregistrées, dans un format lisible par un "
        "logiciel (JSON) : votre identité, chacun de vos dossiers avec ses tentatives de prise "
        "de rendez-vous, ses courriers et contacts avec la préfecture, ses procédures, la "
        "liste des pièces et des projets de documents, l'historique des modifications "
        "(« audit ») et celui des consultations (« access »).",
        f"{SCHEMA_FILE} — la description technique (JSON Schema) du fichier {DATA_FILE}.",
    ]
    listed = list(files)
    if listed:
        lines += [
            "",
            "Fichiers, classés par dossier (« pieces » : les pièces reçues, telles que reçues ; "
            "« documents » : les projets rédigés par le cabinet ; « depots » : les dossiers "
            "déposés au tribunal). L'empreinte SHA-256 de chaque fichier, donnée dans "
            f"{DATA_FILE}, permet de vérifier qu'il n'a pas été modifié.",
            "",
        ]
        lines += [f"{item.path} — {item.about}." for item in listed]
    else:
        lines += ["", "Aucun fichier n'est conservé à votre sujet."]
    return "\n".join(lines) + "\n"


def expire(session: Session, *, store: BlobStore) -> int:
    """Exports past their days: marked expired, their ZIP deleted."""
    now = utcnow()
    due = list(
        session.exec(
            select(Export).where(Export.status == ExportStatus.ready, col(Export.expires_at) <= now)
        )
    )
    for export in due:
        export.status = ExportStatus.expired
        session.add(export)
        if export.sha256 is not None:
            # The download route checks the expiry first: deleting before the commit can
            # only leave a row that is already refused.
            store.delete(export.sha256)
    return len(due)


def expire_job(session: Session, payload: dict[str, Any], *, settings: Settings) -> None:
    expire(session, store=make_blob_store(settings))
