"""`migrator audit`: options and exit codes, with the real table."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

HOST_LINE = 'BASE = "https://platform.segmentapis.com"\n'


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.py").write_text("import os\n" + HOST_LINE)
    (tmp_path / "b.md").write_text("Use https://platform.segmentapis.com/v1beta/access-tokens to mint one.\n")
    (tmp_path / "clean.txt").write_text("nothing here\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def audit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_findings_exit_1(tree: Path) -> None:
    code, out, _ = audit("--no-precise", "--jobs", "1")
    assert code == 1
    assert out.startswith("a.py\n  2:9 ")
    assert out.endswith("3 findings in 2 files (3 files read).\n")


def test_nothing_found_exit_0(tree: Path) -> None:
    code, out, _ = audit("clean.txt")
    assert (code, out) == (0, "0 findings (1 file read).\n")


def test_exit_zero(tree: Path) -> None:
    assert audit("--exit-zero")[0] == 0


def test_errors_exit_2(tree: Path) -> None:
    code, out, _ = audit("missing-dir")
    assert code == 2 and "error: missing-dir: no such file or directory" in out
    assert audit("--format", "xml")[0] == 2
    code, _, err = audit("--select", "nosuch")
    assert code == 2 and "unknown rule id or prefix: 'nosuch'" in err
    for option, empty in (("--select", ""), ("--ignore", " , ")):
        code, out, err = audit(option, empty)
        assert (code, out) == (2, "")
        assert f"{option} names no rule (give rule ids or prefixes, comma-separated; see `migrator rules`)" in err


def test_a_path_that_cannot_be_looked_at_is_an_error_not_a_traceback(tree: Path) -> None:
    code, out, _ = audit("a" * 5000, "b.md")
    assert code == 2
    assert f"error: {'a' * 5000}: cannot read: File name too long\n" in out
    assert out.endswith("2 findings in 1 file (1 file read).\n")


def test_a_folder_that_cannot_be_listed_fails_the_run(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "locked").mkdir()
    real = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, _ = audit("--no-precise", "--jobs", "1", "--exit-zero", ".")
    assert code == 2
    assert "error: locked: cannot list: Permission denied\n" in out
    assert "note: locked" not in out


def test_errors_are_said_when_the_report_goes_elsewhere(tree: Path) -> None:
    code, out, err = audit("--write-baseline", "baseline.json", "b.md", "nope")
    assert (code, out) == (2, "")
    assert err == (
        "migrator audit: error: nope: no such file or directory\n"
        "migrator audit: baseline of 2 findings written to baseline.json (incomplete: 1 path could not be read)\n"
    )
    code, out, err = audit("-o", "report.txt", "b.md", "nope")
    assert (code, out) == (2, "")
    assert err.endswith("report in report.txt\nmigrator audit: error: nope: no such file or directory\n")


def test_output_dash_is_standard_output(tree: Path) -> None:
    assert audit("-o", "-", "b.md") == audit("b.md")
    assert not (tree / "-").exists()


def test_select_and_ignore_by_prefix(tree: Path) -> None:
    code, out, _ = audit("--format", "json", "--select", "endpoint")
    assert code == 1
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"endpoint.access-tokens.create"}
    code, out, _ = audit("--format", "json", "--ignore", "endpoint,host")
    assert (code, json.loads(out)["findings"]) == (0, [])


def test_select_and_ignore_reach_what_the_codemod_marks_under_its_own_rule(tree: Path) -> None:
    """The codemod may report a Config host and path under a rule of its own
    (a URL built from parts it cannot see whole): `--select host,endpoint`
    and `--ignore host,endpoint` still find it, as without it."""
    (tree / "settings.py").write_text(
        'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n'
        'SOURCES = SEGMENT_API + "/workspaces/acme/sources"\n'
    )
    for precise in ("--precise", "--no-precise"):
        code, out, _ = audit("settings.py", precise, "--no-cache", "--format", "json", "--select", "host,endpoint")
        found = json.loads(out)["findings"]
        assert code == 1
        assert [(f["line"], f.get("also", [f["rule"]])) for f in found] == [
            (1, ["host.base-url"]), (2, ["endpoint.sources.list"]),
        ]
        assert all(f["text"] for f in found)
        code, out, _ = audit("settings.py", precise, "--no-cache", "--format", "json", "--ignore", "host,endpoint")
        assert (code, json.loads(out)["findings"]) == (0, [])


def test_baseline_gates_only_new_findings(tree: Path) -> None:
    # only the line the docs show: the findings are in the file
    written = "migrator audit: baseline of 3 findings written to baseline.json\n"
    assert audit("--write-baseline", "baseline.json") == (0, "", written)
    assert audit("--baseline", "baseline.json")[0] == 0
    # Lines move: still known.
    (tree / "a.py").write_text("import os\n\n\n# moved down\n" + HOST_LINE)
    code, out, _ = audit("--baseline", "baseline.json")
    assert code == 0 and "3 in the baseline" in out
    # A new use: only it is reported.
    (tree / "c.sh").write_text("curl https://platform.segmentapis.com/v1beta/workspaces/acme\n")
    code, out, _ = audit("--baseline", "baseline.json", "--format", "json")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["c.sh", "c.sh"]


def test_write_baseline_dash_is_standard_output(tree: Path) -> None:
    """`--write-baseline -` prints the baseline (as `-o -` prints the report),
    the same bytes a file gets; no file named `-` is written."""
    assert audit("--write-baseline", "baseline.json")[0] == 0
    code, out, err = audit("--write-baseline", "-")
    assert (code, out, err) == (0, (tree / "baseline.json").read_text(),
                                "migrator audit: baseline of 3 findings written to standard output\n")
    assert not (tree / "-").exists()
    code, out, err = audit("--write-baseline", "-", "-o", "-")
    assert (code, out, err) == (
        2, "", "migrator: error: -o - and --write-baseline - both name standard output: give one of them a file\n")


def test_bad_baseline_is_an_error(tree: Path) -> None:
    (tree / "b.json").write_text("{}")
    code, _, err = audit("--baseline", "b.json")
    assert code == 2 and "not a baseline file" in err


def test_output_file_and_formats(tree: Path) -> None:
    for fmt in ("text", "json", "sarif", "github"):
        code, out, err = audit("--no-precise", "--format", fmt, "-o", f"report.{fmt}")
        assert code == 1 and out == "" and f"report in report.{fmt}" in err
    assert json.loads((tree / "report.sarif").read_text())["version"] == "2.1.0"
    assert (tree / "report.github").read_text().startswith("::warning file=a.py,line=2,col=9,")


def test_the_report_being_written_is_not_read(tree: Path) -> None:
    """A second run does not report the findings quoted in the first one's report."""
    for spelling in ("report.json", "./report.json", str(tree / "report.json")):
        first = audit("--no-precise", "--format", "json", "-o", spelling)
        report = (tree / "report.json").read_text()
        second = audit("--no-precise", "--format", "json", "-o", spelling)
        assert first[0] == second[0] == 1 and (tree / "report.json").read_text() == report
        assert "report.json" not in report
    # Without -o, a report in the tree is a file like any other.
    assert "report.json" in audit("--no-precise", "--format", "json")[1]


