"""``creneau worker``: background jobs (deliveries, readings, exports, periodic work)."""

import argparse
import signal
import threading

from app.cli.database import database, wait_for_database
from app.config import Settings
from app.logs import configure_logging
from app.worker import registry


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run background jobs until SIGTERM or SIGINT (or, with --once, one batch)."""
    configure_logging(settings)
    wait_for_database(settings)
    with database(settings) as sessions:
        worker = registry.build(settings, sessions)
        if args.once:
            print(f"ran {worker.run_once()} job(s)")
            return 0
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        worker.run(stop, idle=args.idle)
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    worker = commands.add_parser("worker", help="run background jobs (deliveries, periodic work)")
    worker.add_argument("--once", action="store_true", help="run one batch and exit")
    worker.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")
    worker.set_defaults(run=run)
