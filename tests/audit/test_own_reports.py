"""The files `migrator` writes, left in the tree and changed by `jq`, are
recognized by their structure and not read (rt4 #1); a user's JSON sharing
a key name is read as usual."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrator.cli import cli

NOTE = "not read: a report of `migrator` (it quotes what it found)"
SCRIPT = "".join(f"curl -s https://platform.segmentapis.com/v1beta/workspaces/acme/{p}\n"
                 for p in ("sources", "sources/web", "destinations"))
"""Findings enough that `jq -S` moves `"format"` past a report's first KB."""


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "list.sh").write_text(SCRIPT)
    (tmp_path / "reports").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def audit(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--exit-zero", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def compact(doc: Any) -> str:  # jq -c
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def sorted_keys(doc: Any) -> str:  # jq -S
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def reindented(doc: Any) -> str:  # jq --indent 4
    return json.dumps(doc, ensure_ascii=False, indent=4) + "\n"


def behind_another_run(doc: Any) -> str:
    """A SARIF log merging another tool's run before the audit's."""
    other = {"tool": {"driver": {"name": "linter", "rules": []}},
             "results": [{"ruleId": "style", "message": {"text": f"long line {i}"}} for i in range(20)]}
    return json.dumps({**doc, "runs": [other, *doc["runs"]]}, indent=2) + "\n"


def audit_report(shape: Callable[[Any], str]) -> Callable[[], str]:
    return lambda: shape(audit())


JSON_CASES: dict[str, Callable[[], str]] = {
    "jq -c": audit_report(compact),
    "jq -S": audit_report(sorted_keys),
    "jq '{summary, findings}'": audit_report(lambda d: json.dumps({"summary": d["summary"], "findings": d["findings"]},
                                                                  indent=2) + "\n"),
    "jq .findings": audit_report(lambda d: json.dumps(d["findings"], indent=2) + "\n"),
    "jq -c '{findings}'": audit_report(lambda d: compact({"findings": d["findings"]})),
    "jq -c '.findings[]'": audit_report(lambda d: "".join(compact(f) for f in d["findings"])),
    "jq -s": audit_report(lambda d: json.dumps([d, d], indent=2) + "\n"),
    "wrapped": audit_report(lambda d: json.dumps({"run": 3, "commit": "abc123", "audit": d}, indent=2) + "\n"),
    "wrapped runs, jq -c": audit_report(lambda d: compact({"runs": [{"run": 1, "audit": d}, {"run": 2, "audit": d}]})),
}
NDJSON = audit_report(lambda d: "".join(compact(f) for f in d["findings"]))
ONE_FINDING = audit_report(lambda d: compact(d["findings"][0]))  # near the end of a migration


def sarif(shape: Callable[[Any], str]) -> Callable[[], str]:
    def make() -> str:
        result = CliRunner().invoke(cli, ["audit", "--no-precise", "--exit-zero", "--format", "sarif"])
        return shape(json.loads(result.stdout))
    return make


SARIF_CASES: dict[str, Callable[[], str]] = {
    "jq -c": sarif(compact),
    "jq -S": sarif(sorted_keys),
    "behind another tool's run": sarif(behind_another_run),
}


@pytest.mark.parametrize(("name", "suffix", "make"), [
    *((name, ".json", make) for name, make in JSON_CASES.items()),
    *((name, ".sarif", make) for name, make in SARIF_CASES.items()),
    ("jq -c '.findings[]'", ".ndjson", NDJSON), ("jq -c '.findings[]'", ".jsonl", NDJSON),
    ("jq -c '.findings[0]'", ".ndjson", ONE_FINDING), ("jq -c '.findings[0]'", ".jsonl", ONE_FINDING),
], ids=[*(f"json {n}" for n in JSON_CASES), *(f"sarif {n}" for n in SARIF_CASES), "ndjson", "jsonl",
        "ndjson one", "jsonl one"])
def test_a_report_changed_by_jq_is_not_read(tree: Path, name: str, suffix: str, make: Callable[[], str]) -> None:
    first = audit()
    assert [(f["path"], f["line"], f["rule"]) for f in first["findings"]] == [
        ("list.sh", 1, "host.base-url"), ("list.sh", 1, "endpoint.sources.list"),
        ("list.sh", 2, "host.base-url"), ("list.sh", 2, "endpoint.sources.get"),
        ("list.sh", 3, "host.base-url"), ("list.sh", 3, "audit.config-path-piece")]
    (tree / "reports" / f"r{suffix}").write_text(make())
    again = audit()
    assert again["findings"] == first["findings"]
    assert again["notes"] == [{"path": f"reports/r{suffix}", "note": NOTE}]
    assert again["summary"]["findings"] == 6


def test_a_baseline_re_indented_is_not_read(tree: Path) -> None:
    """A baseline quotes rule ids: `audit.v1beta-prefix` lets it past the prefilter."""
    (tree / "list.sh").write_text("BASE=https://platform.segmentapis.com\nPREFIX=/v1beta/\n")
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--write-baseline", "-"])
    baseline = json.loads(result.stdout)
    assert baseline["format"] == "migrator.audit-baseline" and len(baseline["findings"]) == 2
    (tree / "reports" / "baseline.json").write_text(json.dumps(baseline, indent=4, sort_keys=True) + "\n")
    report = audit()
    assert [(f["path"], f["line"], f["rule"]) for f in report["findings"]] == [
        ("list.sh", 1, "host.base-url"), ("list.sh", 2, "audit.v1beta-prefix")]
    assert report["notes"] == [{"path": "reports/baseline.json", "note": NOTE}]


def test_a_report_of_the_rewrite_compacted_is_not_read(tree: Path) -> None:
    (tree / "client.py").write_text(
        "import requests\n\n\ndef sources():\n"
        '    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()["sources"]\n'
    )
    before = audit()["findings"]
    result = CliRunner().invoke(cli, ["rewrite", "--check", "--report", "-", "client.py"])
    assert result.exit_code == 1 and "platform.segmentapis.com" in result.stdout
    (tree / "rewrite.json").write_text(compact(json.loads(result.stdout)))
    report = audit()
    assert report["findings"] == before
    assert report["notes"] == [{"path": "rewrite.json", "note": NOTE}]


URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
OTHER_FILES = {
    # another shape under `findings`
    "findings.json": {"findings": [{"rule": "audit", "path": "ops/list.sh", "url": URL}]},
    # a fingerprint of another tool's shape
    "scan.json": {"findings": [{"rule": "r1", "path": "ops/list.sh", "fingerprint": "abc:1", "url": URL}]},
    # another tool's SARIF log, quoting the Config API
    "other.sarif": {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "migrator-lint"}},
                                                  "results": [{"ruleId": "r1", "message": {"text": URL}}]}]},
}


