"""Shared fixtures: a pinned rules table (so exact findings do not move when
rows are added to rules/), the fixture trees, and a fake codemod."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.audit.python import Codemod
from migrator.rewrite.result import Change, Marker
from migrator.ruleset import RuleSet, load_rules

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "audit"
EXPECTED_TREES = FIXTURES / "trees"
"""The fixture trees and their expected findings (`*.expected`)."""


def _outside_git(source: Path) -> Path:
    """A copy of `source` outside this repository, removed at exit: git
    tracks the fixture trees' ignored and vendored files, which a walk
    inside the repository reads (git never ignores a tracked file)."""
    copy = Path(tempfile.mkdtemp(prefix="migrator-trees-")) / source.name
    shutil.copytree(source, copy, symlinks=True)
    owner = os.getpid()  # not the forked workers of a parallel audit
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(copy.parent, ignore_errors=True))
    return copy


TREES = _outside_git(EXPECTED_TREES)
"""The fixture trees to walk."""


@pytest.fixture(scope="session")
def pinned_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    """tests/fixtures/audit/rules plus the real rules/audit.toml."""
    directory = tmp_path_factory.mktemp("rules")
    for path in (FIXTURES / "rules").glob("*.toml"):
        shutil.copy(path, directory)
    shutil.copy(REPO / "rules" / "audit.toml", directory)
    return load_rules(directory)


@pytest.fixture(scope="session")
def real_rules() -> RuleSet:
    return load_rules()


@pytest.fixture()
def text_auditor(pinned_rules: RuleSet) -> Auditor:
    """The text scanner for every file, Python included (no codemod)."""
    return Auditor(pinned_rules, codemod=None)


@dataclass(frozen=True)
class FakeResult:
    code: bytes
    changes: tuple[Change, ...]
    markers: tuple[Marker, ...]
    notes: tuple[str, ...]


class FakeError(Exception):
    pass


def fake_codemod(changes=(), markers=(), notes=(), error: str | None = None) -> Codemod:  # type: ignore[no-untyped-def]
    """A codemod that answers the same for every file (columns 0-based)."""

    def rewrite_bytes(data: bytes, rules: RuleSet) -> FakeResult:
        if error is not None:
            raise FakeError(error)
        return FakeResult(data, tuple(changes), tuple(markers), tuple(notes))

    return Codemod(lambda data: b"segmentapis" in data, rewrite_bytes, FakeError)
