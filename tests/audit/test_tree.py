"""The fixture tree: every file type, exact findings, files that must give none."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet
from migrator.rewrite.result import Change, Marker
from tests.audit.conftest import EXPECTED_TREES, TREES, fake_codemod
from migrator.audit.core import Auditor

MIXED = TREES / "mixed"
EXPECTED = EXPECTED_TREES / "mixed.expected"
UPDATE = os.environ.get("MIGRATOR_UPDATE_EXPECTED") == "1"


def line_of(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}\t{f.rule}\t{f.text}"


@pytest.fixture()
def in_tree(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(MIXED)
    return MIXED


def test_exact_findings_text_scanner(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    got = [line_of(f) for f in run.findings]
    if UPDATE:
        EXPECTED.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert got == expected, "regenerate with MIGRATOR_UPDATE_EXPECTED=1 after checking the diff"
    assert run.errors == [] and run.notes == []


def test_clean_files_and_skipped_folders_give_nothing(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    paths = {f.path for f in run.findings}
    assert not {p for p in paths if p.startswith("clean/")}
    assert "app/clean.py" not in paths
    for skipped in ("ignored/old.py", "debug.log", "venv/lib/site.py", "node_modules/pkg/index.js"):
        assert skipped not in paths
    # One suppressed finding, and every file type of the issue is covered.
    assert sum(r.suppressed for r in run.results) == 1
    types = {Path(p).suffix for p in paths}
    assert {".py", ".js", ".ts", ".go", ".rb", ".sh", ".yaml", ".json", ".toml", ".tf", ".md", ".ipynb"} <= types


def test_parallel_run_gives_the_same(in_tree: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.audit import run as run_module

    monkeypatch.setattr(run_module, "CHUNK", 2)  # force the pool on a small tree
    serial = audit_paths([Path(".")], pinned_rules, precise=False)
    parallel = audit_paths([Path(".")], pinned_rules, jobs=2, precise=False)
    assert parallel.findings == serial.findings
    assert parallel.clean == serial.clean


def test_notebook_lines_are_lines_of_the_file(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path("notebooks")], pinned_rules, precise=False)
    lines = Path("notebooks/explore.ipynb").read_text().splitlines()
    for f in run.findings:
        assert lines[f.line - 1][f.column - 1 :].startswith(f.text)


def test_every_finding_points_at_its_text(in_tree: Path, pinned_rules: RuleSet) -> None:
    for f in audit_paths([Path(".")], pinned_rules, precise=False).findings:
        line = Path(f.path).read_text().splitlines()[f.line - 1]
        assert line[f.column - 1 :].startswith(f.text), f


def test_python_with_the_codemod(in_tree: Path, pinned_rules: RuleSet) -> None:
    """Codemod findings replace the text scanner's on the lines they cover;
    field names and lines it leaves alone stay, as needs-a-person."""
    codemod = fake_codemod(
        changes=[Change("host.base-url", 4, 11, '"https://platform.segmentapis.com/v1beta/"', '"https://api.segmentapis.com/"'),
                 Change("endpoint.sources.list", 13, 14, 'f"{BASE_URL}workspaces/{self.slug}/sources?page_size=100"', 'f"{BASE_URL}sources?page_size=100"')],
        markers=[Marker("endpoint.sources.delete", 20, 8, "the source slug is a variable: pass ids"),
                 Marker("endpoint.sources.get", 33, 0, "already marked")],
    )
    auditor = Auditor(pinned_rules, codemod=codemod)
    result = auditor.scan("app/client.py", Path("app/client.py").read_bytes())
    got = [(f.line, f.column, f.rule, f.fix) for f in result.findings]
    assert got == [
        (4, 12, "host.base-url", "rewrite"),
        (9, 22, "workspace.fields", "manual"),
        (13, 15, "endpoint.sources.list", "rewrite"),
        (13, 58, "pagination.params", "manual"),
        (16, 27, "source.fields", "manual"),
        (16, 51, "source.fields", "manual"),
        (17, 22, "envelope.list", "manual"),
        (20, 9, "endpoint.sources.delete", "rewrite-with-ids"),
        (23, 32, "source.fields", "manual"),
        (23, 55, "update-mask.partial-body", "manual"),
        (23, 88, "source.fields", "manual"),
        (27, 28, "endpoint.sources.get", "manual"),
        # the comment stands for the codemod's marker on line 33, which carries the resource name there
        (32, 1, "endpoint.sources.get", "manual"),
    ]
    assert result.suppressed == 1


def test_a_field_name_in_code_the_codemod_migrates_is_not_reported_again(real_rules: RuleSet) -> None:
    """Its own finding covers it, whichever resource the text scanner took
    the name for; a field name in code a path change leaves in place still
    needs a person."""
    data = (
        b'BASE = "https://platform.segmentapis.com/v1beta"\n'
        b'label = source["display_name"]\n'
        b'url = f"{BASE}/workspaces/acme/sources?page_size=100"\n'
    )
    text_only = Auditor(real_rules, codemod=None).scan("a.py", data).findings
    assert [(f.line, f.rule) for f in text_only if f.line == 2] == [(2, "audit.config-field")]
    codemod = fake_codemod(changes=[
        Change("source.fields", 2, 8, 'source["display_name"]', 'source["name"]'),
        Change("endpoint.sources.list", 3, 6, 'f"{BASE}/workspaces/acme/sources?page_size=100"', 'f"{BASE}/sources?page_size=100"'),
    ])
    found = Auditor(real_rules, codemod=codemod).scan("a.py", data).findings
    assert [(f.line, f.column, f.rule, f.fix) for f in found if f.line > 1] == [
        (2, 9, "source.fields", "rewrite"),
        (3, 7, "endpoint.sources.list", "rewrite"),
        (3, 40, "pagination.params", "manual"),
    ]


def test_a_field_name_a_codemod_marker_quotes_is_not_reported_again(real_rules: RuleSet) -> None:
    data = (
        b'BASE = "https://platform.segmentapis.com/v1beta"\n'
        b'assert client.sources()[0]["display_name"] == s["catalog_name"]\n'
    )
    codemod = fake_codemod(markers=[
        Marker("rewrite.responses", 2, 7, "`display_name` looks like a Config API field read off a value of unproven origin"),
    ])
    found = Auditor(real_rules, codemod=codemod).scan("a.py", data).findings
    assert [(f.line, f.column, f.rule, f.text) for f in found if f.line > 1] == [
        (2, 8, "rewrite.responses", ""),
        (2, 50, "source.fields", "catalog_name"),
    ]


def test_two_reads_of_one_field_on_a_line_are_two_findings(real_rules: RuleSet) -> None:
    """The codemod migrates the read of a source; the read of a value it
    leaves alone (a file's data) is the scanner's, at its column, as
    `--no-precise` reports it: not hidden by the change of the same row
    on its line."""
    data = (
        b'import json\n'
        b'import requests\n'
        b'sources = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()["sources"]\n'
        b's = sources[0]\n'
        b't = json.load(open("old.json"))\n'
        b'print(s["display_name"], t["display_name"])\n'
        b'label = t["display_name"] or s["display_name"]\n'
    )
    found = Auditor(real_rules).scan("a.py", data).findings
    assert [(f.line, f.column, f.rule, f.fix) for f in found if f.line > 5] == [
        (6, 7, "source.fields", "rewrite"),
        (6, 29, "source.fields", "manual"),
        (7, 12, "source.fields", "manual"),
        (7, 30, "source.fields", "rewrite"),
    ]
    text_only = Auditor(real_rules, codemod=None).scan("a.py", data).findings
    assert [(f.line, f.column) for f in text_only if f.line > 5] == [(6, 10), (6, 29), (7, 12), (7, 33)]


def test_a_codemod_marker_stands_for_the_one_read_it_marks(real_rules: RuleSet) -> None:
    """Of two reads of a field it quotes on its line, the one at or after
    its column; the other is reported at its own."""
    data = (
        b'BASE = "https://platform.segmentapis.com/v1beta"\n'
        b'print(u["display_name"], t["display_name"], v["display_name"])\n'
    )
    codemod = fake_codemod(markers=[
        Marker("rewrite.responses", 2, 25, "`display_name` looks like a Config API field read off a value of unproven origin"),
    ])
    found = Auditor(real_rules, codemod=codemod).scan("a.py", data).findings
    assert [(f.line, f.column, f.rule) for f in found if f.line > 1] == [
        (2, 10, "audit.config-field"),
        (2, 26, "rewrite.responses"),
        (2, 48, "audit.config-field"),
    ]


def test_python_the_codemod_cannot_parse_is_read_as_text(in_tree: Path, pinned_rules: RuleSet, text_auditor: Auditor) -> None:
    auditor = Auditor(pinned_rules, codemod=fake_codemod(error="line 3: does not parse"))
    data = Path("app/client.py").read_bytes()
    result = auditor.scan("app/client.py", data)
    # What the codemod cannot read, a person must migrate.
    assert result.findings == [replace(f, fix="manual") for f in text_auditor.scan("app/client.py", data).findings]
    assert result.notes == ["read as text: the codemod cannot parse it (line 3: does not parse)"]


def test_python_the_codemod_leaves_alone_needs_a_person(pinned_rules: RuleSet) -> None:
    """No Config host: the codemod has nothing to do there, so a resource
    name or a marker in it is for a person."""
    data = b'# migrator[source.fields]: check this by hand\nNAME = "workspaces/acme/sources/js"\n'
    codemod = fake_codemod(changes=[Change("host.base-url", 1, 0, "x", "y")])
    found = Auditor(pinned_rules, codemod=codemod).scan("a.py", data).findings
    assert [(f.line, f.rule, f.kind, f.fix) for f in found] == [(1, "source.fields", "marker", "manual")]


def test_real_table_on_the_tree(in_tree: Path, real_rules: RuleSet) -> None:
    """With the real table: same files with and without findings."""
    run = audit_paths([Path(".")], real_rules, precise=False)
    paths = {f.path for f in run.findings}
    expected = {line.split(":", 1)[0] for line in EXPECTED.read_text().splitlines()}
    assert paths == expected


def test_a_failing_codemod_does_not_stop_the_audit(in_tree: Path, pinned_rules: RuleSet, text_auditor: Auditor) -> None:
    from migrator.audit.python import Codemod

    def broken(data: bytes, rules: RuleSet) -> None:
        raise RuntimeError("boom")

    auditor = Auditor(pinned_rules, codemod=Codemod(lambda data: True, broken, ValueError))
    data = Path("app/client.py").read_bytes()
    result = auditor.scan("app/client.py", data)
    assert result.findings == [replace(f, fix="manual") for f in text_auditor.scan("app/client.py", data).findings]
    assert result.notes == ["read as text: the codemod failed (RuntimeError: boom)"]
