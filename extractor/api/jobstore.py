"""The jobs database (SQLite): jobs, their input lines and their result records.

Every input line and every finished result is committed as it arrives, so a server that stops (cleanly or
not) loses no job and no finished result; the next process to claim the job runs only the lines without a
result. Claims are leases: the running process refreshes ``heartbeat``; a job whose lease holder stopped
heartbeating, or whose holder process on this host is gone, is claimed again. Several workers (``serve
--workers N``) can share one database.

Methods are blocking; the async callers run them in a thread.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.sqlite import ThreadConnections

__all__ = ["JobRow", "JobStore", "drop_lease", "new_job_id", "new_lease"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    model TEXT,
    status TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    succeeded INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    error TEXT,
    lease TEXT,
    heartbeat REAL
);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created);
CREATE TABLE IF NOT EXISTS job_inputs (
    job_id TEXT NOT NULL,
    line INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, line)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_results (
    seq INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    key TEXT NOT NULL,
    line INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (job_id, key)
);
CREATE INDEX IF NOT EXISTS job_results_in_order ON job_results (job_id, seq);
"""

# A job being uploaded is invisible until its last line is stored.
RECEIVING = "receiving"
ACTIVE = ("queued", "running")


def new_job_id() -> str:
    """A fresh, unguessable job id."""
    return "job_" + uuid.uuid4().hex


_LIVE_LEASES: set[str] = set()
"""Leases held by job managers running in this process (several apps can share one process)."""


def new_lease() -> str:
    """A lease token naming this process, live until :func:`drop_lease`: ``host:pid:random``."""
    lease = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    _LIVE_LEASES.add(lease)
    return lease


def drop_lease(lease: str) -> None:
    """Mark a lease of this process as no longer held."""
    _LIVE_LEASES.discard(lease)


def _holder_gone(lease: str) -> bool:
    """Whether the process named by a lease is known to be dead (only decidable on this host)."""
    host, _, rest = lease.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return lease not in _LIVE_LEASES
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass(frozen=True)
class JobRow:
    """One row of the jobs table."""

    id: str
    owner: str
    model: str | None
    status: str
    total: int
    succeeded: int
    failed: int
    created: float
    updated: float
    error: str | None
    lease: str | None

    @property
    def done(self) -> int:
        """Lines with a result or an error record."""
        return self.succeeded + self.failed


_COLUMNS = "id, owner, model, status, total, succeeded, failed, created, updated, error, lease"


