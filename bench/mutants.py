"""Rules the test suite must defend: each mutation breaks one rule by one line, and the test
that holds the rule must fail. Run: ``python -m bench.mutants`` (about a minute; the files
are restored after each mutation, and on any error).

The rules are those a code review broke without any test noticing (2026-12-03: M02, M05,
M07, M08, M09, E03, E04), so this checks that the tests written since still hold them.
"""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    code: str
    rule: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant(
        "M02", "entering prefecture_contact needs readiness", "app/readiness/service.py",
        "GUARDED = (Stage.prefecture_contact, Stage.interim_relief)",
        "GUARDED = (Stage.interim_relief,)",
        ("tests/readiness/test_api.py",),
    ),
    Mutant(
        "M05", "webhook subscriptions need webhooks:manage", "app/webhooks/router.py",
        "require(Permission.webhooks_manage)", "require(Permission.cases_write)",
        ("tests/auth/test_permissions.py",),
    ),
    Mutant(
        "M07", "erasing a client empties its drafts' snapshots", "app/personal_data/erasure.py",
        ".values(snapshot={}, options={}, exhibit_plan=[], erased_at=now),",
        ".values(options={}, exhibit_plan=[], erased_at=now),",
        ("tests/personal_data/test_erasure.py",),
    ),
    Mutant(
        "M08", "a rotated secret keeps signing for 24 h", "app/webhooks/delivery.py",
        "and (subscription.previous_secret_until > sent_at)",
        "and (subscription.previous_secret_until < sent_at)",
        ("tests/test_integrations.py::test_a_rotated_secret_signs_beside_the_new_one_for_24_hours",),
    ),
    Mutant(
        "M09", "a delivery connects to the address it checked", "app/webhooks/delivery.py",
        "pinned = httpx.URL(url).copy_with(host=host)", "pinned = httpx.URL(url)",
        ("tests/test_integrations.py::test_a_delivery_connects_to_the_address_it_checked",),
    ),
    Mutant(
        "E03", "the path is part of the Idempotency-Key fingerprint",
        "app/idempotency/dependencies.py",
        "fingerprint(request.method, target, canonical_body(body))",
        'fingerprint(request.method, "", canonical_body(body))',
        ("tests/attempts/test_attempts.py",),
    ),
    Mutant(
        "E04", "the last attempt may be exactly the limit old", "app/readiness/rules.py",
        "since <= limit,", "since < limit,",
        ("tests/readiness/test_rules.py",),
    ),
)  # fmt: skip


def run(mutant: Mutant) -> bool:
    """Whether the tests caught the mutant (failed with it applied)."""
    path = ROOT / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.code}: {mutant.old!r} is not once in {mutant.path}")
    try:
        path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutant.tests],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        path.write_text(original, encoding="utf-8")
    return done.returncode != 0


def main() -> int:
    survivors = 0
    for mutant in MUTANTS:
        caught = run(mutant)
        survivors += not caught
        print(f"{mutant.code}  {'caught  ' if caught else 'SURVIVED'}  {mutant.rule}")
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} caught")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
