"""The lock: complete, hashed, free of index addresses, and in step with pyproject.toml."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _lock_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claimscope_lock", ROOT / "scripts" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LOCK = _lock_module()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins(name: str) -> dict[str, list[tuple[Version, str]]]:
    """package -> [(version, marker)] for every pin of a lock, checking each pin carries a hash."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    pins: dict[str, list[tuple[Version, str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        first = block.splitlines()[0]
        if first.startswith("#"):
            continue
        requirement = Requirement(first.rstrip(" \\"))
        assert "--hash=sha256:" in block, f"{requirement.name} in {name}.txt has no hash"
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement} in {name}.txt is not an exact pin"
        marker = str(requirement.marker) if requirement.marker else ""
        pins.setdefault(canonicalize_name(requirement.name), []).append((Version(specifier.version), marker))
    return pins


@pytest.mark.parametrize("name", [*sorted(LOCK.LOCKS), LOCK.INSTALLER])
def test_no_lock_records_an_address(name: str) -> None:
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    assert "://" not in text
    assert not re.search(r"^\s*-(-index-url|-extra-index-url|-find-links|i|f)\b", text, re.M)


def test_the_installer_lock_pins_pip_with_hashes() -> None:
    # Every other lock is installed by this pip (the Makefile installs it first).
    assert set(_pins(LOCK.INSTALLER)) == {"pip"}


def test_no_lock_is_older_than_pyproject() -> None:
    assert LOCK.stale_locks() == [], "pyproject.toml changed without `make lock`"


@pytest.mark.parametrize("name", sorted(LOCK.LOCKS))
def test_every_declared_dependency_is_pinned_within_its_range(name: str) -> None:
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    chosen = sorted(extras) if LOCK.LOCKS[name] == ("ALL",) else list(LOCK.LOCKS[name])
    declared = list(project["dependencies"]) + [item for extra in chosen for item in extras[extra]]
    pins = _pins(name)
    for text in declared:
        requirement = Requirement(text)
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is declared but not in {name}.txt"
        for version, _marker in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name}.txt pins {requirement.name}=={version}, outside {requirement.specifier}"
            )


def test_one_version_per_package_across_locks() -> None:
    reference = _pins("dev")
    for name in LOCK.LOCKS:
        for package, versions in _pins(name).items():
            # Markers may differ (a package only some extras need on one platform); versions may not.
            locked = {version for version, _ in versions}
            assert locked <= {version for version, _ in reference[package]}, f"{package}: {name} vs dev"


def test_this_environment_is_the_dev_lock() -> None:
    # The tests run in the environment `make` built from requirements/dev.txt: nothing floated.
    environment = default_environment()
    for package, versions in _pins("dev").items():
        wanted = [version for version, marker in versions if not marker or _applies(marker, environment)]
        if not wanted:
            continue
        assert Version(metadata.version(package)) == wanted[0], f"{package} is not the locked version"


def _applies(marker: str, environment: dict[str, str]) -> bool:
    return Requirement(f"placeholder ; {marker}").marker.evaluate(environment)  # type: ignore[union-attr]


def test_requires_python_admits_this_interpreter() -> None:
    running = Version(".".join(map(str, sys.version_info[:3])))
    assert Requirement(f"python{PYPROJECT['project']['requires-python']}").specifier.contains(running)
