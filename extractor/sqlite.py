"""SQLite connections as the result cache and the jobs database use them: same pragmas, one per thread.

WAL lets readers run beside the one writer, across threads and processes; ``synchronous=NORMAL`` is
durable across process crashes (not power cuts) at a fraction of the fsyncs; a 30 s busy timeout rides
out another process's write. Autocommit (``isolation_level=None``): callers open transactions themselves
(``BEGIN IMMEDIATE``) and fetch every read fully, since a half-read cursor pins an old snapshot.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

__all__ = ["BUSY_TIMEOUT_S", "ThreadConnections", "connect"]

BUSY_TIMEOUT_S = 30.0
MEMORY = ":memory:"


def connect(path: str, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to ``path`` with the shared pragmas (WAL only for files: memory has no journal)."""
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=check_same_thread
    )
    if path != MEMORY:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    return connection


class ThreadConnections:
    """One connection per thread to one database file, opened on first use in each thread.

    A ``":memory:"`` database exists only inside its connection, so every thread shares one connection
    to it (callers that use it from several threads serialise their own transactions).

    Args:
        path: The database file (its directory is created) or ``":memory:"``.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        """This thread's connection."""
        if self.path == MEMORY:
            with self._lock:
                if self._shared is None:
                    self._shared = connect(MEMORY, check_same_thread=False)
                return self._shared
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = connect(self.path)
        return connection

    def close(self) -> None:
        """Close this thread's connection (and the shared one of a memory database)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None
