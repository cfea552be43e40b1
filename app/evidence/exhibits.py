"""The exhibit list (bordereau) built from a case's evidence (pure).

Numbers run from 1 without gaps in the chosen order. Each exhibit has an explicit
French label and a file name that Télérecours accepts: it starts with its number,
ASCII letters, digits, « _ » and « - » only, no dot but the extension's, at most 80
characters (art. R. 414-5 CJA and Télérecours' naming rules).
"""

import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app import clock, french
from app.evidence import content

MAX_FILE_NAME = 80

DEFAULT_GROUPS = {
    "identity_document": 0, "residence_document": 0, "screenshot": 1, "email": 2,
    "registered_letter_proof": 2, "acknowledgement_of_receipt": 2, "urgency_proof": 3,
    "legal_aid_document": 4, "court_document": 5, "other": 5, "integrity_attestation": 6,
}  # fmt: skip

LABELS = {
    "identity_document": "Pièce d'identité",
    "residence_document": "Document de séjour",
    "screenshot": "Capture d'écran du site de prise de rendez-vous",
    "email": "Courriel",
    "registered_letter_proof": "Courrier recommandé et preuve de dépôt",
    "acknowledgement_of_receipt": "Accusé de réception",
    "urgency_proof": "Justificatif de l'urgence",
    "court_document": "Document juridictionnel",
    "legal_aid_document": "Aide juridictionnelle",
    "integrity_attestation": "Attestation de conservation des captures d'écran",
    "other": "Document",
}


@dataclass(frozen=True)
class Source:
    evidence_id: uuid.UUID
    kind: str
    media_type: str
    captured_at: datetime | None
    received_at: datetime
    description: str
    attempt_at: datetime | None = None  # the linked attempt's time, for a capture without one


@dataclass(frozen=True)
class Exhibit:
    number: int
    label: str
    file_name: str
    evidence_ids: tuple[uuid.UUID, ...]
    kind: str


def _taken(source: Source) -> datetime | None:
    """When the capture or document was made: its own time, else its attempt's."""
    return source.captured_at or source.attempt_at


def _when(source: Source) -> datetime:
    return _taken(source) or source.received_at


def default_order(sources: list[Source]) -> list[Source]:
    """Identity and residence documents, screenshots in time order, then e-mails,
    letters and acknowledgements, then urgency proofs, then the rest."""
    return sorted(sources, key=lambda s: (DEFAULT_GROUPS[s.kind], _when(s), s.received_at))


def ordered(sources: list[Source], saved: list[str]) -> list[Source]:
    """The saved order first; evidence added since follows in the default order."""
    by_id = {str(s.evidence_id): s for s in sources}
    chosen = [by_id[i] for i in saved if i in by_id]
    rest = [s for s in default_order(sources) if str(s.evidence_id) not in set(saved)]
    return chosen + rest


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9-]+", "_", plain).strip("_-")


def _fit(slug: str, room: int) -> str:
    """``slug`` in ``room`` characters, cut at a word, never inside one."""
    if len(slug) <= room:
        return slug
    cut = slug[: room + 1]
    return (cut[: cut.rfind("_")] if "_" in cut else slug[:room]).rstrip("_-")


def file_name(number: int, label: str, extension: str, stamp: str = "") -> str:
    """``PJ07_<label>[_<stamp>].<ext>``: the label cut at a word, the date stamp kept whole."""
    prefix, suffix = f"PJ{number:02d}_", f".{extension}"
    tail = f"_{stamp}" if stamp else ""
    body = _fit(ascii_slug(label), MAX_FILE_NAME - len(prefix) - len(suffix) - len(tail))
    return prefix + (body or "piece") + tail + suffix


def _stamp(moment: datetime, zone: ZoneInfo, *, time: bool) -> str:
    """« 2026-11-10 » or « 2026-11-10_12h05 » for a file name, on the préfecture's clock."""
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%d_%Hh%M") if time else local.strftime("%Y-%m-%d")


def target_extension(media_type: str) -> str:
    """Every exhibit is a PDF in the filing bundle (Télérecours' format): images are
    embedded, e-mails and texts rendered (app.documents.fileable)."""
    if media_type not in content.ALLOWED:
        raise ValueError(f"not an evidence type: {media_type}")
    return "pdf"


