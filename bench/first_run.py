"""A newcomer's first `make run`: seconds from a fresh clone to `/health/ready` = 200.

    .venv/bin/python -m bench.first_run [--commit HEAD] [--commit 9c48d92 ...]

Each commit is cloned from this checkout into an empty directory (no virtualenv, no data),
then `make run` is timed until the readiness probe answers; the virtualenv's size and
package count are printed too. Uses the machine's pip configuration and cache as a newcomer
would, so compare commits in the same run.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from bench.common import ROOT, _free_port


def _size_mb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) // (1024 * 1024)


def measure(commit: str) -> str:
    work = Path(tempfile.mkdtemp(prefix="creneau-first-run-"))
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(work)], check=True)
        subprocess.run(["git", "checkout", "-q", commit], cwd=work, check=True)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CRENEAU_", "VIRTUAL"))}
        env |= {"HOST": "127.0.0.1", "PORT": str(port), "CRENEAU_DATA_DIR": str(work / "var")}
        log = (work / "run.log").open("w")
        started = time.monotonic()
        process = subprocess.Popen(
            ["make", "run"], cwd=work, env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).is_success:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None:
                    raise RuntimeError(f"make run stopped; see {work / 'run.log'}")
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
            log.close()
        packages = subprocess.run(
            [str(work / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.count("\n")
        venv = _size_mb(work / ".venv")
        return f"{commit}: first make run {elapsed:.1f} s; venv {venv} MB, {packages} packages"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", action="append", default=None)
    args = parser.parse_args()
    for commit in args.commit or ["HEAD"]:
        print(measure(commit), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
