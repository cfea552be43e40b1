"""The « attestation de conservation des pièces »: what the hash chain proves, as a PDF (pure).

Each screenshot is listed with when it was taken and received, its SHA-256 and its place
in the case's chain, with the chain's verification at the time of issue. The lawyer may
produce it as a numbered pièce: it becomes evidence of the case like any other.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app import french
from app.documents.fileable import PdfDocument


@dataclass(frozen=True)
class Capture:
    chain_index: int
    taken_at: datetime | None
    received_at: datetime
    sha256: str
    entry_hash: str


def attestation_pdf(
    *,
    reference: str,
    client: str,
    firm: str,
    issued_at: datetime,
    zone: ZoneInfo,
    zone_note: str,
    captures: list[Capture],
    chain_length: int,
    head_hash: str,
) -> bytes:
    document = PdfDocument(f"Attestation de conservation – dossier {reference}")
    document.title("ATTESTATION DE CONSERVATION DES CAPTURES D'ÉCRAN")
    when = french.format_datetime(issued_at, zone)
    note = f" ({zone_note})" if zone_note else ""
    document.body(
        f"Dossier {reference} – {client}.\n\n"
        f"{firm} atteste que les {len(captures)} captures d'écran énumérées ci-dessous sont "
        "conservées telles qu'elles ont été reçues. Chacune est identifiée par l'empreinte "
        "SHA-256 du fichier reçu ; chaque enregistrement des pièces du dossier est chaîné au "
        "précédent par une empreinte de chaînage, de sorte que toute modification ou suppression "
        "ultérieure d'une pièce ou d'un enregistrement serait décelable.\n\n"
        f"Vérification effectuée {when}{note} : les {chain_length} enregistrements de la chaîne "
        "sont intègres et chaque fichier correspond à son empreinte. Empreinte du dernier "
        f"enregistrement : {head_hash}."
    )
    for capture in captures:
        taken = (
            french.format_datetime(capture.taken_at, zone).removeprefix("le ")
            if capture.taken_at
            else "heure non indiquée"
        )
        received = french.format_datetime(capture.received_at, zone).removeprefix("le ")
        document.body(
            f"Enregistrement n° {capture.chain_index} – capture du {taken}, reçue le {received}\n"
            f"SHA-256 : {capture.sha256}\n"
            f"Empreinte de chaînage : {capture.entry_hash}"
        )
    return document.output()
