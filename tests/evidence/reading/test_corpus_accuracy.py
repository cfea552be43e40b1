"""The committed corpus read as the worker reads it, held to what the reading achieves
(docs/benchmarks.md: 90 of 97 verdicts right, 84 of 90 shown times read within a minute;
the issue asks 95 %, which the three Arabic-Indic clocks and the blurriest photos keep out of
reach) and, above all, to what a court needs: no capture that does not prove its attempt is
ever called proof. Times per capture are the benchmark's (bench/readings_corpus.py)."""

import os
import shutil
from concurrent.futures import ProcessPoolExecutor

import pytest

from bench import readings_corpus as bench
from tests.evidence.reading.corpus import manifest

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="Tesseract is not installed here (CI installs it and never skips)",
)
VERDICTS_RIGHT = 90
TIMES_READ = 84


@pytest.fixture
def sealer() -> None:
    """The corpus is read from files, not from storage: sealed or plain makes no difference,
    so it is read once (the evidence tests' fixture would read it twice)."""


def test_the_corpus_reads_right_and_never_calls_a_doubtful_capture_proof() -> None:
    entries = manifest.load()
    messages = bench.seeded_messages()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(bench.read, entries, [messages] * len(entries)))

    found = bench.summary(results)
    wrong = [f"{r.file}: {r.expected}, read {r.verdict} {r.times}" for r in results if not r.right]
    false_proofs = [r.file for r in results if r.verdict == "consistent" and not r.right]

    assert false_proofs == []
    assert found["verdict_right"] >= VERDICTS_RIGHT, "\n".join(wrong)
    assert found["time_read"] >= TIMES_READ, "\n".join(wrong)
