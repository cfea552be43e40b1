"""The filing bundle of a case: the latest petition, the inventory and every exhibit."""

from typing import Any

from sqlmodel import Session, col, select

from app.blobstore.storage import BlobStore, Staging
from app.cases.models import Case
from app.documents import bundle, render
from app.documents.context.build import build
from app.documents.context.types import Options
from app.documents.errors import ExhibitNotFileable, PetitionMissing, StalePetition
from app.documents.models import DocumentKind, GeneratedDocument
from app.documents.service import latest
from app.documents.snapshot import snapshot
from app.documents.template_versions import template_source
from app.evidence import exhibits as exhibit_rules
from app.evidence.models import Evidence

BUNDLE_NAMES = {
    DocumentKind.interim_relief_petition: "Requete_refere_mesures_utiles.docx",
    DocumentKind.exhibit_inventory: "Bordereau_des_pieces.docx",
}


def build_bundle(
    session: Session, *, store: BlobStore, case: Case
) -> tuple[Staging, dict[str, Any]]:
    """The filing bundle written to a staging file (the caller publishes or discards it),
    and its manifest.

    The latest petition goes in only if the exhibits it cites are still the case's: any
    exhibit added, withdrawn, moved or relabelled since is a 409 naming each change. The
    inventory is rendered from the same plan, dated like the petition.
    """
    petition = latest(session, case_id=case.id, kind=DocumentKind.interim_relief_petition)
    if petition is None:
        raise PetitionMissing("POST /cases/{id}/documents with kind interim_relief_petition first.")
    snap, built = snapshot(session, case=case)
    current = _current_plan_hash(petition, exhibit_rules.plan_of(built))
    values = build(snap, Options()) | {"today": petition.snapshot.get("today")}
    inventory_source, _ = template_source(session, store=store, kind=DocumentKind.exhibit_inventory)
    documents = [
        (BUNDLE_NAMES[petition.kind], b"".join(store.open(petition.sha256))),
        (BUNDLE_NAMES[DocumentKind.exhibit_inventory], render.render(inventory_source, values)),
    ]
    about = {
        "case_reference": case.reference,
        "tribunal": snap.tribunal_name,
        "exhibit_plan_hash": current,
        "petition": {
            "id": str(petition.id),
            "version": petition.version,
            "sha256": petition.sha256,
        },
    }
    return _write(store, documents, _parts(session, built=built), about)


def _current_plan_hash(petition: GeneratedDocument, plan: list[dict[str, Any]]) -> str:
    """The hash of the case's exhibit plan, if it is still the one the petition cites."""
    current = exhibit_rules.plan_hash(plan)
    if petition.exhibit_plan_hash != current:
        changes = exhibit_rules.plan_changes(petition.exhibit_plan, plan)
        raise StalePetition(
            f"Petition version {petition.version} cites exhibits that changed since "
            f"({len(changes)} change(s)); generate the petition again.",
            extra={
                "petition_id": str(petition.id),
                "changes": changes,
                "exhibit_plan_hash": current,
            },
        )
    return current


def _parts(session: Session, *, built: list[exhibit_rules.Exhibit]) -> list[bundle.Part]:
    ids = [evidence_id for e in built for evidence_id in e.evidence_ids]
    rows = {e.id: e for e in session.exec(select(Evidence).where(col(Evidence.id).in_(ids)))}
    return [
        bundle.Part(
            e.number,
            e.file_name,
            tuple((rows[i].sha256, rows[i].media_type) for i in e.evidence_ids),
        )
        for e in built
    ]


def _write(
    store: BlobStore,
    documents: list[tuple[str, bytes]],
    parts: list[bundle.Part],
    about: dict[str, Any],
) -> tuple[Staging, dict[str, Any]]:
    staging = store.stage()
    try:
        manifest = bundle.write(staging, documents, parts, store, about=about)
        staging.close()
    except bundle.UnfileableExhibit as exc:
        staging.discard()
        raise ExhibitNotFileable(
            f"Exhibit {exc.part.number} ({exc.part.file_name}) cannot be converted to PDF: "
            f"{exc.reason}. Withdraw it or replace the file.",
            extra={"exhibit": exc.part.number, "file_name": exc.part.file_name},
        ) from exc
    except BaseException:
        staging.discard()
        raise
    return staging, manifest
