"""SQLite's write lock, as another writer sees it."""

import sqlite3
from pathlib import Path


def lock_free(database: str | Path) -> bool:
    """Whether another writer could take SQLite's write lock at this moment."""
    probe = sqlite3.connect(database, isolation_level=None, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
