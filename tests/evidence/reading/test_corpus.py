"""The reading corpus's manifest is whole: every capture is there, every field is valid and
every expected verdict is the one its fields give."""

from datetime import datetime, time

from tests.evidence.reading.corpus import manifest


def test_the_corpus_manifest_is_complete() -> None:
    entries = manifest.load()
    bad = []
    for entry in entries:
        where = entry.get("file")
        if any(field not in entry for field in manifest.FIELDS):
            bad.append(f"{where}: missing {set(manifest.FIELDS) - set(entry)}")
            continue
        if not manifest.file_of(entry).is_file():
            bad.append(f"{where}: no such file")
        for field, allowed in (
            ("family", manifest.FAMILIES),
            ("page", manifest.PAGES),
            ("outcome", manifest.OUTCOMES),
            ("expected", manifest.VERDICTS),
        ):
            if entry[field] not in allowed:
                bad.append(f"{where}: {field} {entry[field]!r}")  # fmt: skip
        attempt = datetime.fromisoformat(entry["attempt_at"])
        if entry["shown_time"] is not None:
            time.fromisoformat(entry["shown_time"])
        if entry["shown_date"] is not None and entry["shown_time"] is None:
            bad.append(f"{where}: a date shown without a time")
        rule = manifest.expected(shows=entry.get("shows"), outcome=entry["outcome"],
                                 attempt_at=attempt, shown_time=entry["shown_time"],
                                 shown_date=entry["shown_date"])  # fmt: skip
        if rule != entry["expected"]:
            bad.append(f"{where}: expected {entry['expected']}, the rule says {rule}")

    assert bad == []
    assert len(entries) >= 60
    assert len({e["file"] for e in entries}) == len(entries)
    assert {e["family"] for e in entries} == set(manifest.FAMILIES)
    assert {e["page"] for e in entries} == set(manifest.PAGES)
    assert {e["outcome"] for e in entries} == set(manifest.OUTCOMES)
    assert {e["expected"] for e in entries} == set(manifest.VERDICTS)
