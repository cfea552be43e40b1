"""Créneau from a generated Python client: a client, a case, an attempt with its screenshot,
the file's readiness, and a refused stage change (409) read as a typed ``Problem``.

Generate the client, then run this against a server with an API key:

    pip install openapi-python-client
    openapi-python-client generate --url http://127.0.0.1:8000/openapi.json \\
        --config docs/client/openapi-python-client.yaml
    pip install ./creneau-client
    export CRENEAU_URL=http://127.0.0.1:8000 CRENEAU_API_KEY=crn_…
    python docs/client/example.py capture.png

CI runs ``walkthrough`` with a freshly generated client (tests/test_contract_client.py).
"""

import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from creneau_client import AuthenticatedClient
from creneau_client.api.attempts import create_attempt
from creneau_client.api.cases import create_case, create_stage_change
from creneau_client.api.clients import create_client
from creneau_client.api.evidence import upload_evidence
from creneau_client.api.readiness import get_case_readiness
from creneau_client.models import (
    AesMotif,
    AttemptCreate,
    AttemptOutcome,
    BookingChannel,
    CaseCreate,
    Civility,
    ClientCreate,
    EvidenceKind,
    EvidenceRead,
    Problem,
    ReadinessRead,
    Stage,
    StageChangeCreate,
    UploadEvidenceBody,
)
from creneau_client.types import File

PARIS_WINTER = timezone(timedelta(hours=1))
T = TypeVar("T")


def ok(answer: T | Problem | None) -> T:
    """The answer, or stop with the problem the API gave (its type says why)."""
    if answer is None or isinstance(answer, Problem):
        raise RuntimeError(f"refused: {answer}")
    return answer


@dataclass
class Walkthrough:
    case_id: uuid.UUID
    evidence: EvidenceRead
    readiness: ReadinessRead
    refusal: Problem


def walkthrough(api: AuthenticatedClient, screenshot: bytes, when: datetime) -> Walkthrough:
    person = ok(
        create_client.sync(
            client=api,
            body=ClientCreate(
                civility=Civility.MADAME, last_name="Ben Salah", first_names="Hélène"
            ),
            idempotency_key=str(uuid.uuid4()),
        )
    )
    case = ok(
        create_case.sync(
            client=api,
            body=CaseCreate(
                client_id=person.id,
                department_code="93",
                procedure_code="aes_vie_privee",
                aes_motif=AesMotif.VIE_PRIVEE_FAMILIALE,
                booking_channel=BookingChannel.RDV_PREFECTURE,
            ),
            idempotency_key=str(uuid.uuid4()),
        )
    )
    attempt = ok(
        create_attempt.sync(
            client=api,
            case_id=case.id,
            body=AttemptCreate(attempted_at=when, outcome=AttemptOutcome.NO_SLOT),
            idempotency_key=str(uuid.uuid4()),
        )
    )
    evidence = ok(
        upload_evidence.sync(
            client=api,
            case_id=case.id,
            body=UploadEvidenceBody(
                file=File(
                    payload=BytesIO(screenshot), file_name="capture.png", mime_type="image/png"
                ),
                kind=EvidenceKind.SCREENSHOT,
                attempt_id=attempt.id,
            ),
            idempotency_key=str(uuid.uuid4()),
        )
    )
    readiness = ok(get_case_readiness.sync(client=api, case_id=case.id))
    # One attempt is not enough to write to the préfecture: the API refuses the stage change
    # with a 409 whose `type` says why (`readiness-not-met`) and whose `failed_criteria` say
    # what is missing; the generated client parses it as a Problem.
    refusal = create_stage_change.sync(
        client=api,
        case_id=case.id,
        body=StageChangeCreate(to_stage=Stage.PREFECTURE_CONTACT),
        idempotency_key=str(uuid.uuid4()),
    )
    assert isinstance(refusal, Problem), refusal
    return Walkthrough(case.id, evidence, readiness, refusal)


def main() -> None:
    screenshot = Path(sys.argv[1]).read_bytes()
    with AuthenticatedClient(
        base_url=os.environ.get("CRENEAU_URL", "http://127.0.0.1:8000"),
        token=os.environ["CRENEAU_API_KEY"],
    ) as api:
        done = walkthrough(api, screenshot, datetime.now(PARIS_WINTER) - timedelta(hours=1))
    print(f"case {done.case_id}: exhibit {done.evidence.sha256[:12]}…")
    for target in done.readiness.targets:
        print(f"  ready for {target.stage}: {target.ready}")
    print(f"refused: {done.refusal.status} {done.refusal.type_} — {done.refusal.detail}")
    for criterion in done.refusal.additional_properties.get("failed_criteria", []):
        print(f"  missing: {criterion}")


if __name__ == "__main__":
    main()