def test_stats(tree: Path) -> None:
    (tree / "more.txt").write_text("nothing here either\n")
    _, out, _ = audit("--stats")
    assert "Findings by rule:\n" in out and "Findings by file type (files read):\n" in out
    assert "  py        1  (1 file)\n" in out and "  txt       0  (2 files)\n" in out
    _, out, err = audit("--stats", "--format", "json")
    assert json.loads(out)["summary"]["by_type"] == {"md": 2, "py": 1}
    assert "Findings by rule:" in err


def test_jobs_and_max_size(tree: Path) -> None:
    assert audit("--jobs", "2")[0] == 1
    code, out, _ = audit("--max-size", "10", "a.py")
    assert code == 0 and "note: a.py: skipped, larger than 10 bytes (--max-size)" in out
    assert audit("--max-size", "lots")[0] == 2


def test_file_names_that_are_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    name = os.fsdecode(b"bad\xff.py")
    (tmp_path / name).write_text(HOST_LINE)
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif", "github"):
        code, out, _ = audit("--no-precise", "--format", fmt)
        assert code == 1 and ("bad\ufffd.py" in out or "bad%EF%BF%BD.py" in out)


def test_a_python_module_whose_name_is_not_utf8_beside_a_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its name, as an import would hold it, was encoded strictly: a traceback (audit) or an internal error
    # that stopped the whole run (rewrite).
    import os

    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(HOST_LINE)
    (tmp_path / "good.py").write_text('import requests\nBASE = "https://platform.segmentapis.com/v1beta"\n'
                                      'def f(w):\n    return requests.get(BASE + f"/workspaces/{w}/sources").json()\n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = audit("--no-cache", "--jobs", "1", "--format", "json")
    assert code == 1
    assert sorted((f["path"], f["rule"]) for f in json.loads(out)["findings"]) == [
        ("bad\ufffd.py", "rewrite.partial-path"), ("good.py", "endpoint.sources.list"), ("good.py", "host.base-url"),
        ("good.py", "pagination.params"),
    ]
    result = CliRunner().invoke(cli, ["rewrite", "--check", "."])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "migrator rewrite: 1 would change, 1 with markers (1 of them would change), 0 unchanged (2 files)")


