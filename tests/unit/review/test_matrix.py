"""The actor x topic matrix above the positions list: rows, columns, stances, keys, escaping."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import extractor.review
from extractor.review import BatchOutput, BatchResult, write_site
from extractor.review.page import PageDoc, render_page
from schemas import PolicyPosition, Stance
from tests.unit.eval.evalkit import ARTICLE
from tests.unit.review.reviewkit import (
    STRIKES,
    VENEZUELA,
    keys_in_article,
    sample,
    seed_extraction,
    seed_text,
)


@dataclass
class Table:
    """What a reader of the matrix gets: headers with their scope and title, and each cell's buttons."""

    columns: list[dict[str, str]] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    cells: list[list[list[dict[str, str]]]] = field(default_factory=list)


class _MatrixParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.inside = 0
        self.text: list[str] | None = None
        self.header: dict[str, str] = {}
        self.button: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "div" and found.get("class") == "matrix":
            self.inside = 1
            self.tables.append(Table())
        elif not self.inside:
            return
        elif tag == "div":
            self.inside += 1
        elif tag == "th":
            self.header, self.text = found, []
        elif tag == "tr" and self.tables[-1].columns:
            self.tables[-1].cells.append([])
        elif tag == "td" and self.tables[-1].cells:
            self.tables[-1].cells[-1].append([])
        elif tag == "button":
            self.button, self.text = found, []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        table = self.tables[-1]
        if tag == "div":
            self.inside -= 1
        elif tag == "th" and self.text is not None:
            text = "".join(self.text)
            if self.header.get("scope") == "col":
                table.columns.append({**self.header, "text": text})
            else:
                assert self.header.get("scope") == "row"
                table.rows.append(text)
            self.text = None
        elif tag == "button" and self.button is not None and self.text is not None:
            table.cells[-1][-1].append({**self.button, "text": "".join(self.text)})
            self.button = self.text = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.text is not None:
            self.text.append(data)


def matrices(page: str) -> list[Table]:
    parser = _MatrixParser()
    parser.feed(page)
    return parser.tables


def seed_page() -> str:
    return render_page([PageDoc(seed_text(), seed_extraction())])


def test_rows_are_actors_with_positions_and_columns_topics_with_positions() -> None:
    [table] = matrices(seed_page())
    assert [column["text"] for column in table.columns] == [STRIKES, VENEZUELA]
    assert [column["title"] for column in table.columns] == [STRIKES, VENEZUELA]
    # Two positions each come before one; Sheinbaum before Trump by name. Saucedo holds none.
    assert table.rows == ["Claudia Sheinbaum", "Donald Trump", "Carlos Pérez Ricart"]


def test_each_cell_shows_its_stance_by_class_and_sign_and_says_it_in_words() -> None:
    [table] = matrices(seed_page())
    seen = [[[(b["class"], b["text"], b["data-key"]) for b in cell] for cell in row] for row in table.cells]
    assert seen == [
        [[("cell stance-oppose", "−", "d0-p-p2")], [("cell stance-oppose", "−", "d0-p-p3")]],
        [[("cell stance-support", "+", "d0-p-p1")], [("cell stance-support", "+", "d0-p-p5")]],
        [[("cell stance-oppose", "−", "d0-p-p4")], []],
    ]
    trump = table.cells[1][0][0]
    assert trump["title"] == trump["aria-label"] == f"Donald Trump supports {STRIKES}"
    assert trump["type"] == "button"
    assert table.cells[0][1][0]["aria-label"] == f"Claudia Sheinbaum opposes {VENEZUELA}"


def test_a_cell_selects_what_its_position_item_selects() -> None:
    page = seed_page()
    [table] = matrices(page)
    keys = [button["data-key"] for row in table.cells for cell in row for button in cell]
    items = re.findall(r'<li class="item" tabindex="0" data-key="(d0-p-p\d+)"', page)
    assert sorted(keys) == sorted(items) == [f"d0-p-p{n}" for n in range(1, 6)]
    assert set(keys) <= keys_in_article(page)  # each cell's evidence is marked in the text
    # The matrix sits between the positions heading and the list, and page.js handles its cells.
    heading, matrix = page.index("<h3>Positions (5)</h3>"), page.index('<div class="matrix">')
    assert heading < matrix < page.index('<li class="item" tabindex="0" data-key="d0-p-p1"')
    assert "closest('.item, .cell')" in page


