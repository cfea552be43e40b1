"""The committed corpus read as the worker reads it: the verdict right for 95 % of the
captures, the visible time read within a minute for 90 % of those that show one (issue's
figures; times per capture are the benchmark's: bench/readings_corpus.py)."""

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


def test_the_corpus_reads_right() -> None:
    entries = manifest.load()
    messages = bench.seeded_messages()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(bench.read, entries, [messages] * len(entries)))

    found = bench.summary(results)
    wrong = [
        f"{r.file}: {r.expected}, read {r.verdict} ({r.times})" for r in results if not r.right
    ]

    assert found["verdict_accuracy"] >= 0.95, "\n".join(wrong)
    assert found["time_read_rate"] >= 0.90, "\n".join(wrong)
