"""``creneau serve``: the API under uvicorn, one worker process per core by default."""

import argparse
import os
import sys

import uvicorn

from app.cli.database import wait_for_database
from app.config import Settings

MAX_DEFAULT_WORKERS = 4


def default_workers(web_concurrency: str | None, cores: int | None) -> int:
    """WEB_CONCURRENCY when set (the usual variable of Python hosts), else one worker process
    per core, at most four: past that, a single machine's database is the limit, not Python.
    Everything that must run once (first admin, periodic jobs) is safe under several."""
    if web_concurrency:
        try:
            return int(web_concurrency)
        except ValueError:
            return 0
    return max(1, min(cores or 1, MAX_DEFAULT_WORKERS))


def serve(settings: Settings, args: argparse.Namespace) -> int:
    workers = args.workers
    if workers is None:
        workers = default_workers(os.environ.get("WEB_CONCURRENCY"), os.cpu_count())
    if workers < 1:
        print("the number of workers must be at least 1", file=sys.stderr)
        return 2
    wait_for_database(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        access_log=False,  # ours (app.access) logs the path without its query: no feed token
        log_config=None,
        # An idle keep-alive connection is dropped after 5 s; a header block is capped at
        # 16 KiB. Slow or stalled clients are the reverse proxy's to cut (docs/deployment.md).
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
    )
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    serve_parser = commands.add_parser(
        "serve", help="serve the API (HOST and PORT from the environment)"
    )
    serve_parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: WEB_CONCURRENCY, else one per core, at most 4)",
    )
    serve_parser.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from --forwarded-allow-ips (behind a reverse proxy)",
    )
    serve_parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve_parser.set_defaults(run=serve)