@pytest.mark.parametrize("name", list(OTHER_FILES))
def test_a_json_file_sharing_key_names_with_a_report_is_read(tree: Path, name: str) -> None:
    (tree / "list.sh").unlink()
    (tree / name).write_text(json.dumps(OTHER_FILES[name], indent=2) + "\n")
    report = audit()
    assert [(f["path"], f["rule"], f["text"]) for f in report["findings"]] == [
        (name, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (name, "endpoint.sources.list", "/workspaces/acme/sources"),
    ]
    assert report["notes"] == []


def test_only_json_holding_the_keys_of_a_report_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit reads thousands of JSON files: a byte search decides first."""
    from migrator.audit import own_reports

    parsed: list[bytes] = []
    real = own_reports.json.loads
    monkeypatch.setattr(own_reports.json, "loads", lambda data: parsed.append(data) or real(data))
    data = json.dumps(OTHER_FILES["findings.json"]).encode()
    assert not own_reports.is_own_report("findings.json", data)
    # under another suffix, only what starts as JSON: not a text holding a report's keys
    assert not own_reports.is_own_report("notes.txt", b"See " + compact({"format": "migrator.audit-report"}).encode())
    assert parsed == []
    report = compact({"format": "migrator.audit-report"}).encode()
    assert own_reports.is_own_report("REPORT.JSON", report)
    assert own_reports.is_own_report("report.txt", report)
    assert parsed == [report, report]


def test_a_report_that_is_no_json_is_known_by_the_format_it_starts_with() -> None:
    """A trend file with merge conflict markers is still a report (as before
    the structure was read); another JSON that is not valid is read."""
    from migrator.audit.own_reports import is_own_report

    conflicted = b'<<<<<<< HEAD\n{"format":"migrator.audit-report","version":1,\n=======\n'
    assert is_own_report("trend.json", conflicted)
    assert not is_own_report("data.json", b'{"rule": "r", "path": "p", "fingerprint": "' + b"0" * 32 + b'",')


def test_the_rewrite_reports_format_is_the_one_the_audit_looks_for() -> None:
    """Written out in the audit (it runs without the codemod's modules): kept equal by this test."""
    from migrator.audit.own_reports import REWRITE_FORMAT
    from migrator.rewrite.run_report import REPORT_FORMAT

    assert REWRITE_FORMAT == REPORT_FORMAT


def printed(*args: str, both: bool = False, shape: Callable[[Any], str] | None = None) -> str:
    """What `migrator audit --no-precise ARGS` prints (and to stderr too, `2>&1`, with `both`);
    with `shape`, the JSON report (`--format json`) reshaped, after stderr."""
    if shape is not None:
        args = (*args, "--format", "json")
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    if shape is not None:
        return result.stderr + shape(json.loads(result.stdout))
    return result.output if both else result.stdout


PRINTED_CASES: dict[str, tuple[str, Callable[[], str]]] = {
    "text": ("audit.txt", lambda: printed()),
    "text --stats": ("audit-stats.log", lambda: printed("--stats")),
    "text 2>&1 with a baseline": ("audit.out", lambda: printed("--baseline", "base.json", both=True)),
    "github": ("annotations.txt", lambda: printed("--format", "github")),
    "github 2>&1 --stats": ("annotations.log", lambda: printed("--format", "github", "--stats", both=True)),
    "json as .txt": ("audit.txt", lambda: printed("--format", "json")),
    "sarif as .sarif.txt": ("audit.sarif.txt", lambda: printed("--format", "sarif")),
    "jq -c '.findings[]' as .txt": ("trend.txt", NDJSON),
    "json 2>&1 --stats as .log": ("audit.log", lambda: printed("--format", "json", "--stats", both=True)),
    "sarif 2>&1 --stats": ("audit.sarif", lambda: printed("--format", "sarif", "--stats", both=True)),
    "json 2>&1 --stats, jq -S": ("audit.json", lambda: printed("--stats", both=True, shape=sorted_keys)),
}


@pytest.mark.parametrize("case", list(PRINTED_CASES))
def test_a_report_printed_and_saved_under_any_name_is_not_read(tree: Path, case: str) -> None:
    """rt6 #10: read, a saved report grew on each run (2 -> 5 -> 9 -> 14 findings)."""
    (tree / "base.json").write_text('{"format": "migrator.audit-baseline", "version": 1, "findings": []}\n')
    first = audit()
    name, make = PRINTED_CASES[case]
    for _ in range(3):
        (tree / "reports" / name).write_text(make())
        again = audit()
        assert again["findings"] == first["findings"]
        assert again["notes"] == [{"path": f"reports/{name}", "note": NOTE}]
        assert again["summary"]["findings"] == 6


def test_a_text_report_saved_as_utf_16_is_not_read(tree: Path) -> None:
    """Windows PowerShell's `migrator audit > audit.txt` writes UTF-16 with a byte order mark."""
    first = audit()
    (tree / "reports" / "audit.txt").write_bytes(printed().replace("\n", "\r\n").encode("utf-16"))
    again = audit()
    assert again["findings"] == first["findings"]
    assert again["notes"] == [{"path": "reports/audit.txt", "note": NOTE}]


def test_a_file_quoting_lines_of_a_report_is_read(tree: Path) -> None:
    """The whole file must be a report: a README showing one, or a report
    someone wrote a line of their own into, is read."""
    text, github = printed(), printed("--format", "github")
    (tree / "list.sh").unlink()
    (tree / "reports" / "README.md").write_text(f"# Audit\n\nThe audit prints:\n\n```\n{text}```\n")
    (tree / "reports" / "annotated.txt").write_text(github + "fixed in #123\n")
    (tree / "reports" / "note.txt").write_text(text.replace("Summary by rule:", "Summary by rule (see #12):"))
    report = audit()
    assert Counter(f["path"] for f in report["findings"]) == {
        "reports/README.md": 7, "reports/annotated.txt": 2, "reports/note.txt": 7}
    assert [(f["line"], f["rule"]) for f in report["findings"] if f["path"] == "reports/annotated.txt"] == [
        (2, "endpoint.sources.list"), (4, "endpoint.sources.get")]
    assert report["notes"] == []


def test_the_rewrites_summary_saved_is_known_by_its_structure() -> None:
    from migrator.audit.own_reports import is_own_report

    summary = (
        "migrator rewrite: 0 would change, 1 with markers, 0 unchanged (1 file)\n"
        "warning: the ids map has no workspace\n"
        "markers (a person must act on these lines):\n"
        "  ops.py:4: [endpoint.apps.create] `POST /v1beta/workspaces/{workspace}/apps`: no Public counterpart\n"
        "markers by rule:\n  endpoint.apps.create: 1\n"
        "notes:\n  ops.py: calls in this file now go to the Public API\n"
    )
    assert is_own_report("rewrite.log", summary.encode())
    assert is_own_report("rewrite.log", (summary + summary).encode())  # `2>>`
    assert not is_own_report("rewrite.log", (summary + "done by hand\n").encode())
    assert not is_own_report("notes.md", ("Seen:\n\n" + summary).encode())


def test_a_report_printed_after_long_stats_is_not_read(tree: Path) -> None:
    """`2>&1` with `--stats` of many rules: the report starts past its first KB."""
    paths = ("access-tokens", "catalog/destinations", "catalog/sources/javascript", "workspaces/acme/apps",
             "workspaces/acme/functions", "workspaces/acme/invites", "workspaces/acme/regulations",
             "workspaces/acme/roles", "workspaces/acme/sources/js/destinations", "workspaces/acme/tracking-plans",
             "workspaces/acme/sources/js/destinations/amplitude/filters", "filters/preview",
             "workspaces/acme/sources/js/regulations", "workspaces/acme/functions/sfnc_1")
    for ext in ("sh", "py", "js", "ts", "go", "rb", "yaml", "md", "txt", "java"):
        (tree / f"calls.{ext}").write_text("".join(f'"https://platform.segmentapis.com/v1beta/{p}"\n' for p in paths))
    first = audit()
    saved = printed("--format", "json", "--stats", both=True)
    assert saved.index('"format"') > 1024 and saved.startswith("Findings by rule:\n")
    (tree / "reports" / "audit.json").write_text(saved)
    report = audit()
    assert report["findings"] == first["findings"]
    assert report["notes"] == [{"path": "reports/audit.json", "note": NOTE}]


def test_the_rewrites_report_and_summary_saved_together_are_not_read(tree: Path) -> None:
    """`migrator rewrite --report - 2>&1`: the JSON report, then the summary."""
    (tree / "client.py").write_text(
        "import requests\n\n\ndef sources():\n"
        '    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()["sources"]\n'
    )
    before = audit()["findings"]
    result = CliRunner().invoke(cli, ["rewrite", "--check", "--report", "-", "client.py"])
    report = json.loads(result.stdout)
    (tree / "rewrite.log").write_text(sorted_keys(report) + result.stderr)
    assert "\nmigrator rewrite: " in (tree / "rewrite.log").read_text()
    again = audit()
    assert again["findings"] == before
    assert again["notes"] == [{"path": "rewrite.log", "note": NOTE}]


def test_reports_wrapped_with_config_text_of_their_own_are_read(tree: Path) -> None:
    """What holds a report beside Config text of its own (a command) is read, with the report's quotes."""
    (tree / "reports" / "runs.json").write_text(json.dumps({"command": f"curl {URL}", "audit": audit()}) + "\n")
    report = audit()
    assert Counter(f["path"] for f in report["findings"]) == {"list.sh": 6, "reports/runs.json": 9}
    assert report["notes"] == []
    assert not any(f["rule"] == "audit.config-field" for f in report["findings"])


def test_json_after_other_text_is_read(tree: Path) -> None:
    """Only what the audit prints to stderr may come before a report."""
    (tree / "list.sh").unlink()
    (tree / "notes.log").write_text("deploy log\n" + json.dumps({"format": "migrator.audit-report", "url": URL}))
    report = audit()
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [
        ("notes.log", "host.base-url"), ("notes.log", "endpoint.sources.list")]


def test_a_report_after_the_progress_of_a_terminal_is_not_read() -> None:
    """`script -c 'migrator audit --format json .' audit.log`: the counter, cleared, before the report."""
    from migrator.audit.own_reports import is_own_report

    report = compact({"format": "migrator.audit-report", "version": 1, "findings": []}).encode()
    progress = b"\raudit: 1/2 files\raudit: 2/2 files\r\x1b[K"
    assert is_own_report("audit.log", progress + report)
    assert is_own_report("audit.json", b"migrator audit: a warning\n" + progress + report)
    assert not is_own_report("audit.log", b"\raudit: 2/2 files\n" + report)
