"""JSONL files for batch jobs: bounded line reading, and a durable, resumable :class:`JsonlSink`.

Output lines (one per input record, in completion order, the id on every line)::

    {"id": "a1", "extraction": {...ArticleExtraction...}}
    {"id": "a2", "line": 2, "error": {"type": "llm_timeout", "message": "...", "attempts": 2}}

Durability: each line is handed to the kernel with one ``write`` as soon as its article finishes, so a
killed process loses at most the line being written; opening the sink cuts a truncated last line away
before appending. ``fsync`` (what survives a power cut) runs at most every ``fsync_interval_s``, because
per line it costs ~1.5 ms against ~15 µs for the write.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from extractor.batch.records import ErrorRecord, OversizedLine
from schemas import ArticleExtraction

__all__ = [
    "JsonlSink",
    "count_lines",
    "error_line",
    "max_line_bytes",
    "read_lines",
    "repair_tail",
    "result_line",
]

_RESULT_PREFIX = b'{"id": '
_RESULT_INFIX = ', "extraction": '
_DECODER = json.JSONDecoder()


def max_line_bytes(max_chars: int) -> int:
    """The longest input line worth reading for articles of ``max_chars``.

    Room for JSON escapes (up to 6 bytes a character) and the other fields; a longer line cannot hold an
    article under the limit, so it is skipped unread.
    """
    return max_chars * 6 + 65_536


def read_lines(stream: BinaryIO, max_line_bytes: int) -> Iterator[bytes | OversizedLine]:
    """Lines of a binary stream; a line longer than ``max_line_bytes`` is skipped without being held.

    Yields:
        Each line's bytes, or an :class:`OversizedLine` in place of a line that was too long.
    """
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        if len(line) <= max_line_bytes or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
            size += len(line)
        yield OversizedLine(size=size, limit=max_line_bytes)


def count_lines(path: Path) -> int:
    """Lines in a file (a last line without newline counts), read in chunks to keep memory flat."""
    count = 0
    last = b"\n"
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def result_line(id: str, extraction: ArticleExtraction) -> bytes:
    """The output line of a successful article."""
    body = extraction.model_dump_json().encode("utf-8", "backslashreplace")
    return b"".join((_RESULT_PREFIX, json.dumps(id).encode(), _RESULT_INFIX.encode(), body, b"}\n"))


def error_line(record: ErrorRecord) -> bytes:
    r"""The output line of an error record; never raises.

    Text that UTF-8 cannot encode (a lone surrogate in an id or a message) is written as a JSON escape
    (``\udfff``), which reads back as the same string, so resume keys still match.
    """
    data = record.to_dict()
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(data).encode("ascii") + b"\n"


def repair_tail(path: Path) -> int:
    """Cut a truncated last line (no final newline) off a file; returns the bytes removed."""
    if not path.exists():
        return 0
    with path.open("r+b") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        file.seek(size - 1)
        if file.read(1) == b"\n":
            return 0
        cut = 0
        end = size
        while end > 0:
            start = max(0, end - (1 << 16))
            file.seek(start)
            newline = file.read(end - start).rfind(b"\n")
            if newline >= 0:
                cut = start + newline + 1
                break
            end = start
        file.truncate(cut)
        file.flush()
        os.fsync(file.fileno())
    return size - cut


def _scan(raw: bytes) -> tuple[bool, str] | None:
    """(is_error, resume key) of one output line, or None for a line that is not ours or is damaged."""
    if not raw.endswith(b"}\n"):
        return None
    try:
        text = raw.decode("utf-8")
        if raw.startswith(_RESULT_PREFIX) and raw.endswith(b"}}\n"):
            # Fast path for our own result lines: decode the id only, not the whole extraction.
            id, end = _DECODER.raw_decode(text, len(_RESULT_PREFIX))
            if isinstance(id, str) and text.startswith(_RESULT_INFIX, end):
                return False, id
        data = json.loads(text)
        if isinstance(data, dict) and isinstance(data.get("id"), str) and "extraction" in data:
            return False, data["id"]
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            return True, ErrorRecord.from_dict(data).key
    except (ValueError, KeyError, TypeError):
        return None
    return None


class JsonlSink:
    """A :class:`extractor.batch.records.ResultSink` appending JSONL lines to files (or stdout for ``-``).

    Opening repairs a truncated last line; :meth:`done_ids` reads the keys already present (resume).

    Args:
        out: Output file, or ``-`` for stdout.
        errors: File for error records; None puts them in ``out``.
        overwrite: Empty the files first instead of appending.
        fsync_interval_s: Longest time between fsyncs; 0 fsyncs every line.
    """

    def __init__(
        self,
        out: Path | str,
        errors: Path | str | None = None,
        *,
        overwrite: bool = False,
        fsync_interval_s: float = 1.0,
    ) -> None:
        self.out = None if str(out) == "-" else Path(out)
        self.errors = Path(errors) if errors is not None else None
        self.fsync_interval_s = fsync_interval_s
        self.repaired_bytes = 0
        self.dropped_lines = 0
        self._last_sync = time.monotonic()
        self._fds: dict[Path | None, int] = {}
        for path in {self.out, self.errors} - {None}:
            assert path is not None
            path.parent.mkdir(parents=True, exist_ok=True)
            if overwrite:
                path.write_bytes(b"")
            self.repaired_bytes += repair_tail(path)
        self._open()

    def _paths(self) -> list[Path]:
        return [path for path in dict.fromkeys([self.out, self.errors]) if path is not None]

    def _open(self) -> None:
        for path in self._paths():
            self._fds[path] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def _close_fds(self) -> None:
        for path, fd in self._fds.items():
            if path is not None:
                os.fsync(fd)
                os.close(fd)
        self._fds.clear()

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """Keys of the records already written; with ``retry_failed`` error lines are removed instead."""
        done: set[str] = set()
        rewrite: list[Path] = []
        for path in self._paths():
            damaged = False
            with path.open("rb") as file:
                for raw in file:
                    scanned = _scan(raw)
                    if scanned is None or (scanned[0] and retry_failed):
                        damaged = True
                        continue
                    done.add(scanned[1])
            if damaged:
                rewrite.append(path)
        if rewrite:
            self._compact(rewrite, retry_failed=retry_failed)
        return done

    def _compact(self, paths: list[Path], *, retry_failed: bool) -> None:
        """Rewrite files keeping only sound lines (and no error lines when retrying them), atomically."""
        self._close_fds()
        for path in paths:
            temporary = path.with_name(path.name + ".compact")
            with path.open("rb") as source, temporary.open("wb") as target:
                for raw in source:
                    scanned = _scan(raw)
                    if scanned is None or (scanned[0] and retry_failed):
                        self.dropped_lines += 1
                        continue
                    target.write(raw)
                target.flush()
                os.fsync(target.fileno())
            os.replace(temporary, path)
        self._open()

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        fd = self._fds[path]
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        now = time.monotonic()
        if now - self._last_sync >= self.fsync_interval_s:
            os.fsync(fd)
            self._last_sync = now

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        """Append one result line."""
        self._write(self.out, result_line(id, extraction))

    def write_error(self, record: ErrorRecord) -> None:
        """Append one error line (to the errors file when there is one)."""
        self._write(self.errors if self.errors is not None else self.out, error_line(record))

    def close(self) -> None:
        """Flush to disk (fsync) and close the files."""
        self._close_fds()

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