def test_reports_of_the_audit_left_in_the_tree_are_not_read(tree: Path) -> None:
    """Kept to follow progress, they quote every finding: the next audit
    would find them all again."""
    first = audit("--no-precise", "--format", "json")
    (tree / "reports").mkdir()
    (tree / "reports" / "audit-2026-11-20.json").write_text(first[1])
    audit("--no-precise", "--format", "sarif", "-o", "reports/audit.sarif")
    code, out, _ = audit("--no-precise", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["findings"] == json.loads(first[1])["findings"]
    assert {n["path"] for n in report["notes"]} == {"reports/audit-2026-11-20.json", "reports/audit.sarif"}
    # A JSON file that merely mentions the Config API is read as usual.
    (tree / "reports" / "other.json").write_text('{"url": "https://platform.segmentapis.com/v1beta/workspaces"}')
    assert any(f["path"] == "reports/other.json" for f in json.loads(audit("--no-precise", "--format", "json")[1])["findings"])


def test_a_report_of_the_rewrite_left_in_the_tree_is_not_read(tree: Path) -> None:
    """`migrator rewrite --report rewrite.json` quotes the Config paths it
    changed: the audit after it (a baseline gate) does not find them again."""
    (tree / "client.py").write_text(
        "import requests\n\n\ndef sources():\n"
        '    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()["sources"]\n'
    )
    before = json.loads(audit("--no-precise", "--format", "json")[1])["findings"]
    result = CliRunner().invoke(cli, ["rewrite", "--check", "--report", "rewrite.json", "client.py"])
    assert result.exit_code == 1 and "platform.segmentapis.com" in (tree / "rewrite.json").read_text()
    report = json.loads(audit("--no-precise", "--format", "json")[1])
    assert report["findings"] == before
    assert report["notes"] == [{"path": "rewrite.json", "note": "not read: a report of `migrator` (it quotes what it found)"}]


@pytest.mark.parametrize("option", [["-o", "afile/r.sarif", "--format", "sarif"], ["--write-baseline", "afile/b.json"]])
def test_a_report_below_a_file_is_one_error_line(tree: Path, option: list[str]) -> None:
    Path("afile").write_text("")
    code, out, err = audit(*option, "--no-precise", "a.py")
    assert (code, out, err) == (2, "", f"migrator: error: {option[1]}: cannot write: afile is a file, not a directory\n")


def test_a_report_that_cannot_be_written_is_one_error_line(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import migrator.cli.audit_cmd as audit_cmd

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(audit_cmd, "write_atomic", refuse)
    for option in (["-o", "r.json"], ["--write-baseline", "b.json"]):
        code, out, err = audit(*option, "--no-precise", "a.py")
        assert (code, out, err) == (2, "", f"migrator: error: {option[1]}: cannot write: Permission denied\n")


UNPROVEN_READ = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def names():
    return [s["display_name"] for s in requests.get(f"{API}/workspaces/acme/sources/js/destinations").json()["destinations"]]
'''


def test_a_marker_comment_an_id_map_fixes_is_reported_with_its_message_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The audit adds to a marker comment that a rewrite with ids fixes it;
    the text report does not quote the comment after that message (the
    matched text, in JSON, still holds it)."""
    from migrator.markers import IDS_ADVICE
    from migrator.rewrite import rewrite_bytes
    from migrator.ruleset import load_rules

    (tmp_path / "a.py").write_bytes(rewrite_bytes(UNPROVEN_READ.encode(), load_rules()).code)
    monkeypatch.chdir(tmp_path)
    said = ("`display_name` is read off the response of a call this rewrite leaves on the Config API, where it is "
            "right as it is: when that call moves to the Public API, read the Public field instead (`name`; "
            "`displayName` for a function)")
    code, out, _ = audit("--precise", "--no-cache", "a.py")
    assert code == 1
    assert f"  9:5      warning  rewrite.responses  {said}{IDS_ADVICE} [fixable-with-ids]" in out.splitlines()
    code, out, _ = audit("--precise", "--no-cache", "--format", "json", "a.py")
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "rewrite.responses"]
    assert [(f["message"], f["text"]) for f in found] == [(said + IDS_ADVICE, f"# migrator[rewrite.responses]: {said}")]


def test_a_note_of_the_walk_names_its_path_in_every_format(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A link out of the tree is skipped with a note on that path, as a
    file too large is: in JSON, SARIF and GitHub annotations alike."""
    outside = tmp_path_factory.mktemp("outside") / "hostname"
    outside.write_text("box\n")
    (tree / "outlink.txt").symlink_to(outside)
    said = "skipped, symlink out of the tree"
    _, out, _ = audit("--no-precise", "--format", "json", "clean.txt", "outlink.txt")
    assert json.loads(out)["notes"] == [{"path": "outlink.txt", "note": said}]
    _, out, _ = audit("--no-precise", "--format", "github", "clean.txt", "outlink.txt")
    assert out == f"::notice file=outlink.txt::{said}\nmigrator audit: 0 findings in 1 file read\n"
    _, out, _ = audit("--no-precise", "--format", "sarif", "clean.txt", "outlink.txt")
    assert json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "note", "message": {"text": said}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "outlink.txt", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1},
        }}]},
    ]
    _, out, _ = audit("--no-precise", "clean.txt", "outlink.txt")
    assert out == f"note: outlink.txt: {said}\n0 findings (1 file read).\n"


def test_a_run_below_the_top_of_the_repository_for_github_or_a_baseline_says_so(
    tree: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Paths, and so fingerprints, are the working directory's: a `working-directory:`
    step gives alerts GitHub cannot place and a gate on which every finding is new."""
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    (tree / "services").mkdir()
    (tree / "services" / "a.py").write_text(HOST_LINE)
    note = (f"migrator audit: paths are relative to the working directory, not to the top of the repository "
            f"({os.path.realpath(tree)}): GitHub code scanning places files from the top, and a baseline written "
            "there names files by paths from the top (its findings show as new here, or as those of another file "
            "whose path from here is the same); run from the top\n")
    assert audit("--no-precise", "--format", "github", "services")[2] == ""  # from the top: nothing to say
    monkeypatch.chdir(tree / "services")
    assert [audit("--no-precise", *args)[2] for args in (["--format", "github"], ["--format", "sarif"])] == [note] * 2
    assert audit("--no-precise")[2] == ""  # a report for people: its paths are for them
