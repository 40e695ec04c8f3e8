"""Reporters: SARIF against the 2.1.0 schema, JSON, GitHub annotations, text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from migrator.audit.core import Auditor
from migrator.audit.model import FileResult, Finding
from migrator.audit.report import Report, reporter
from migrator.audit.run import audit_paths
from migrator.audit.stats import compute, file_type, render
from migrator.markers import IDS_ADVICE
from migrator.ruleset import RuleSet
from tests.audit.conftest import FIXTURES, TREES

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture()
def report(pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(TREES / "mixed")
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    run.results.append(FileResult("big.sql", skipped="larger than 10 bytes (--max-size)"))
    findings = run.findings
    return Report(findings, run.results, compute(run.results, findings, 0, run.clean, run.binary), pinned_rules.by_id)


def test_sarif_is_valid_sarif_2_1_0(report: Report) -> None:
    log = json.loads(reporter("sarif")(report))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_has_what_code_scanning_needs(report: Report) -> None:
    run = json.loads(reporter("sarif")(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in report.findings})
    for rule in rules:
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["shortDescription"]["text"]
    assert len(run["results"]) == len(report.findings)
    for result, finding in zip(run["results"], report.findings):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        assert (location["region"]["startLine"], location["region"]["startColumn"]) == (finding.line, finding.column)
        assert result["partialFingerprints"] == {"migratorFingerprint/v1": finding.fingerprint}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "skipped, larger than 10 bytes (--max-size)"


def test_json_report(report: Report) -> None:
    data = json.loads(reporter("json")(report))
    assert data["format"] == "migrator.audit-report"
    assert data["summary"]["findings"] == len(report.findings)
    assert data["summary"]["by_rule"]["host.base-url"] == 16
    first = data["findings"][0]
    assert set(first) == {"path", "line", "column", "rule", "severity", "message", "text", "fix", "fingerprint"}
    assert data["skipped"] == [{"path": "big.sql", "reason": "larger than 10 bytes (--max-size)"}]


def test_github_annotations_escape_their_values() -> None:
    f = Finding("dir/a,b.py", 3, 7, "host.base-url", "warning", "50% done: line1\nline2", "xy", fingerprint="f")
    out = reporter("github")(Report([f], [], compute([], [f]), {}))
    assert out.splitlines()[0] == (
        "::warning file=dir/a%2Cb.py,line=3,col=7,endColumn=9,title=host.base-url::50%25 done: line1%0Aline2"
    )


def test_text_report() -> None:
    findings = [
        Finding("a.py", 2, 5, "host.base-url", "warning", "use the Public host", "https://platform.segmentapis.com", fix="rewrite"),
        Finding("a.py", 9, 1, "source.fields", "note", "Config field `display_name` is `name`", "display_name"),
        Finding("a.py", 12, 5, "rewrite.paths", "warning", "pass the id", "# migrator[rewrite.paths]: pass the id", fix="manual"),
        Finding("a.py", 14, 5, "rewrite.paths", "warning", "pass the id" + IDS_ADVICE, "# migrator[rewrite.paths]: pass the id",
                fix="rewrite-with-ids"),
        Finding("b.md", 1, 1, "host.base-url", "warning", "use the Public host", "platform.segmentapis.com"),
    ]
    results = [FileResult("a.py", findings[:4]), FileResult("b.md", findings[4:], notes=["not valid UTF-8: read with replacement characters"])]
    out = reporter("text")(Report(findings, results, compute(results, findings), {}))
    assert out == (
        "a.py\n"
        "  2:5      warning  host.base-url  use the Public host (`https://platform.segmentapis.com`) [fixable-by-rewrite]\n"
        "  9:1      note     source.fields  Config field `display_name` is `name`\n"
        "  12:5     warning  rewrite.paths  pass the id [needs-a-person]\n"
        f"  14:5     warning  rewrite.paths  pass the id{IDS_ADVICE} [fixable-with-ids]\n"
        "\n"
        "b.md\n"
        "  1:1      warning  host.base-url  use the Public host (`platform.segmentapis.com`)\n"
        "\n"
        "Summary by rule:\n"
        "  host.base-url      2\n"
        "  rewrite.paths      2\n"
        "  source.fields      1\n"
        "\n"
        "note: b.md: not valid UTF-8: read with replacement characters\n"
        "5 findings in 2 files (2 files read).\n"
    )


def test_stats_by_rule_and_file_type(report: Report) -> None:
    text = render(report.stats)
    assert text.startswith("Findings by rule:\n  host.base-url ")
    assert "Findings by file type (files read):" in text
    assert "  py " in text and "ipynb" in text
    assert [file_type(p) for p in ("a/b.PY", "Makefile", ".gitignore", "x.tar.gz")] == ["py", "Makefile", ".gitignore", "gz"]
    env_files = (".env", "app/.env.example", ".env.local", ".ENV.Production", ".envrc", "x.env")
    assert [file_type(p) for p in env_files] == ["env", "env", "env", "env", ".envrc", "env"]


def test_sarif_without_findings_is_valid() -> None:
    empty = Report([], [], compute([], []), {}, errors=["nope: no such file or directory"])
    log = json.loads(reporter("sarif")(empty))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is False


SPLIT_CALL = '''import requests

BASE = "https://platform.segmentapis.com/v1beta/"


def srcs(ws):
    return requests.get(
        BASE + "workspaces/%s/sources" % ws
    ).json()
'''


def test_a_change_over_lines_ends_on_its_last_line(real_rules: RuleSet) -> None:
    """The codemod's change of a call split over lines (its text shown on one
    line) ends where the call does: GitHub and SARIF get its last line, and
    no end column past the end of the first one."""
    result = Auditor(real_rules).scan("g.py", SPLIT_CALL.encode())
    report = Report(result.findings, [result], compute([result], result.findings), real_rules.by_id)
    annotations = [a.split(",title=")[0] for a in reporter("github")(report).splitlines()[:-1]]
    assert annotations == [
        "::warning file=g.py,line=3,col=8,endColumn=50",
        "::warning file=g.py,line=7,endLine=9,col=12,endColumn=6",
        "::warning file=g.py,line=8,col=9,endColumn=44",
    ]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in json.loads(reporter("sarif")(report))["runs"][0]["results"]]
    assert [(r["startLine"], r["startColumn"], r.get("endLine"), r["endColumn"]) for r in regions] == [
        (3, 8, None, 50), (7, 12, 9, 6), (8, 9, None, 44),
    ]


def test_a_sarif_rules_default_level_is_the_highest_of_its_findings_whatever_their_order() -> None:
    """Not the last finding's: a renamed file (another order) would flip it."""
    def level(paths: tuple[str, str]) -> str:
        findings = [Finding(paths[0], 1, 1, "source.fields", "warning", "m", "name", fingerprint="a"),
                    Finding(paths[1], 1, 1, "source.fields", "note", "m", "display_name", fingerprint="b")]
        log = json.loads(reporter("sarif")(Report(findings, [], compute([], []), {})))
        return log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"]

    assert [level(("a.py", "b.py")), level(("b.py", "a.py"))] == ["warning", "warning"]


