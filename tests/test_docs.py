"""The README and the results files describe the product as it is, and the README's make targets exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = sorted((ROOT / "benchmarks" / "results").glob("*.json"))

# A run of 7+ hex digits with a digit and a letter in it, as commit hashes look; whole words only.
_HEX_RUN = re.compile(r"\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b")
# Digests that are pins, not history: "sha256:<hex>", "sha256=<hex>" and 64-digit SHA-256 values.
_SHA256_PIN = re.compile(r"sha256[:=]\s*[0-9a-f]+|\b[0-9a-f]{64}\b", re.IGNORECASE)
_HISTORY = [
    re.compile(r"\bsessions? \d", re.IGNORECASE),
    re.compile(r"\bsittings?\b", re.IGNORECASE),
    re.compile(r"\bbefore/after\b|\bbefore and after\b", re.IGNORECASE),
    re.compile(r"\bpreviously\b|\bused to\b", re.IGNORECASE),
]


def history_markers(text: str) -> list[str]:
    """Every phrase of ``text`` that narrates development history rather than the product."""
    found = [match.group(0) for pattern in _HISTORY for match in pattern.finditer(text)]
    return found + _HEX_RUN.findall(_SHA256_PIN.sub("", text))


def make_targets() -> set[str]:
    """The targets the Makefile defines (rules at the start of a line, pattern rules left out)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.MULTILINE))


def test_history_markers_are_recognised() -> None:
    # The detector itself: it must flag what history looks like, and leave pins and prose alone.
    assert history_markers("Session 9 measured it at commit b1bceb4 in one sitting")
    assert history_markers("the old tree (8fa430a) used to compile a regex")
    assert not history_markers("weights verified by sha256:" + "ab12" * 16 + " on install")
    assert not history_markers("an HTTP session, the Ray session, a defaced facade, 1000000 lines")


@pytest.mark.parametrize("path", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda path: path.name)
def test_readme_and_docs_have_no_development_history(path: Path) -> None:
    assert history_markers(path.read_text(encoding="utf-8")) == []


def test_readme_names_only_existing_make_targets() -> None:
    named = set(re.findall(r"\bmake ([a-z][\w-]*)", README.read_text(encoding="utf-8")))
    assert {"demo", "test", "docs", "record", "lock"} <= named
    assert named - make_targets() == set()


def test_make_test_builds_the_docs() -> None:
    rule = re.search(r"^test:([^#\n]*)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert rule is not None and "docs" in rule.group(1).split()


@pytest.mark.parametrize("path", RESULTS, ids=[path.name for path in RESULTS])
def test_results_files_carry_no_history(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "commit" not in data
    assert data.get("command"), "a results file names the command that reproduces it"
    # Document ids in the per-document details are data (BASIL ids are UUIDs), not history.
    text = json.dumps({key: value for key, value in data.items() if key not in ("per_doc", "details")})
    assert history_markers(text) == []