def test_a_matrix_per_document_with_its_own_keys() -> None:
    page = render_page([PageDoc(seed_text(), seed_extraction()), PageDoc(ARTICLE, sample())])
    first, second = matrices(page)
    assert second.rows == ["Harbor Council"] and [c["text"] for c in second.columns] == ["bridge timeline"]
    assert second.cells == [
        [
            [
                {
                    "type": "button",
                    "class": "cell stance-oppose",
                    "data-key": "d1-p-p1",
                    "title": "Harbor Council opposes bridge timeline",
                    "aria-label": "Harbor Council opposes bridge timeline",
                    "text": "−",
                }
            ]
        ]
    ]
    assert first.cells[0][0][0]["data-key"] == "d0-p-p2"


def test_no_positions_no_matrix() -> None:
    result = seed_extraction().model_copy(update={"positions": []})
    page = render_page([PageDoc(seed_text(), result)])
    assert matrices(page) == [] and "<table" not in page and "<h3>Positions (0)</h3>" in page


def test_two_positions_of_one_actor_on_one_topic_stay_two_buttons() -> None:
    result = seed_extraction()
    again = PolicyPosition(id="p6", actor_id="perez", topic_id="t1", topic=STRIKES, stance="mixed")
    result = result.model_copy(update={"positions": [*result.positions, again]})
    [table] = matrices(render_page([PageDoc(seed_text(), result)]))
    # Pérez Ricart's two positions tie him with Sheinbaum and Trump, and his name sorts first.
    assert table.rows[0] == "Carlos Pérez Ricart"
    assert [(b["text"], b["data-key"]) for b in table.cells[0][0]] == [("−", "d0-p-p4"), ("±", "d0-p-p6")]
    assert table.cells[0][0][1]["title"] == f"Carlos Pérez Ricart is mixed on {STRIKES} (not located in text)"


def test_names_and_labels_are_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    result = seed_extraction()
    actors = [actor.model_copy(update={"canonical_name": hostile}) for actor in result.actors]
    topics = [topic.model_copy(update={"label": f"{topic.label} & {hostile}"}) for topic in result.topics]
    page = render_page([PageDoc(seed_text(), result.model_copy(update={"actors": actors, "topics": topics}))])
    assert "<img" not in page
    escaped = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
    column = f"{STRIKES} &amp; {escaped}"
    assert f'<th scope="col" title="{column}"><span>{column}</span></th>' in page
    assert re.search(rf'<th scope="row"><i class="dot" style="[^"]+"></i>{re.escape(escaped)}</th>', page)
    assert f'aria-label="{escaped} supports {column}"' in page
    [table] = matrices(page)
    assert table.columns[0]["text"] == f"{STRIKES} & {hostile}" and table.rows[0] == hostile


def test_every_stance_has_a_colour_and_a_sign_in_the_key_under_the_table() -> None:
    css = (Path(extractor.review.__file__).parent / "templates" / "page.css").read_text(encoding="utf-8")
    page = seed_page()
    assert '<table aria-label="Stance by actor and topic" aria-describedby="d0-signs">' in page
    key = re.search(r'<p class="signs" id="d0-signs">(.*?)</p>', page)
    assert key is not None
    for stance in typing.get_args(Stance):
        assert re.search(rf"^\.stance-{stance}\{{background:", css, re.M), stance
        assert re.search(rf'<span class="sign stance-{stance}">[^<]+</span> {stance}', key.group(1))


def test_the_review_site_pages_carry_the_matrix(tmp_path: Path) -> None:
    output = BatchOutput([BatchResult("seed", seed_extraction())], [])
    summary = write_site(output, tmp_path, texts={"seed": seed_text()})
    page = (tmp_path / "articles" / "00001-seed.html").read_text(encoding="utf-8")
    assert summary.without_text == 0
    [table] = matrices(page)
    assert table.rows == ["Claudia Sheinbaum", "Donald Trump", "Carlos Pérez Ricart"]
    keys = {button["data-key"] for row in table.cells for cell in row for button in cell}
    assert len(keys) == 5 and keys <= keys_in_article(page)
    # Without the text the page shows the sketch, and the matrix still points at its located spans.
    write_site(output, tmp_path / "bare")
    bare = (tmp_path / "bare" / "articles" / "00001-seed.html").read_text(encoding="utf-8")
    [sketched] = matrices(bare)
    assert sketched.cells == table.cells and keys <= keys_in_article(bare)