NAMED_FILES = ("Dockerfile", "Dockerfile.prod", "prod.Dockerfile", "api.dockerfile", "Containerfile",
               "Makefile", "GNUmakefile", "Makefile.am", "Jenkinsfile", "deploy/Jenkinsfile.release")


def test_stats_count_a_named_kind_of_file_in_one_row(real_rules: RuleSet, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """rt4 #14: a Dockerfile's rows were split by name (`dockerfile`,
    `Containerfile`, `Dockerfile`, `prod`); a named file is one row whatever
    its suffix, unless that suffix makes it code."""
    for name in NAMED_FILES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("list:\n\tcurl -s https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n")
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, precise=False)
    assert render(compute(run.results, run.findings, 0, run.clean, run.binary)) == (
        "Findings by rule:\n"
        "  endpoint.sources.list      10\n"
        "  host.base-url              10\n"
        "Findings by file type (files read):\n"
        "  dockerfile       10  (5 files)\n"
        "  Makefile          6  (3 files)\n"
        "  Jenkinsfile       4  (2 files)\n"
    )
    names = ("Containerfile.dev", "x/Dockerfile-dev", "makefile", "Gemfile.lock", "Pipfile.lock", "rules.mk",
             "dockerfile.py", "Makefile.ts", "Rakefile.rb", ".dockerignore", "docker-compose.yml", "LICENSE")
    assert [file_type(p) for p in names] == [
        "dockerfile", "dockerfile", "Makefile", "Gemfile", "Pipfile", "mk", "py", "ts", "rb", ".dockerignore", "yml",
        "LICENSE"]
