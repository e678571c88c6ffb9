"""``claimscope extract`` with several files, a folder or stdin: one result per input, the same exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app
from schemas import ArticleExtraction

runner = CliRunner()
FAKE = ["--model", "fake/seed=1", "--no-cache"]


@pytest.fixture
def folder(tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("b", "a", "c"):
        (articles / f"{name}.txt").write_text(f"{name.upper()} wire. " + seed_text)
    (articles / "notes.md").write_text("not an article")
    return articles


def test_several_files_give_one_jsonl_line_each_in_input_order(folder: Path) -> None:
    files = [str(folder / "c.txt"), str(folder / "a.txt")]
    result = runner.invoke(app, ["extract", *files, *FAKE, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["c", "a"]
    for line in lines:
        assert ArticleExtraction.model_validate(line["extraction"]).article_id == line["id"]


def test_a_folder_gives_one_json_file_per_txt_file(folder: Path) -> None:
    Path("out").mkdir()
    result = runner.invoke(app, ["extract", str(folder), *FAKE, "--format", "json", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("out").iterdir()) == [f"{n}.claimscope.json" for n in "abc"]
    assert ArticleExtraction.model_validate_json(Path("out/b.claimscope.json").read_text()).article_id == "b"
    assert result.stdout == ""


def test_a_folder_to_a_jsonl_file(folder: Path) -> None:
    result = runner.invoke(app, ["extract", str(folder), *FAKE, "--format", "jsonl", "-o", "all.jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in Path("all.jsonl").read_text().splitlines()] == ["a", "b", "c"]


def test_stdin_among_files(folder: Path, seed_text: str) -> None:
    args = ["extract", str(folder / "a.txt"), "-", *FAKE, "--format", "jsonl"]
    result = runner.invoke(app, args, input=seed_text)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "stdin"]


def test_a_bad_input_is_reported_and_the_rest_go_on(folder: Path) -> None:
    (folder / "b.txt").write_text("   \n")
    result = runner.invoke(app, ["extract", str(folder), *FAKE, "--format", "jsonl"])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[1]["error"]["type"] == "empty_article" and "extraction" not in lines[1]
    assert "b.txt: EmptyArticleError" in result.stderr


def test_an_unusable_model_stops_at_the_first_input_with_exit_3(folder: Path) -> None:
    args = ["extract", str(folder), "--model", "fake/unreachable=1", "--no-cache", "--format", "jsonl"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--id", "x"], "--id names one article"),
        (["--format", "json", "-o", "file.json"], "must be an existing folder"),
    ],
)
def test_arguments_that_do_not_fit_several_inputs_exit_2(
    folder: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["extract", str(folder), *FAKE, *extra])
    assert result.exit_code == 2
    assert message in result.stderr


def test_inputs_with_the_same_name_are_refused(folder: Path, seed_text: str) -> None:
    other = folder.parent / "other"
    other.mkdir()
    (other / "a.txt").write_text(seed_text)
    result = runner.invoke(app, ["extract", str(folder / "a.txt"), str(other / "a.txt"), *FAKE])
    assert result.exit_code == 2
    assert "share a name" in result.stderr


def test_an_empty_folder_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), *FAKE])
    assert result.exit_code == 2
    assert "holds no .txt files" in result.stderr


def test_a_nested_folder_gives_the_ids_batch_gives(folder: Path, seed_text: str) -> None:
    (folder / "2024").mkdir()
    (folder / "2024" / "a.txt").write_text(seed_text)
    Path("out").mkdir()
    result = runner.invoke(app, ["extract", str(folder), *FAKE, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["2024/a", "a", "b", "c"]
    result = runner.invoke(app, ["extract", str(folder), *FAKE, "--format", "json", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert (Path("out") / "2024-a.claimscope.json").is_file()