def _single_label(source: Source, zone: ZoneInfo) -> str:
    base = source.description or LABELS[source.kind]
    taken = _taken(source)
    if taken is None:
        return base
    day = french.format_date(taken.astimezone(zone).date())
    if day in base:  # « Courrier recommandé du 3 novembre 2026 » keeps its one date
        return base
    if source.kind == "screenshot":
        return f"{base} {french.format_datetime(taken, zone)}"
    return f"{base} du {day}"


def _single_name(number: int, source: Source, zone: ZoneInfo) -> str:
    extension = target_extension(source.media_type)
    taken = _taken(source)
    if source.kind == "screenshot" and not source.description:
        stamp = _stamp(taken, zone, time=True) if taken else ""
        return file_name(number, "Capture", extension, stamp)
    base = source.description or LABELS[source.kind]
    if taken is not None and french.format_date(taken.astimezone(zone).date()) not in base:
        return file_name(number, base, extension, _stamp(taken, zone, time=False))
    return file_name(number, base, extension)


def _series_name(number: int, series: list[Source], zone: ZoneInfo) -> str:
    first = _stamp(_when(series[0]), zone, time=False)
    last = _stamp(_when(series[-1]), zone, time=False)
    return file_name(number, "Captures", "pdf", first if first == last else f"{first}_au_{last}")


def _series_label(series: list[Source], zone: ZoneInfo) -> str:
    first = _when(series[0]).astimezone(zone).date()
    last = _when(series[-1]).astimezone(zone).date()
    span = (
        f"du {french.format_date(first)}"
        if first == last
        else f"du {french.format_date(first)} au {french.format_date(last)}"
    )
    count = f"{len(series)} captures, série homogène"
    return f"Captures d'écran du site de prise de rendez-vous {span} ({count})"


def build(
    sources: list[Source],
    saved: list[str],
    *,
    group_screenshots: bool,
    zone: ZoneInfo = clock.PARIS,
) -> list[Exhibit]:
    """Number the exhibits; with ``group_screenshots`` each run of consecutive
    screenshots becomes one exhibit (a homogeneous series, one file). Dates and times in
    labels are on the wall clock of ``zone``, the préfecture's territory."""
    runs: list[list[Source]] = []
    for source in ordered(sources, saved):
        if (
            group_screenshots
            and source.kind == "screenshot"
            and source.media_type in content.IMAGES
            and runs
            and runs[-1][-1].kind == "screenshot"
            and runs[-1][-1].media_type in content.IMAGES
        ):
            runs[-1].append(source)
        else:
            runs.append([source])
    exhibits = []
    for number, run in enumerate(runs, start=1):
        if len(run) > 1:
            label, name = _series_label(run, zone), _series_name(number, run, zone)
        else:
            label, name = _single_label(run[0], zone), _single_name(number, run[0], zone)
        exhibits.append(
            Exhibit(
                number=number,
                label=label,
                file_name=name,
                evidence_ids=tuple(s.evidence_id for s in run),
                kind=run[0].kind,
            )
        )
    return exhibits


def plan_of(built: list[Exhibit]) -> list[dict[str, Any]]:
    """The numbered exhibits as plain data: what a draft cites and a filing ships."""
    return [
        {
            "number": e.number,
            "label": e.label,
            "file_name": e.file_name,
            "evidence_ids": [str(i) for i in e.evidence_ids],
        }
        for e in built
    ]


def plan_hash(plan: list[dict[str, Any]]) -> str:
    encoded = json.dumps(plan, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def plan_changes(before: list[dict[str, Any]], now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What moved between two plans, per exhibit: added, removed, renumbered, relabelled."""

    def by_evidence(plan: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
        return {tuple(e["evidence_ids"]): e for e in plan}

    old, new = by_evidence(before), by_evidence(now)
    changes = []
    for key, e in new.items():
        was = old.get(key)
        if was is None:
            changes.append({"change": "added", "number": e["number"], "label": e["label"]})
        elif was["number"] != e["number"]:
            changes.append(
                {
                    "change": "renumbered",
                    "from": was["number"],
                    "number": e["number"],
                    "label": e["label"],
                }
            )
        elif was["label"] != e["label"] or was["file_name"] != e["file_name"]:
            changes.append({"change": "relabelled", "number": e["number"], "label": e["label"]})
    for key, e in old.items():
        if key not in new:
            changes.append({"change": "removed", "from": e["number"], "label": e["label"]})
    return changes
