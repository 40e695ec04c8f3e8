"""The audit reads a base URL constant shared between modules as a rewrite
of the whole run does (`migrator.audit.shared`): what it tags fixable by
rewrite, the rewrite fixes; what it holds back, the rewrite holds back."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_shared_bases import CLIENT, SETTINGS, TEST

RULES = load_rules()
# the source's slug is filled in by the caller: without an id map, this path stays on the Config API
ONE = b'import requests\nfrom app.settings import BASE\n\n\ndef one(ws, slug):\n    return requests.get(f"{BASE}/workspaces/{ws}/sources/{slug}").json()\n'


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in {"app/settings.py": SETTINGS, "app/client.py": CLIENT, "tests/test_client.py": TEST}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(jobs: int = 1) -> list[tuple[str, int, str, str | None]]:
    run = audit_paths([Path("app"), Path("tests")], RULES, jobs=jobs)
    return sorted((f.path, f.line, f.rule, f.fix) for f in run.findings)


def test_the_importers_paths_are_fixable_by_rewrite_with_the_base(project: Path) -> None:
    assert found() == [
        ("app/client.py", 6, "endpoint.sources.list", "rewrite"),
        ("app/client.py", 6, "pagination.params", "rewrite"),
        ("app/client.py", 7, "envelope.list", "rewrite"),
        ("app/client.py", 7, "source.fields", "rewrite-with-ids"),
        ("app/settings.py", 2, "host.base-url", "rewrite"),
        ("tests/test_client.py", 8, "endpoint.sources.list", "rewrite"),
        ("tests/test_client.py", 8, "rewrite.mocks", "rewrite"),
        ("tests/test_client.py", 8, "source.fields", "manual"),  # of the list of sources the double answers
    ]


def test_what_the_audit_says_a_rewrite_fixes_is_gone_after_it(project: Path) -> None:
    driver.run([project / "app", project / "tests"], force=True, jobs=1)
    assert [f for f in found() if f[3] == "rewrite"] == []


def test_an_importer_that_holds_the_base_holds_it_in_the_audit_too(project: Path) -> None:
    (project / "app" / "one.py").write_bytes(ONE)
    # one.py's own path is a to-do of its own (an id); the others stay with the base
    assert found() == [
        ("app/client.py", 6, "rewrite.partial-path", "manual"),
        ("app/client.py", 7, "rewrite.responses", "manual"),
        ("app/one.py", 6, "rewrite.slug-ids", "rewrite-with-ids"),
        ("app/settings.py", 2, "rewrite.partial-path", "manual"),
        ("tests/test_client.py", 8, "rewrite.partial-path", "manual"),
        ("tests/test_client.py", 8, "source.fields", "manual"),
    ]
    run = audit_paths([Path("app")], RULES)
    (settings,) = [f for f in run.findings if f.path == "app/settings.py"]
    assert settings.message.startswith("Config API base URL `BASE`: one.py imports it and joins a path to it")


def test_two_processes_say_the_same(project: Path) -> None:
    for i in range(70):  # enough files for the parallel scan
        (project / "app" / f"pad{i}.py").write_text("x = 1\n")
    assert found(jobs=2) == found(jobs=1)
    assert ("app/settings.py", 2, "host.base-url", "rewrite") in found(jobs=2)


def test_without_an_importer_in_the_run_the_base_is_a_to_do(project: Path) -> None:
    run = audit_paths([Path("app/settings.py")], RULES)
    assert [(f.rule, f.fix) for f in run.findings] == [("rewrite.partial-path", "manual")]


def test_a_cache_keeps_nothing_that_depends_on_other_files(project: Path) -> None:
    def with_cache() -> list[tuple[str, int, str, str | None]]:
        run = audit_paths([Path("app"), Path("tests")], RULES, cache=project / ".cache")
        return sorted((f.path, f.line, f.rule, f.fix) for f in run.findings)

    first = with_cache()
    assert with_cache() == first == found()
    (project / "app" / "one.py").write_bytes(ONE)  # the others' bytes unchanged: their findings change
    assert with_cache() == found() != first
