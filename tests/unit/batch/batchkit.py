"""Input files and record streams shared by the batch engine tests (local, processes, Ray)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractor.batch.jsonl import read_lines
from extractor.batch.lines import parse_lines

TEXT = 'Mayor Jane Doe said "we will build the bridge" on Monday. Minister Bob Roe disagreed.'


def write_input(path: Path, count: int) -> Path:
    """``count`` good lines (ids ``a0``...) and one malformed line at the end."""
    lines = [json.dumps({"id": f"a{i}", "text": f"{TEXT} Item {i}."}) for i in range(count)]
    path.write_text("\n".join([*lines, "{broken"]) + "\n")
    return path


def records(path: Path) -> Iterator[Any]:
    """The parsed records of a JSONL file, as the CLI reads them."""
    with path.open("rb") as stream:
        yield from parse_lines(read_lines(stream, 1 << 20))
