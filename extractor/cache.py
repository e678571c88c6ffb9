"""Content-addressed result cache in SQLite, shared by the SDK, the HTTP service and batch jobs."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from extractor.sqlite import ThreadConnections
from schemas import SCHEMA_VERSION, ArticleExtraction

__all__ = ["ResultCache", "cache_key", "text_sha256"]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _package_version() -> str:
    try:
        return version("claimscope")
    except PackageNotFoundError:
        return "dev"


def cache_key(*, model: str, strategy: str, prompt_versions: dict[str, str], text: str) -> str:
    """Key of one extraction: model, strategy, prompt versions, schema and package versions, text hash.

    The package version is part of the key because code decides as much as the prompts do.
    """
    prompts = ",".join(f"{name}={version}" for name, version in sorted(prompt_versions.items()))
    material = "\x1f".join([model, strategy, prompts, SCHEMA_VERSION, _package_version(), text_sha256(text)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class ResultCache:
    """A small SQLite table of extractions keyed by :func:`cache_key`.

    Safe across threads and processes: WAL journal, one connection per thread, short transactions.

    Args:
        path: The SQLite file; ``":memory:"`` for a per-process cache.
    """

    def __init__(self, path: Path | str, *, memory_items: int = 256) -> None:
        self.path = str(path)
        # Recent results stay parsed in memory: a hit then costs no SQLite read and no JSON validation.
        self._memory: OrderedDict[str, ArticleExtraction] = OrderedDict()
        self._memory_items = memory_items
        self._connections = ThreadConnections(self.path)
        self._lock = threading.Lock()
        self._connect().execute(
            "CREATE TABLE IF NOT EXISTS results "
            "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
        )

    def _connect(self) -> sqlite3.Connection:
        return self._connections.get()

    def peek(self, key: str) -> ArticleExtraction | None:
        """The extraction if it is held in memory (no I/O, safe to call on the event loop)."""
        with self._lock:
            remembered = self._memory.get(key)
            if remembered is not None:
                self._memory.move_to_end(key)
            return remembered

    def get(self, key: str) -> ArticleExtraction | None:
        """The cached extraction, or None."""
        remembered = self.peek(key)
        if remembered is not None:
            return remembered
        with self._lock:
            # fetchall, not fetchone: a half-read cursor pins an old snapshot and later writes then fail.
            rows = self._connect().execute("SELECT value FROM results WHERE key = ?", (key,)).fetchall()
        if not rows:
            return None
        extraction = ArticleExtraction.model_validate_json(rows[0][0])
        self._remember(key, extraction)
        return extraction

    def _remember(self, key: str, extraction: ArticleExtraction) -> None:
        with self._lock:
            self._memory[key] = extraction
            self._memory.move_to_end(key)
            while len(self._memory) > self._memory_items:
                self._memory.popitem(last=False)

    def put(self, key: str, extraction: ArticleExtraction) -> None:
        """Store an extraction (replacing any older one under the same key)."""
        value = extraction.model_dump_json()
        with self._lock:
            self._connect().execute(
                "INSERT OR REPLACE INTO results (key, value, created) VALUES (?, ?, ?)",
                (key, value, time.time()),
            )
        self._remember(key, extraction)

    def __len__(self) -> int:
        with self._lock:
            rows = self._connect().execute("SELECT COUNT(*) FROM results").fetchall()
        return int(rows[0][0])

    def close(self) -> None:
        """Close this thread's connection."""
        self._connections.close()
