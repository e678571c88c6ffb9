"""The README's Python snippets run as printed, against the fake model.

Every ```python block runs, in order, in one namespace (as in a notebook: a later block may use what an
earlier one defined), from a scratch folder holding a copy of ``seeds/``. The only stand-in is the
default model: ``CLAIMSCOPE_MODEL=fake/latency=0``, so ``Extractor()`` answers from
:class:`extractor.testing.FakeLLM` with no model installed and no network. Top-level ``await`` works as in
an asyncio REPL. A block that cannot run here (one that needs a hosted key, say) is skipped by putting
``<!-- readme-test: skip -->`` on the line before its fence.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import shutil
from pathlib import Path

import pytest

from extractor.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIP_MARK = "<!-- readme-test: skip -->"
_BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.DOTALL)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of every python block not marked to be skipped."""
    blocks = []
    for match in _BLOCK.finditer(text):
        if match.group("before").strip() == SKIP_MARK:
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        blocks.append((line, match.group("code")))
    return blocks


def run_block(code: str, namespace: dict[str, object], name: str) -> None:
    """Run one block; a block with top-level ``await`` runs on its own event loop."""
    compiled = compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # noqa: S307 - the README's own code, the point of the test
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_the_readme_has_python_blocks() -> None:
    assert python_blocks(README.read_text(encoding="utf-8"))


def test_blocks_marked_skip_are_left_out() -> None:
    text = f"a\n```python\nx = 1\n```\n{SKIP_MARK}\n```python\nraise SystemExit\n```\n"
    assert [code for _, code in python_blocks(text)] == ["x = 1"]


def test_top_level_await_runs() -> None:
    namespace: dict[str, object] = {}
    run_block("import asyncio\nawait asyncio.sleep(0)\ndone = True", namespace, "<await>")
    assert namespace["done"] is True


def test_readme_python_blocks_run_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "fake/latency=0")
    get_settings.cache_clear()
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for line, code in python_blocks(README.read_text(encoding="utf-8")):
        run_block(code, namespace, f"README.md:{line}")
    assert capsys.readouterr().out, "the README's snippets print what they show"
