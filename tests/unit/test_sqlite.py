"""The SQLite helper shared by the result cache and the jobs database."""

from __future__ import annotations

import threading
from pathlib import Path

from extractor.sqlite import ThreadConnections, connect


def test_file_connections_use_wal_and_the_busy_timeout(tmp_path: Path) -> None:
    connection = connect(str(tmp_path / "db.sqlite3"))
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA busy_timeout").fetchone() == (30_000,)
    assert connection.isolation_level is None
    connection.close()


def test_one_connection_per_thread_for_files_one_shared_for_memory(tmp_path: Path) -> None:
    files = ThreadConnections(tmp_path / "sub" / "db.sqlite3")
    memory = ThreadConnections(":memory:")
    seen: dict[str, object] = {}

    def other() -> None:
        seen["file"] = files.get()
        seen["memory"] = memory.get()
        files.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()

    assert (tmp_path / "sub").is_dir()
    assert files.get() is files.get() and files.get() is not seen["file"]
    assert memory.get() is seen["memory"]
    memory.get().execute("CREATE TABLE t (x)")
    memory.close()
    assert memory.get().execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    files.close()
    memory.close()
