"""Draws the reading corpus (captures/ and corpus.json beside this file) in headless Chromium,
then its Pillow variants. Deterministic: run it again and the files do not change (with the
same Chromium and fonts; see README.md).

    python -m tests.evidence.reading.corpus.make_corpus [--only SUBSTRING]
"""

import argparse
import io
import json
import shutil
import sys
from datetime import datetime
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

from tests.evidence.reading.corpus import cases, desktop, fonts, manifest, pages, phone, variants
from tests.evidence.reading.corpus.cases import Derived, Drawn
from tests.evidence.reading.corpus.desktop import Desk

CAPTURES = manifest.HERE / "captures"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--force-color-profile=srgb", "--hide-scrollbars",
        "--font-render-hinting=none"]  # fmt: skip


def document(case: Drawn) -> str:
    if isinstance(case.screen, Desk):
        inner = desktop.body(case.screen, case.page, waiting=case.waiting)
    else:
        inner = phone.body(case.screen, case.page)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><style>'
        f"{fonts.css()}\nhtml, body {{ margin: 0; height: 100%; }}\n{pages.CSS}{desktop.CSS}"
        f"{phone.CSS}</style></head><body>{inner}</body></html>"
    )


def geometry(case: Drawn) -> dict[str, Any]:
    if isinstance(case.screen, Desk):
        width, height = desktop.size(case.screen)
        return {"viewport": {"width": width, "height": height},
                "device_scale_factor": case.screen.scale}  # fmt: skip
    width, height = phone.size(case.screen)
    return {"viewport": {"width": width, "height": height}, "device_scale_factor": 3,
            "is_mobile": True, "has_touch": True}  # fmt: skip


def render(chosen: list[Drawn]) -> dict[str, Image.Image]:
    drawn: dict[str, Image.Image] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for case in chosen:
                if case.white:
                    drawn[case.name] = Image.new("RGB", desktop.size(Desk("win11")), "white")
                    continue
                context = browser.new_context(**geometry(case), locale="fr-FR")
                tab = context.new_page()
                tab.set_content(document(case), wait_until="load")
                tab.evaluate("document.fonts.ready.then(() => true)")
                shot = tab.screenshot(type="png", animations="disabled", caret="hide")
                context.close()
                drawn[case.name] = Image.open(io.BytesIO(shot)).convert("RGB")
                print(f"drew {case.name} {drawn[case.name].size}", flush=True)
        finally:
            browser.close()
    return drawn


def shown(case: Drawn) -> tuple[str | None, str | None, str | None]:
    """The visible time (HH:MM), date (ISO) and clock text: the system's clock, else the
    page's own stamp. Phones' status bars show no date; macOS and GNOME a day and month."""
    screen = case.screen
    text = (desktop.clock_text(screen) if isinstance(screen, Desk)
            else phone.clock_text(screen))  # fmt: skip
    if text is not None and screen.clock is not None and not case.white:
        day = None if not isinstance(screen, Desk) else screen.clock.date().isoformat()
        return f"{screen.clock:%H:%M}", day, text
    if case.stamp is not None:
        return f"{case.stamp:%H:%M}", case.stamp.date().isoformat(), None
    return None, None, None


def entry(case: Drawn, file: str) -> dict[str, Any]:
    time, day, text = shown(case)
    shows = None if case.white else case.page.shows
    screen = case.screen
    record: dict[str, Any] = {
        "file": file,
        "family": case.family,
        "page": case.page.kind,
        "outcome": case.outcome,
        "attempt_at": f"{case.attempt:%Y-%m-%dT%H:%M}",
        "shown_time": time,
        "shown_date": day,
        "expected": manifest.expected(shows=shows, outcome=case.outcome, attempt_at=case.attempt,
                                      shown_time=time, shown_date=day),
        "shows": shows,
        "system": screen.system,
        "theme": screen.theme,
        "scale": screen.scale if isinstance(screen, Desk) else 3,
        "locale": screen.locale,
        "clock": text,
        "url": None if case.white else case.page.url,
        "variant": "png",
        "source": None,
        "note": case.note,
    }  # fmt: skip
    return record


def variant(base: dict[str, Any], item: Derived, file: str) -> dict[str, Any]:
    record = {**base, "file": file, "source": base["file"], "note": item.note or base["note"]}
    if item.quality is not None:
        record["variant"] = f"jpeg_q{item.quality}"
        return record
    assert item.shot is not None
    record |= {"family": "photo", "variant": "photo"}
    if item.unreadable:
        record |= {"shows": None, "note": "too blurred and dark to read"}
    record["expected"] = manifest.expected(
        shows=record["shows"], outcome=record["outcome"],
        attempt_at=datetime.fromisoformat(record["attempt_at"]),
        shown_time=record["shown_time"], shown_date=record["shown_date"],
    )  # fmt: skip
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="draw only the captures whose name contains this")
    args = parser.parse_args()
    every = cases.drawn()
    chosen = [c for c in every if args.only is None or args.only in c.name]
    images = render(chosen)
    CAPTURES.mkdir(exist_ok=True)
    entries, by_number = [], {}
    for case in chosen:
        file = f"captures/{case.name}.png"
        (manifest.HERE / file).write_bytes(variants.png(images[case.name]))
        entries.append(entry(case, file))
        by_number[case.name[:2]] = (case, entries[-1])
    photos = 0
    for item in cases.derived():
        if item.source not in by_number:
            continue
        case, base = by_number[item.source]
        image = images[case.name]
        if item.quality is not None:
            file = f"captures/{case.name}-q{item.quality}.jpg"
            content = variants.jpeg(image, item.quality)
        else:
            assert item.shot is not None
            photos += 1
            file = f"captures/photo-{photos:02d}-of-{case.name}.jpg"
            content = variants.photo(image, item.shot, taken=case.attempt.replace(second=31))
        (manifest.HERE / file).write_bytes(content)
        entries.append(variant(base, item, file))
    if args.only is not None:
        print(f"{len(entries)} captures drawn; the manifest is written only by a full run")
        return
    written = {e["file"] for e in entries}
    for stale in CAPTURES.iterdir():
        if f"captures/{stale.name}" not in written:
            stale.unlink()
    text = json.dumps(entries, ensure_ascii=False, indent=1)
    manifest.MANIFEST.write_text(text + "\n", encoding="utf-8")
    size = sum((manifest.HERE / e["file"]).stat().st_size for e in entries)
    print(f"{len(entries)} captures, {size / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
