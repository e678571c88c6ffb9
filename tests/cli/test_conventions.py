"""What every command shares: --version, examples in --help, choices, --format and -o, --encoding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractor
from extractor.cli.app import app

runner = CliRunner()
FAKE = ["--model", "fake/seed=1", "--no-cache"]
WIDE = {"COLUMNS": "200"}
COMMANDS = [
    ["extract"], ["batch"], ["export"], ["eval"], ["render"], ["serve"],
    ["model"], ["model", "status"], ["model", "install"], ["model", "serve"], ["model", "stop"],
]  # fmt: skip


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert extractor.__version__ == version("claimscope")
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"claimscope {extractor.__version__}\n"


def test_the_testing_module_is_an_attribute_after_a_plain_import() -> None:
    import subprocess
    import sys

    code = "import sys, extractor; assert 'extractor.testing' not in sys.modules; print(extractor.testing)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "extractor/testing.py" in done.stdout
    assert extractor.testing.FakeLLM.__name__ == "FakeLLM"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        extractor.nothing  # noqa: B018


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_shows_examples_in_its_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env=WIDE)
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    examples = re.findall(r"\$ (claimscope[^\n│]*)", result.stdout)
    assert examples and all(line.strip().startswith("claimscope") for line in examples)


@pytest.mark.parametrize("command", [["extract", "a"], ["batch", "a.jsonl", "b.jsonl"], ["eval", "g.jsonl"]])
def test_strategy_is_a_choice(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--strategy", "fast"])
    assert result.exit_code == 2
    assert "pipeline" in result.output and "single" in result.output


@pytest.mark.parametrize("encoding", ["klingon", "utf-16"])
def test_an_unusable_encoding_exits_2(tmp_path: Path, encoding: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The minister said no.")
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--encoding", encoding])
    assert result.exit_code == 2
    assert "encoding" in result.stderr


def test_extract_reads_a_latin1_file_with_encoding(tmp_path: Path, seed_text: str) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes(("Le ministre a dit « non ».\n\n" + seed_text).encode("latin-1", "replace"))
    plain = runner.invoke(app, ["extract", str(article), *FAKE])
    assert plain.exit_code == 2 and "not UTF-8" in plain.stderr
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--encoding", "latin-1", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text_sha256"]


def test_batch_reads_a_latin1_file_with_encoding(tmp_path: Path, seed_text: str) -> None:
    source = tmp_path / "in.jsonl"
    text = "« Non », a dit le ministre. " + seed_text[:2000]
    line = json.dumps({"id": "a", "text": text}, ensure_ascii=False)
    source.write_bytes((line + "\n").encode("latin-1", "replace"))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), str(out), *FAKE, "--encoding", "latin-1"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["id"] == "a"


def test_eval_prints_json_with_format_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path / "missing.jsonl"), "--format", "yaml"])
    assert result.exit_code == 2
    assert "table" in result.output and "json" in result.output


def test_batch_reads_latin1_folders_and_csv_tables_with_encoding(tmp_path: Path, seed_text: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    text = "« Non », a dit le ministre. " + seed_text[:2000]
    (folder / "a.txt").write_bytes(text.encode("latin-1", "replace"))
    table = tmp_path / "table.csv"
    table.write_bytes(f'id,text\nb,"{text.replace(chr(34), "")}"\n'.encode("latin-1", "replace"))
    for source in (folder, table):
        out = tmp_path / f"{source.stem}.jsonl"
        plain = runner.invoke(app, ["batch", str(source), str(out), *FAKE])
        assert plain.exit_code == 1
        assert json.loads(out.read_text())["error"]["type"] == "decode_error"
        args = ["batch", str(source), str(out), *FAKE, "--encoding", "latin-1", "--overwrite"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "extraction" in json.loads(out.read_text())