class JobStore:
    """Jobs, inputs and results in one SQLite file (WAL, one connection per thread).

    Writes take the write lock up front (``BEGIN IMMEDIATE``) and reads are always fully fetched: a
    half-read cursor would pin an old snapshot, and a transaction that reads before it writes fails at
    once (no busy wait) when another connection wrote in between.

    Args:
        path: The database file; its directory is created.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._connections = ThreadConnections(self.path)
        self._connect().executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return self._connections.get()

    def ping(self) -> None:
        """Raise if the database cannot be read."""
        self._connect().execute("SELECT 1 FROM jobs LIMIT 1").fetchall()

    # -- creation ---------------------------------------------------------------------------------------
    def begin(self, job_id: str, owner: str, model: str | None, lease: str) -> None:
        """Register a job being received (invisible, held by ``lease`` so a crash lets it be swept)."""
        now = time.time()
        self._connect().execute(
            "INSERT INTO jobs (id, owner, model, status, created, updated, lease, heartbeat) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (job_id, owner, model, RECEIVING, now, now, lease, now),
        )

    def add_inputs(self, job_id: str, lines: Iterable[tuple[int, bytes]]) -> None:
        """Store input lines (line number, raw bytes) in one transaction."""
        connection = self._connect()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "INSERT INTO job_inputs (job_id, line, data) VALUES (?, ?, ?)",
                ((job_id, line, data) for line, data in lines),
            )
            connection.execute("UPDATE jobs SET heartbeat = ? WHERE id = ?", (time.time(), job_id))

    def commit(self, job_id: str) -> int:
        """Make a received job visible and runnable; returns its number of input lines."""
        connection = self._connect()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            ((total,),) = connection.execute(
                "SELECT count(*) FROM job_inputs WHERE job_id = ?", (job_id,)
            ).fetchall()
            connection.execute(
                "UPDATE jobs SET status = 'queued', total = ?, lease = NULL, heartbeat = NULL, updated = ? "
                "WHERE id = ?",
                (total, time.time(), job_id),
            )
        return int(total)

    def delete(self, job_id: str) -> None:
        """Forget a job with its inputs and results."""
        connection = self._connect()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            for table, column in (("job_results", "job_id"), ("job_inputs", "job_id"), ("jobs", "id")):
                connection.execute(f"DELETE FROM {table} WHERE {column} = ?", (job_id,))

    # -- reading ----------------------------------------------------------------------------------------
    def get(self, job_id: str) -> JobRow | None:
        """A visible job (None for unknown ids and jobs still being received)."""
        rows = (
            self._connect()
            .execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ? AND status != ?", (job_id, RECEIVING))
            .fetchall()
        )
        return JobRow(*rows[0]) if rows else None

    def results(self, job_id: str, *, after_seq: int = 0, limit: int = 500) -> list[tuple[int, str]]:
        """Up to ``limit`` (sequence number, record) pairs after ``after_seq``, in completion order."""
        rows = (
            self._connect()
            .execute(
                "SELECT seq, record FROM job_results WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (job_id, after_seq, limit),
            )
            .fetchall()
        )
        return [(int(seq), str(record)) for seq, record in rows]

    def inputs(self, job_id: str, *, batch: int = 500) -> Iterator[tuple[int, bytes]]:
        """Every input line (number, raw bytes) in line order, read a page at a time."""
        after = 0
        while True:
            rows = (
                self._connect()
                .execute(
                    "SELECT line, data FROM job_inputs WHERE job_id = ? AND line > ? ORDER BY line LIMIT ?",
                    (job_id, after, batch),
                )
                .fetchall()
            )
            if not rows:
                return
            for line, data in rows:
                yield int(line), bytes(data)
            after = int(rows[-1][0])

    def done_keys(self, job_id: str) -> set[str]:
        """Resume keys of the lines that already have an outcome."""
        rows = self._connect().execute("SELECT key FROM job_results WHERE job_id = ?", (job_id,)).fetchall()
        return {str(key) for (key,) in rows}

    # -- running ----------------------------------------------------------------------------------------
    def claim(self, lease: str, *, stale_after_s: float) -> JobRow | None:
        """Take the oldest runnable job: queued, or running under a lease that lapsed or whose holder died.

        Receiving jobs whose uploader is gone are deleted on the way.
        """
        connection = self._connect()
        now = time.time()
        rows = connection.execute(
            "SELECT id, status, lease, heartbeat FROM jobs WHERE status IN ('queued', 'running', ?) "
            "ORDER BY created",
            (RECEIVING,),
        ).fetchall()
        for job_id, status, holder, heartbeat in rows:
            lapsed = (
                holder is None or heartbeat is None or heartbeat < now - stale_after_s or _holder_gone(holder)
            )
            if not lapsed or holder == lease:
                continue
            if status == RECEIVING:
                self.delete(job_id)
                continue
            taken = connection.execute(
                "UPDATE jobs SET status = 'running', lease = ?, heartbeat = ?, updated = ? "
                "WHERE id = ? AND lease IS ? AND status IN ('queued', 'running')",
                (lease, now, now, job_id, holder),
            ).rowcount
            if taken:
                return self.get(job_id)
        return None

    def heartbeat(self, job_id: str, lease: str) -> bool:
        """Refresh a lease; False when it was lost (another process took the job)."""
        changed = (
            self._connect()
            .execute("UPDATE jobs SET heartbeat = ? WHERE id = ? AND lease = ?", (time.time(), job_id, lease))
            .rowcount
        )
        return bool(changed)

    def add_result(self, job_id: str, key: str, line: int, ok: bool, record: str) -> bool:
        """Store one outcome and count it; False if the key already had one."""
        connection = self._connect()
        now = time.time()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            inserted = connection.execute(
                "INSERT OR IGNORE INTO job_results (job_id, key, line, ok, record) VALUES (?, ?, ?, ?, ?)",
                (job_id, key, line, int(ok), record),
            ).rowcount
            if inserted:
                column = "succeeded" if ok else "failed"
                connection.execute(
                    f"UPDATE jobs SET {column} = {column} + 1, updated = ? WHERE id = ?",
                    (now, job_id),
                )
        return bool(inserted)

    def requeue(self, job_id: str) -> bool:
        """Queue a finished job again to redo its failed lines; False if it had none and did not fail.

        The error records are dropped, so their lines run again; a failed job also resumes its lines
        that never ran.
        """
        connection = self._connect()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            changed = connection.execute(
                "UPDATE jobs SET status = 'queued', error = NULL, failed = 0, updated = ? "
                "WHERE id = ? AND (status = 'failed' OR (status = 'succeeded' AND failed > 0))",
                (time.time(), job_id),
            ).rowcount
            if changed:
                connection.execute("DELETE FROM job_results WHERE job_id = ? AND ok = 0", (job_id,))
        return bool(changed)

    def delete_unless_running(self, job_id: str) -> bool:
        """Forget a queued or finished job; False (and nothing deleted) while it runs or is received."""
        connection = self._connect()
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            rows = connection.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchall()
            if not rows or rows[0][0] in ("running", RECEIVING):
                return False
            for table, column in (("job_results", "job_id"), ("job_inputs", "job_id"), ("jobs", "id")):
                connection.execute(f"DELETE FROM {table} WHERE {column} = ?", (job_id,))
        return True

    def purge(self, *, finished_before: float) -> int:
        """Delete the jobs that ended before ``finished_before`` (epoch seconds); returns how many."""
        rows = (
            self._connect()
            .execute(
                "SELECT id FROM jobs WHERE status IN ('succeeded', 'failed') AND updated < ?",
                (finished_before,),
            )
            .fetchall()
        )
        for (job_id,) in rows:
            self.delete(job_id)
        return len(rows)

    def finish(self, job_id: str, lease: str, *, error: str | None = None) -> None:
        """Mark a job succeeded (or failed with ``error``) and drop its lease."""
        self._connect().execute(
            "UPDATE jobs SET status = ?, error = ?, lease = NULL, heartbeat = NULL, updated = ? "
            "WHERE id = ? AND lease = ?",
            ("failed" if error else "succeeded", error, time.time(), job_id, lease),
        )

    def release(self, lease: str) -> None:
        """Give up every job held by ``lease`` (clean shutdown): the next process resumes them at once.

        Uploads still being received under the lease are deleted: their client saw the request fail.
        """
        connection = self._connect()
        receiving = connection.execute(
            "SELECT id FROM jobs WHERE lease = ? AND status = ?", (lease, RECEIVING)
        ).fetchall()
        for (job_id,) in receiving:
            self.delete(job_id)
        connection.execute("UPDATE jobs SET lease = NULL, heartbeat = NULL WHERE lease = ?", (lease,))

    def close(self) -> None:
        """Close this thread's connection."""
        self._connections.close()
