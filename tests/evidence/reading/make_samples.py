"""Writes the committed samples (tests/evidence/reading/samples/): run it when the drawing changes.

.venv/bin/python -m tests.evidence.reading.make_samples
"""

from pathlib import Path

from tests.evidence.reading import screens

SAMPLES = Path(__file__).parent / "samples"


def main() -> None:
    SAMPLES.mkdir(exist_ok=True)
    (SAMPLES / "phone-0912.jpg").write_bytes(screens.phone("09:12", noise=True, jpeg=True))
    (SAMPLES / "desktop-1403.png").write_bytes(screens.desktop("14:03", "16/11/2026"))
    (SAMPLES / "phone-anef.png").write_bytes(
        screens.phone("21:47", "Aucun créneau n'est disponible pour le moment",
                      url="administration-etrangers-en-france.interieur.gouv.fr")
    )  # fmt: skip


if __name__ == "__main__":
    main()
