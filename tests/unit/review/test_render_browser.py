"""The review page in a real headless Chromium: click an item, the span scrolls into view and lights up.

Drives Debian's ``chromium`` (``make browser`` installs it) over the Chrome DevTools Protocol with a tiny
websocket client (``websockets``, in the dev lock; no playwright download). ``CLAIMSCOPE_CHROMIUM`` points
at another binary. A missing browser fails the test: the page is only proven in a real one.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync import client as websockets_sync

from extractor.eval.scoring import score_document
from extractor.review import BatchOutput, BatchResult, write_site
from extractor.review.page import PageDoc, render_page
from schemas import PolicyPosition, Span
from tests.unit.eval.evalkit import actor, claim, extraction, gold_doc

CHROMIUM = (
    os.environ.get("CLAIMSCOPE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,800",
]

# An invented article: filler paragraphs, then the claim far below the first screen.
FILLER = "".join(
    f"Paragraph {n}. The committee met again on a quiet afternoon and discussed the parking rules.\n\n"
    for n in range(1, 61)
)
CLAIM = "the ferry will double its crossings next year"
TEXT = FILLER + f"Harbour master Ines Calloway said {CLAIM}, pleasing commuters.\n" + FILLER


def spanned(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start=start, end=start + len(needle), text=needle)


class DevTools:
    """Just enough of the DevTools protocol: commands by id, events waited for by name."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=20))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + 20
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless chromium; yields the DevTools HTTP endpoint."""
    if CHROMIUM is None:
        pytest.fail("chromium not found: run `make browser` (apt) or set CLAIMSCOPE_CHROMIUM to a binary")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            match = re.search(r"DevTools listening on ws://([^/]+)/", line)
            if match and not found:
                found.append(match.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while not found and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    try:
        if not found:
            pytest.fail(f"chromium did not start its DevTools endpoint (exit code {process.poll()})")
        yield f"http://{found[0]}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        reader.join(timeout=5)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture
def tab(browser: str) -> Iterator[DevTools]:
    target = httpx.put(f"{browser}/json/new?about:blank", timeout=10).json()
    try:
        with websockets_sync.connect(
            target["webSocketDebuggerUrl"], max_size=None, open_timeout=20
        ) as socket:
            devtools = DevTools(socket)
            devtools.send("Page.enable")
            devtools.send(
                "Emulation.setDeviceMetricsOverride",
                width=1280,
                height=800,
                deviceScaleFactor=1,
                mobile=False,
            )
            yield devtools
    finally:
        httpx.get(f"{browser}/json/close/{target['id']}", timeout=10)


def open_page(tab: DevTools, path: Path) -> None:
    tab.events.clear()
    tab.send("Page.navigate", url=path.as_uri())
    tab.wait_for("Page.loadEventFired")


def center_of(tab: DevTools, selector: str) -> dict[str, float]:
    # Scroll the side list (as a reader would) so the item is on screen, then aim at its centre.
    box = tab.js(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " e.scrollIntoView({block: 'nearest'}); const r = e.getBoundingClientRect();"
        " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
    )
    assert box is not None
    return dict(box)


VISIBLE = """(() => {
  const spans = [...document.querySelectorAll('.s[data-keys~="KEY"]')];
  const span = spans.find(s => s.classList.contains('k')) || spans[0];
  const r = span.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + Math.min(5, r.width / 2), r.y + r.height / 2);
  return {
    inView: r.top >= 0 && r.bottom <= innerHeight && r.width > 0,
    onTop: !!hit && (hit === span || span.contains(hit)),
    active: spans.every(s => s.classList.contains('active')),
    text: spans.filter(s => ['k', 'x', 'pe'].some(kind => s.classList.contains(kind)))
      .map(s => s.textContent).join(''),
  };
})()"""


def screenshot(tab: DevTools, path: Path) -> Path:
    data = base64.b64decode(tab.send("Page.captureScreenshot", format="png")["data"])
    path.write_bytes(data)
    return path


def test_clicking_a_claim_scrolls_its_span_into_view(tab: DevTools, tmp_path: Path) -> None:
    calloway = actor("calloway", "Ines Calloway", "person", spanned("Harbour master Ines Calloway"))
    result = extraction([calloway], [claim("c1", "calloway", spanned(CLAIM), cue=spanned("said"))], text=TEXT)
    page = tmp_path / "page.html"
    page.write_text(render_page([PageDoc(TEXT, result)]), encoding="utf-8")
    open_page(tab, page)
    before = tab.js(VISIBLE.replace("KEY", "d0-c-c1"))
    assert before["inView"] is False and before["active"] is False

    point = center_of(tab, '.item[data-key="d0-c-c1"]')
    tab.click(point["x"], point["y"])

    after = tab.js(VISIBLE.replace("KEY", "d0-c-c1"))
    shot = screenshot(tab, tmp_path / "after-click.png")
    assert after == {"inView": True, "onTop": True, "active": True, "text": CLAIM}, shot
    assert tab.js("document.querySelector('.item[data-key=\"d0-c-c1\"]').classList.contains('active')")
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_clicking_a_matrix_cell_selects_its_positions_evidence(tab: DevTools, tmp_path: Path) -> None:
    calloway = actor("calloway", "Ines Calloway", "person", spanned("Harbour master Ines Calloway"))
    committee = actor("committee", "The committee", "organization", spanned("The committee"))
    positions = [
        PolicyPosition(
            id="p1",
            actor_id="calloway",
            topic_id="t1",
            topic="more ferry crossings",
            stance="support",
            evidence=[spanned(CLAIM)],
        ),
        PolicyPosition(
            id="p2",
            actor_id="committee",
            topic_id="t2",
            topic="the parking rules",
            stance="neutral",
            evidence=[spanned("discussed the parking rules")],
        ),
    ]
    result = extraction([calloway, committee], positions=positions, text=TEXT)
    page = tmp_path / "matrix.html"
    page.write_text(render_page([PageDoc(TEXT, result)]), encoding="utf-8")
    open_page(tab, page)
    assert tab.js(VISIBLE.replace("KEY", "d0-p-p1"))["inView"] is False

    point = center_of(tab, '.cell[data-key="d0-p-p1"]')
    tab.click(point["x"], point["y"])

    after = tab.js(VISIBLE.replace("KEY", "d0-p-p1"))
    shot = screenshot(tab, tmp_path / "matrix-click.png")
    assert after == {"inView": True, "onTop": True, "active": True, "text": CLAIM}, shot
    selected = "[...document.querySelectorAll('[data-key].active')].map(e => e.tagName + ' ' + e.dataset.key)"
    assert tab.js(selected) == ["BUTTON d0-p-p1", "LI d0-p-p1"]

    # The cells are buttons: the keyboard reaches and presses them as it does the list's items.
    tab.js("document.querySelector('.cell[data-key=\"d0-p-p2\"]').focus()")
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
    tab.send("Input.dispatchKeyEvent", type="keyDown", text="\r", **enter)
    tab.send("Input.dispatchKeyEvent", type="keyUp", **enter)
    assert tab.js(VISIBLE.replace("KEY", "d0-p-p2"))["active"] is True
    assert tab.js(selected) == ["BUTTON d0-p-p2", "LI d0-p-p2"]


def test_eval_report_picker_and_missed_gold_claim(tab: DevTools, tmp_path: Path) -> None:
    start = TEXT.index(CLAIM)
    gold = gold_doc(
        text=TEXT,
        claims=[{"id": "g1", "content": {"spans": [[start, start + len(CLAIM)]]}, "speaker": None}],
    )
    empty = extraction(text=TEXT)
    docs = [PageDoc(TEXT, empty), PageDoc(TEXT, empty, gold, score_document(empty, gold))]
    page = tmp_path / "report.html"
    page.write_text(render_page(docs), encoding="utf-8")
    open_page(tab, page)
    tab.js(
        "(() => { const p = document.getElementById('picker'); p.value = 'd1';"
        " p.dispatchEvent(new Event('change')); })()"
    )
    assert tab.js("document.getElementById('d1').hidden") is False
    assert tab.js("document.getElementById('d0').hidden") is True

    point = center_of(tab, '.item[data-key="d1-g-g1"]')
    tab.click(point["x"], point["y"])
    after = tab.js(VISIBLE.replace("KEY", "d1-g-g1"))
    shot = screenshot(tab, tmp_path / "missed.png")
    assert after["inView"] and after["onTop"] and after["active"] and after["text"] == CLAIM, shot


def test_review_site_search_filters_the_list_and_a_link_opens_the_page(tab: DevTools, tmp_path: Path) -> None:
    calloway = actor("calloway", "Ines Calloway", "person", spanned("Harbour master Ines Calloway"))
    ferry = extraction([calloway], [claim("c1", "calloway", spanned(CLAIM))], text=TEXT, article_id="ferry")
    ferry = ferry.model_copy(update={"title": "Ferry crossings to double"})
    quiet = extraction(text="The committee met.", article_id="committee")
    output = BatchOutput([BatchResult("committee", quiet), BatchResult("ferry", ferry)], [])
    summary = write_site(output, tmp_path / "site", texts={"ferry": TEXT})
    open_page(tab, summary.index)
    shown = "[...document.querySelectorAll('#articles tbody tr')].filter(r => !r.hidden).length"
    assert tab.js(shown) == 2
    tab.js("document.getElementById('search').focus()")
    tab.send("Input.insertText", text="Calloway")
    assert tab.js(shown) == 1 and tab.js("location.hash") == "#q=Calloway"
    assert tab.js("document.getElementById('shown').textContent") == "1 of 2 articles"

    point = center_of(tab, "#articles tbody tr:not([hidden]) a")
    tab.events.clear()
    tab.click(point["x"], point["y"])
    tab.wait_for("Page.loadEventFired")
    assert tab.js("document.querySelector('h2').textContent") == "Ferry crossings to double"
    point = center_of(tab, '.item[data-key="d0-c-c1"]')
    tab.click(point["x"], point["y"])
    after = tab.js(VISIBLE.replace("KEY", "d0-c-c1"))
    shot = screenshot(tab, tmp_path / "site-page.png")
    assert after == {"inView": True, "onTop": True, "active": True, "text": CLAIM}, shot
