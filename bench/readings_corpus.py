"""Screenshot readings on the committed corpus: is the verdict right, is the visible time read,
and how long the OCR takes per capture, by family.

    PYTHONPATH=$PWD .venv/bin/python -m bench.readings_corpus [--family F] [--limit N] [--json]

For each capture of tests/evidence/reading/corpus/corpus.json: the app's OCR
(``ocr.read_text``, timed, pinned to one core: Tesseract runs with OMP_THREAD_LIMIT=1 as in
the worker), then what ``parse`` finds (times, dates) and the verdict, mapped to the corpus's
vocabulary by ``verdict_of`` — the one function to change when the verdict API changes. A
time is read when one of the times found is within a minute of the one shown; a date when
the date shown is among those found. Seconds are the OCR's alone (parsing takes microseconds).
"""

import argparse
import importlib.util
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.evidence.reading import ocr, parse, signs, verdicts
from app.evidence.reading.models import Verdict
from bench.common import ROOT, percentile
from tests.evidence.reading.corpus import manifest

TOLERANCE = timedelta(minutes=10)  # the policy's default capture_time_tolerance_minutes
TO_CORPUS = {
    Verdict.consistent: "consistent",
    Verdict.time_mismatch: "inconsistent",
    Verdict.no_visible_time: "unverifiable",
    Verdict.no_refusal_message: "not_confirmed",
    Verdict.unreadable: "unreadable",
}


def seeded_messages() -> list[str]:
    """The refusal messages a fresh database holds (the migration's seed)."""
    (path,) = (ROOT / "migrations" / "versions").glob(
        "*_screenshot_readings_and_refusal_messages.py"
    )
    spec = importlib.util.spec_from_file_location("seeded_refusal_messages", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [text for text, _site in module.SEED]


def verdict_of(
    entry: dict[str, Any], text: str, times: list[str], dates: list[str], messages: list[str]
) -> str:
    """The app's verdict on one capture, in the corpus's words: what the worker decides,
    from the signs of the attempt's outcome and the clocks read."""
    attempt = datetime.fromisoformat(entry["attempt_at"])
    judged = verdicts.judge(
        text=text,
        confirmation=signs.confirmation(entry["outcome"], text, messages),
        visible_times=times,
        visible_dates=dates,
        attempt_local=attempt,
        tolerance=TOLERANCE,
        received_local=attempt,
    )
    return "unjudged" if judged.verdict is None else TO_CORPUS[judged.verdict]


@dataclass
class Result:
    file: str
    family: str
    expected: str
    verdict: str
    shown_time: str | None
    shown_date: str | None
    times: list[str]
    dates: list[str]
    seconds: float

    @property
    def right(self) -> bool:
        return self.verdict == self.expected

    @property
    def time_read(self) -> bool | None:
        if self.shown_time is None:
            return None
        return any(_minutes_apart(self.shown_time, t) <= 1 for t in self.times)

    @property
    def date_read(self) -> bool | None:
        return None if self.shown_date is None else self.shown_date in self.dates


def _minutes_apart(a: str, b: str) -> int:
    (ha, ma), (hb, mb) = (map(int, a.split(":")), map(int, b.split(":")))
    gap = abs(ha * 60 + ma - hb * 60 - mb)
    return min(gap, 24 * 60 - gap)


def read(entry: dict[str, Any], messages: list[str]) -> Result:
    content = manifest.file_of(entry).read_bytes()
    started = time.perf_counter()
    text = ocr.read_text(content)
    seconds = time.perf_counter() - started
    # The worker gives the day the capture was received, for a date shown without its year.
    day = datetime.fromisoformat(entry["attempt_at"]).date()
    times, dates = parse.times(text), parse.dates(text, today=day)
    return Result(entry["file"], entry["family"], entry["expected"],
                  verdict_of(entry, text, times, dates, messages), entry["shown_time"],
                  entry["shown_date"], times, dates, seconds)  # fmt: skip


def summary(results: list[Result]) -> dict[str, Any]:
    timed = [r for r in results if r.time_read is not None]
    dated = [r for r in results if r.date_read is not None]
    seconds = [r.seconds for r in results]
    return {
        "captures": len(results),
        "verdict_right": sum(r.right for r in results),
        "verdict_accuracy": _share(sum(r.right for r in results), len(results)),
        "with_time": len(timed),
        "time_read": sum(bool(r.time_read) for r in timed),
        "time_read_rate": _share(sum(bool(r.time_read) for r in timed), len(timed)),
        "with_date": len(dated),
        "date_read": sum(bool(r.date_read) for r in dated),
        "date_read_rate": _share(sum(bool(r.date_read) for r in dated), len(dated)),
        "median_s": round(statistics.median(seconds), 3) if seconds else None,
        "p90_s": round(percentile(seconds, 90), 3) if seconds else None,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "—"


def table(report: dict[str, Any]) -> str:
    head = (f"{'family':<14} {'n':>3}  {'verdict right':<15} {'time read ±1 min':<17} "
            f"{'date read':<14} {'median s':>8} {'p90 s':>6}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for name, s in [*report["families"].items(), ("all", report["overall"])]:
        right, timed = _pct(s["verdict_right"], s["captures"]), _pct(s["time_read"], s["with_time"])
        dated = _pct(s["date_read"], s["with_date"])
        lines.append(
            f"{name:<14} {s['captures']:>3}  {right:<15} {timed:<17} {dated:<14} "
            f"{s['median_s']:>8.2f} {s['p90_s']:>6.2f}"
        )
    lines += ["", "expected → verdict (count):"]
    pairs: dict[tuple[str, str], int] = {}
    for c in report["results"]:
        pairs[(c["expected"], c["verdict"])] = pairs.get((c["expected"], c["verdict"]), 0) + 1
    for (expected, verdict), count in sorted(pairs.items()):
        mark = "  " if expected == verdict else "✗ "
        lines.append(f"  {mark}{expected:<14} → {verdict:<14} {count:>3}")
    wrong = [c for c in report["results"] if c["expected"] != c["verdict"]]
    if wrong:
        lines += ["", "wrong verdicts:"]
        for c in wrong:
            found = ",".join(c["times"][:4]) or "no time"
            lines.append(f"  {Path(c['file']).name:<58} {c['expected']:<13} got {c['verdict']:<13} "
                         f"(shown {c['shown_time']}, read {found})")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=manifest.FAMILIES)
    parser.add_argument("--limit", type=int, help="read only the first N captures")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--cpu", type=int, help="the core to pin to (default: the first allowed)")
    args = parser.parse_args()
    cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})  # Tesseract, a child process, inherits it
    entries = [e for e in manifest.load() if args.family in (None, e["family"])]
    entries = entries[: args.limit] if args.limit else entries
    messages = seeded_messages()
    results = [read(entry, messages) for entry in entries]
    families = {f: [r for r in results if r.family == f] for f in manifest.FAMILIES}
    report = {
        "engine": ocr.engine(),
        "cpu": cpu,
        "families": {f: summary(rs) for f, rs in families.items() if rs},
        "overall": summary(results),
        "results": [
            asdict(r) | {"right": r.right, "time_read": r.time_read, "date_read": r.date_read}
            for r in results
        ],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"engine: {report['engine']}, pinned to CPU {cpu}, {len(results)} captures\n")
        print(table(report))


if __name__ == "__main__":
    main()
