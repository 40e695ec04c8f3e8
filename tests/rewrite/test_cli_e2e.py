"""`migrator rewrite` end to end, with the real core, on temporary trees."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrator.cli import cli
from migrator.rewrite import driver
from migrator.ruleset import load_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "legacy-project"

HOST = b'_BASE_URL = "https://platform.segmentapis.com/v1beta/"\n'
HOST_NEW = b'_BASE_URL = "https://api.segmentapis.com/"\n'
TOKENS = (
    b'import requests\n\nTOKENS = "https://platform.segmentapis.com/v1beta/access-tokens"\n'
    b"token = requests.post(TOKENS, auth=(EMAIL, PASSWORD)).json()['token']\n"
)
TOKEN_REASON = load_rules().by_id["endpoint.access-tokens.create"].instead  # type: ignore[union-attr]
TOKEN_MARKER = f"# migrator[endpoint.access-tokens.create]: {TOKEN_REASON}\n".encode()
TOKEN_NOTE = (
    "calls in this file now go to the Public API: the token they send must be a Public API token "
    "(one per workspace, created by a workspace owner in the Segment app); Config API tokens are refused"
)
# Nothing to migrate, and formatting libcst does not round-trip: must stay byte-identical.
ODD = (
    b"\xef\xbb\xbf# -*- coding: utf-8 -*-\r\n"
    b"try:\r\n    import json\r\nexcept ImportError :\r\n    json = None\r\n"
    b"DOCS = 'https://api.segmentapis.com/'   # already migrated\r\n"
)
DRIFT = b"try:\n    pass\nexcept ValueError :\n    pass\n" + HOST


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["rewrite", *map(str, args)])


def tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tree(tmp_path / "proj", {"app/settings.py": HOST, "app/tokens.py": TOKENS, "app/odd.py": ODD})


def test_diff_is_exact_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = invoke("--diff", "proj")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "--- proj/app/settings.py\n"
        "+++ proj/app/settings.py\n"
        "@@ -1 +1 @@\n"
        '-_BASE_URL = "https://platform.segmentapis.com/v1beta/"\n'
        '+_BASE_URL = "https://api.segmentapis.com/"\n'
        "--- proj/app/tokens.py\n"
        "+++ proj/app/tokens.py\n"
        "@@ -1,4 +1,5 @@\n"
        " import requests\n"
        " \n"
        f"+{TOKEN_MARKER.decode()}"
        ' TOKENS = "https://platform.segmentapis.com/v1beta/access-tokens"\n'
        " token = requests.post(TOKENS, auth=(EMAIL, PASSWORD)).json()['token']\n"
    )
    assert result.stderr == (
        "migrator rewrite: 1 would change, 1 with markers (1 of them would change), 1 unchanged (3 files)\n"
        "markers (a person must act on these lines):\n"
        f"  proj/app/tokens.py:4: [endpoint.access-tokens.create] {TOKEN_REASON}\n"
        "markers by rule:\n"
        "  endpoint.access-tokens.create: 1\n"
        "notes:\n"
        f"  proj/app/settings.py: {TOKEN_NOTE}\n"
    )
    assert snapshot(project) == before


def test_check_exit_codes_and_idempotence(project: Path) -> None:
    assert invoke("--check", "proj").exit_code == 1
    written = invoke("proj")
    assert written.exit_code == 0, written.output
    assert written.stderr.startswith("migrator rewrite: 1 changed, 1 with markers (1 of them written), 1 unchanged (3 files)\n")
    assert (project / "app/settings.py").read_bytes() == HOST_NEW
    assert (project / "app/tokens.py").read_bytes() == TOKENS.replace(b"TOKENS =", TOKEN_MARKER + b"TOKENS =")
    after = snapshot(project)
    again = invoke("--check", "proj")
    assert again.exit_code == 0, again.output  # a second run changes nothing
    assert invoke("proj").exit_code == 0
    assert snapshot(project) == after


def test_check_says_a_file_with_markers_would_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # it said "0 would change, 1 with markers" and exited 1: the file it would change is one with markers
    monkeypatch.chdir(tmp_path)
    tree(tmp_path / "proj", {"tokens.py": TOKENS})
    result = invoke("--check", "proj")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1, "migrator rewrite: 0 would change, 1 with markers (1 of them would change), 0 unchanged (1 file)")


GONE_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def list_sources():
    return requests.get(API + "/workspaces/acme/sources?page_size=10").json()["sources"]
'''
GONE_TEST = b'''import responses

from client import list_sources

API = "https://platform.segmentapis.com/v1beta"
BASE = f"{API}/workspaces/acme"


@responses.activate
def test_list():
    responses.add(responses.GET, BASE + "/sources", json={"sources": [], "next_page_token": ""})
    responses.add(
        responses.GET,
        BASE + "/sources/web/destinations/google-analytics",
        json={"error": "x", "code": 5},
        status=404,
    )
    responses.add(responses.GET, BASE + "/sources/gone", json={"error": "x", "code": 5}, status=404)
    assert list_sources() == []
'''


def test_a_run_without_ids_keeps_the_markers_a_run_with_ids_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's CI line, `rewrite --check` without ids, after a rewrite
    with ids: it would reword what that run marked (`the id map has no source
    `gone``, a resolved path kept with its base) into advice already followed
    (`run `migrator ids`, then `migrator rewrite --ids FILE``) and exit 1."""
    monkeypatch.chdir(tmp_path)
    tree(tmp_path / "proj", {"client.py": GONE_CLIENT, "test_client.py": GONE_TEST})
    ids = ROOT / "docs" / "examples" / "segment-ids.json"
    assert invoke("--ids", ids, "--lookup-module", "segment_ids", "proj").exit_code == 0
    after = snapshot(tmp_path / "proj")
    assert after["test_client.py"].count(b"# migrator[") == 5
    assert b"the id map has no source `gone`" in after["test_client.py"]
    check = invoke("--check", "proj")
    assert (check.exit_code, check.stderr.splitlines()[0]) == (
        0, "migrator rewrite: 0 would change, 1 with markers, 1 unchanged (2 files)")
    assert invoke("proj").exit_code == 0
    assert snapshot(tmp_path / "proj") == after


def test_check_after_a_rewrite_counts_the_markers_it_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the URL is Public once written, so a second run does not parse the file nor find its marker again:
    # it said "0 with markers, 1 unchanged" where a file whose markers a run finds again says "1 with markers"
    monkeypatch.chdir(tmp_path)
    tree(tmp_path / "proj", {"show.py": (
        b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n'
        b'print(requests.get(f"{API}/catalog/sources", params={"page_size": 10}).json())\n'
    )})
    assert invoke("proj").exit_code == 0
    again = invoke("--check", "proj")
    assert (again.exit_code, again.stderr) == (0, (
        "migrator rewrite: 0 would change, 1 with markers, 0 unchanged (1 file)\n"
        "markers an earlier run left, which this run does not find again (`migrator audit` lists them):\n"
        "  proj/show.py: 1\n"
    ))


def test_check_counts_the_markers_an_earlier_run_left_in_an_old_mac_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a marker line was found after \n only: this file was "unchanged", with no markers left
    monkeypatch.chdir(tmp_path)
    tree(tmp_path / "proj", {"show.py": (
        b'import requests\r\rAPI = "https://platform.segmentapis.com/v1beta"\r'
        b'print(requests.get(f"{API}/catalog/sources", params={"page_size": 10}).json())\r'
    )})
    assert invoke("proj").exit_code == 0
    assert b"\r# migrator[" in (tmp_path / "proj/show.py").read_bytes()
    again = invoke("--check", "--report", "r.json", "proj")
    assert (again.exit_code, again.stderr) == (0, (
        "migrator rewrite: 0 would change, 1 with markers, 0 unchanged (1 file)\n"
        "markers an earlier run left, which this run does not find again (`migrator audit` lists them):\n"
        "  proj/show.py: 1\n"
    ))
    [entry] = json.loads((tmp_path / "r.json").read_text())["files"]
    assert (entry["path"], entry["status"], entry["held_markers"]) == ("proj/show.py", "marked", 1)


def test_a_second_run_quotes_the_markers_as_the_file_holds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the first run sees a Config call and calls the origin of `s` unproven; the second sees a Public call
    # ("this file calls the Public API") and writes no second comment: its summary and report quote the file's
    monkeypatch.chdir(tmp_path)
    tree(tmp_path / "proj", {"label.py": (
        b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
        b'def names(ws):\n    r = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 5})\n'
        b'    return [s["display_name"] for s in r.json()["sources"]]\n\n\n'
        b'def label(s):\n    return s["display_name"]\n'
    )})
    said = ("`display_name` looks like a Config API field read off a value whose origin this rewrite cannot prove: "
            "if it comes from a migrated call, read the Public field instead (`name`; `displayName` for a function)")
    assert invoke("proj").exit_code == 0
    assert f"    # migrator[rewrite.responses]: {said}\n" in (tmp_path / "proj/label.py").read_text()
    again = invoke("--report", "report.json", "proj")
    assert (again.exit_code, again.stderr) == (0, (
        "migrator rewrite: 0 changed, 1 with markers, 0 unchanged (1 file)\n"
        "markers (a person must act on these lines):\n"
        f"  proj/label.py:13: [rewrite.responses] {said}\n"
        "markers by rule:\n"
        "  rewrite.responses: 1\n"
    ))
    [entry] = json.loads((tmp_path / "report.json").read_text())["files"]
    assert [(m["line"], m["reason"]) for m in entry["markers"]] == [(13, said)]


def test_unchanged_files_are_byte_identical(project: Path) -> None:
    tree(project, {"app/drift.py": DRIFT})
    assert invoke("proj").exit_code == 0
    assert (project / "app/odd.py").read_bytes() == ODD
    # Migrated, and the `except ValueError :` outside the migrated span kept as is.
    assert (project / "app/drift.py").read_bytes() == DRIFT.replace(HOST, HOST_NEW)


def test_report_is_exact(project: Path) -> None:
    result = invoke("--check", "--report", "report.json", "proj")
    assert result.exit_code == 1
    assert json.loads(Path("report.json").read_text()) == {
        "format": "migrator.rewrite-report",
        "version": 1,
        "mode": "check",
        "region": "us",
        "ids": None,
        "written": False,
        "refused": None,
        "files": [
            {
                "path": "proj/app/settings.py",
                "status": "changed",
                "modified": True,
                "changes": {
                    "host.base-url": [
                        {
                            "line": 1,
                            "column": 12,
                            "before": '"https://platform.segmentapis.com/v1beta/"',
                            "after": '"https://api.segmentapis.com/"',
                        }
                    ]
                },
                "markers": [],
                "held_markers": 0,
                "notes": [TOKEN_NOTE],
                "new_notes": [TOKEN_NOTE],
                "error": None,
            },
            {
                "path": "proj/app/tokens.py",
                "status": "marked",
                "modified": True,
                "changes": {},
                "markers": [
                    # `new_line`: in the file as written (`--check` writes nothing), the marker comment above it counted
                    {"line": 3, "column": 9, "rule": "endpoint.access-tokens.create", "reason": TOKEN_REASON,
                     "new_line": 4, "new_reason": TOKEN_REASON}
                ],
                "held_markers": 0,
                "notes": [],
                "new_notes": [],
                "error": None,
            },
        ],
        "totals": {
            "files": 3, "changed": 1, "marked": 1, "unchanged": 1, "failed": 0, "skipped": 0,
            "modified": 2, "changes": 1, "markers": 1, "held_markers": 0,
            "changes_by_rule": {"host.base-url": 1},
            "markers_by_rule": {"endpoint.access-tokens.create": 1},
        },
    }


def test_region_eu(project: Path) -> None:
    assert invoke("--region", "eu", "proj/app/settings.py").exit_code == 0
    assert (project / "app/settings.py").read_bytes() == b'_BASE_URL = "https://eu1.api.segmentapis.com/"\n'


def test_permissions_are_kept(project: Path) -> None:
    (project / "app/settings.py").chmod(0o754)
    assert invoke("proj").exit_code == 0
    assert stat.S_IMODE((project / "app/settings.py").stat().st_mode) == 0o754
    assert (project / "app/settings.py").read_bytes() == HOST_NEW


def test_a_file_that_fails_to_parse_is_reported_and_skipped(project: Path) -> None:
    broken = b"def broken(:\n    " + HOST
    latin = b"X = 'caf\xe9'\n" + HOST  # no coding cookie: invalid UTF-8
    tree(project, {"app/broken.py": broken, "app/latin.py": latin})
    result = invoke("proj")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:4] == [
        "migrator rewrite: 1 changed, 1 with markers (1 of them written), 1 unchanged, 2 failed (5 files)",
        "failed:",
        "  proj/app/broken.py: line 1: does not parse: invalid syntax",
        "  proj/app/latin.py: line 1: invalid or missing encoding declaration",
    ]
    assert (project / "app/broken.py").read_bytes() == broken
    assert (project / "app/latin.py").read_bytes() == latin
    assert (project / "app/settings.py").read_bytes() == HOST_NEW


def test_a_file_with_a_nul_byte_does_not_parse(project: Path) -> None:
    nul = b'import requests\nAPI = "https://platform.segmentapis.com/v1beta"\nx = "\0"\n'
    tree(project, {"app/nul.py": nul})
    result = invoke("--check", "proj/app/nul.py")
    assert (result.exit_code, result.stderr) == (2, (
        "migrator rewrite: 0 would change, 0 with markers, 0 unchanged, 1 failed (1 file)\n"
        "failed:\n"
        "  proj/app/nul.py: line 3: does not parse: a NUL byte (not a text file)\n"
    ))
    assert (project / "app/nul.py").read_bytes() == nul


def test_declared_encoding_is_kept(project: Path) -> None:
    latin = b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n" + HOST
    tree(project, {"app/latin.py": latin})
    diff = invoke("--diff", "proj/app/latin.py")
    assert diff.stdout_bytes.splitlines()[3:5] == [b" # -*- coding: latin-1 -*-", b" NAME = 'caf\xe9'"]  # the file's bytes
    assert invoke("proj").exit_code == 0
    assert (project / "app/latin.py").read_bytes() == latin.replace(HOST, HOST_NEW)


def test_old_mac_line_ends_and_a_cookie_naming_a_codec_of_bytes(project: Path) -> None:
    # Lone \r ends lines for Python, not for `tokenize`, which took `encoding=enc` on line 3 for the
    # cookie (the file failed: "unknown encoding: enc"); a cookie naming `hex` raised LookupError.
    mac = b"# tools\r" + HOST.replace(b"\n", b"\r") + b"def read(p, enc):\r    return open(p, encoding=enc).read()\r"
    tree(project, {"app/mac.py": mac, "app/hex.py": b"# coding: hex\n" + HOST})
    result = invoke("proj/app/mac.py", "proj/app/hex.py")
    assert (result.exit_code, result.stderr) == (2, (
        "migrator rewrite: 1 changed, 0 with markers, 0 unchanged, 1 failed (2 files)\n"
        "failed:\n  proj/app/hex.py: its declared encoding: 'hex' is not a text encoding; "
        "use codecs.decode() to handle arbitrary codecs\n"
        f"notes:\n  proj/app/mac.py: {TOKEN_NOTE}\n"
    ))
    assert (project / "app/mac.py").read_bytes() == mac.replace(HOST.rstrip(b"\n"), HOST_NEW.rstrip(b"\n"))


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")
@pytest.mark.parametrize("code", [
    b"\xef\xbb\xbf" + HOST,  # a BOM: the diff showed the line without it
    b"# -*- coding: latin-1 -*-\n" + HOST.rstrip(b"\n") + b"  # caf\xe9\n",  # the diff showed UTF-8 text
    b"# -*- coding: cp1252 -*-\n# \x80 \xe9\n" + HOST,
], ids=["bom", "latin-1", "cp1252"])
def test_the_diff_applies_with_patch_as_the_rewrite_writes(project: Path, code: bytes) -> None:
    tree(project, {"app/coded.py": code})
    diff = invoke("--diff", "proj/app/coded.py")
    assert diff.exit_code == 0
    patched = subprocess.run(["patch", "-p0", "--fuzz=0", "--quiet", "--no-backup-if-mismatch"],
                             input=diff.stdout_bytes, cwd=project.parent, capture_output=True)
    assert (patched.returncode, patched.stdout, patched.stderr) == (0, b"", b"")
    shown = (project / "app/coded.py").read_bytes()
    tree(project, {"app/coded.py": code})
    assert invoke("proj/app/coded.py").exit_code == 0
    assert shown == (project / "app/coded.py").read_bytes() == code.replace(HOST.rstrip(b"\n"), HOST_NEW.rstrip(b"\n"))


@pytest.mark.parametrize("tool", [
    pytest.param(["patch", "-p0", "--fuzz=0", "--quiet", "--no-backup-if-mismatch"],
                 marks=pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")),
    pytest.param(["git", "apply", "-p0"], marks=pytest.mark.skipif(shutil.which("git") is None, reason="needs git")),
], ids=["patch", "git-apply"])
def test_the_diff_of_an_old_mac_file_applies_and_so_do_the_files_after_it(project: Path, tool: list[str]) -> None:
    # its hunk ended in a lone \r: the next `--- path` header was glued onto its last line and
    # patch (or git apply) refused every later file
    mac = b"# tools\r" + HOST.replace(b"\n", b"\r") + b"X = 1\r"
    tree(project, {"app/a_mac.py": mac, "app/b_unix.py": HOST})
    diff = invoke("--diff", "proj/app/a_mac.py", "proj/app/b_unix.py")
    assert diff.exit_code == 0
    assert diff.stdout_bytes == (
        b"# migrator: proj/app/a_mac.py ends its lines with a lone carriage return (\\r), which patch does not "
        b"take for a line end: the lines ending so are shown joined, as patch reads them\n"
        b"--- proj/app/a_mac.py\n+++ proj/app/a_mac.py\n@@ -1 +1 @@\n"
        b"-" + mac + b"\n\\ No newline at end of file\n"
        b"+" + mac.replace(HOST.rstrip(b"\n"), HOST_NEW.rstrip(b"\n")) + b"\n\\ No newline at end of file\n"
        b"--- proj/app/b_unix.py\n+++ proj/app/b_unix.py\n@@ -1 +1 @@\n"
        b"-" + HOST + b"+" + HOST_NEW
    )
    patched = subprocess.run(tool, input=diff.stdout_bytes, cwd=project.parent, capture_output=True)
    assert (patched.returncode, patched.stdout, patched.stderr) == (0, b"", b"")
    shown = snapshot(project)
    tree(project, {"app/a_mac.py": mac, "app/b_unix.py": HOST})
    assert invoke("proj/app/a_mac.py", "proj/app/b_unix.py").exit_code == 0
    assert shown == snapshot(project)
    assert shown["app/b_unix.py"] == HOST_NEW


def test_virtualenvs_generated_files_and_outside_symlinks(project: Path, tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"legacy.py": HOST})
    tree(project, {"env/pyvenv.cfg": b"home = /usr\n", "env/lib/dep.py": HOST,
                   "app/api_pb2.py": b"# Generated by the protocol buffer compiler.  DO NOT EDIT!\n" + HOST})
    (project / "app/link.py").symlink_to(outside / "legacy.py")
    (project / "shared").symlink_to(outside, target_is_directory=True)
    result = invoke("--report", "r.json", "proj")
    assert result.exit_code == 0, result.output
    assert (outside / "legacy.py").read_bytes() == HOST
    assert (project / "env/lib/dep.py").read_bytes() == HOST
    assert (project / "app/api_pb2.py").read_bytes().endswith(HOST)
    skipped = {f["path"]: f["notes"] for f in json.loads(Path("r.json").read_text())["files"] if f["status"] == "skipped"}
    assert skipped == {
        "proj/app/api_pb2.py": [
            "generated file (# Generated by the protocol buffer compiler.  DO NOT EDIT!): "
            "not rewritten; migrate its generator instead"
        ],
        "proj/app/link.py": ["symlink out of the tree: not followed"],
        "proj/shared": ["symlink out of the tree: not followed"],
    }


@pytest.mark.parametrize("jobs", ["2", "0"])  # 0: all cores, as for `audit` (it was a usage error)
def test_parallel_run_over_many_files(project: Path, jobs: str) -> None:
    tree(project, {f"many/m{i:02}.py": b"import os\n" * i + HOST for i in range(24)})
    result = invoke("--jobs", jobs, "proj")
    assert result.exit_code == 0, result.output
    assert all(p.read_bytes().endswith(HOST_NEW) for p in (project / "many").glob("*.py"))
    assert result.stderr.startswith("migrator rewrite: 25 changed, 1 with markers (1 of them written), 1 unchanged (27 files)\n")


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
                   cwd=root, check=True, capture_output=True)


@needs_git
def test_git_dirty_refusal_and_force(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "legacy")
    (project / "app/settings.py").write_bytes(b"# work in progress\n" + HOST)
    before = snapshot(project)
    refused = invoke("proj")
    assert refused.exit_code == 2
    real = project.resolve()
    assert refused.stderr == (
        "migrator rewrite: 1 would change, 1 with markers (1 of them would change), 1 unchanged (3 files)\n"
        "markers (a person must act on these lines):\n"
        f"  proj/app/tokens.py:4: [endpoint.access-tokens.create] {TOKEN_REASON}\n"
        "markers by rule:\n"
        "  endpoint.access-tokens.create: 1\n"
        "notes:\n"
        f"  proj/app/settings.py: {TOKEN_NOTE}\n"
        "migrator: error: refusing to write: 1 file(s) to rewrite have uncommitted changes, "
        "so the rewrite could not be reviewed or reverted with git:\n"
        f"  {real}/app/settings.py (modified)\n"
        "commit or stash them first, or rerun with --force\n"
    )
    assert snapshot(project) == before  # not even the clean tokens.py
    forced = invoke("--force", "proj")
    assert forced.exit_code == 0
    assert (project / "app/settings.py").read_bytes() == b"# work in progress\n" + HOST_NEW


DELETE = b'import requests\n\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n'
DELETE_NEW = b'import requests\n\nrequests.delete("https://api.segmentapis.com/sources/qQEHquLrjRDN9j1ByrChyn")\n'
EXAMPLE_IDS = ROOT / "docs" / "examples" / "segment-ids.json"


@needs_git
def test_symlinks_are_never_replaced_by_files(project: Path, tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"legacy.py": DELETE})
    tree(project, {"pkg/a.py": DELETE})
    (project / "sub").mkdir()
    (project / "sub/link_in.py").symlink_to("../pkg/a.py")
    (project / "sub/link_out.py").symlink_to(outside / "legacy.py")
    (project / "pkg/alias.py").symlink_to("a.py")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "legacy")
    # Named on the command line: written through to a target in the repository.
    named = invoke("--ids", EXAMPLE_IDS, "--report", "r.json", "proj/sub/link_in.py", "proj/sub/link_out.py")
    assert named.exit_code == 0, named.output
    assert (project / "sub/link_in.py").is_symlink() and (project / "sub/link_out.py").is_symlink()
    assert (project / "pkg/a.py").read_bytes() == DELETE_NEW
    assert (outside / "legacy.py").read_bytes() == DELETE
    files = {f["path"]: (f["status"], f["notes"]) for f in json.loads(Path("r.json").read_text())["files"]}
    assert files == {
        "proj/pkg/a.py": ("changed", [TOKEN_NOTE]),
        "proj/sub/link_out.py": ("skipped", ["symlink out of the tree: not followed"]),
    }
    # Walked: a link inside the tree is left alone, its target rewritten once.
    git(project, "checkout", "--", "pkg/a.py")
    walked = invoke("--ids", EXAMPLE_IDS, "--report", "r.json", "--force", "proj")
    assert walked.exit_code == 0, walked.output
    assert (project / "pkg/a.py").read_bytes() == DELETE_NEW
    assert [os.readlink(project / name) for name in ("sub/link_in.py", "pkg/alias.py")] == ["../pkg/a.py", "a.py"]
    report = json.loads(Path("r.json").read_text())
    assert [f["path"] for f in report["files"] if f["modified"]] == ["proj/app/settings.py", "proj/app/tokens.py", "proj/pkg/a.py"]
    assert report["totals"]["files"] == 5  # app/: settings, tokens, odd; pkg/a.py; sub/link_out.py skipped
    assert (outside / "legacy.py").read_bytes() == DELETE


SECRETS = (
    b"import requests\n\n"
    b"def f():\n"
    b'    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", '
    b'headers={"Authorization": "Bearer sgp_TOKEN456"})\n\n'
    b"def g():\n"
    b'    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web?access_token=sgp_SECRET123")\n\n'
    b"def h():\n"
    b'    body = {"destination": {"config": [{"name": "workspaces/acme/sources/web/destinations/amplitude/config/apiKey", '
    b'"value": "amp_SECRET_KEY"}]}, "update_mask": {"paths": ["destination.config"]}}\n'
    b'    return requests.patch("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude", '
    b'json=body, headers={"Authorization": "Bearer sgp_TOKEN000"})\n'
)


def test_secrets_are_never_written_into_the_report(project: Path) -> None:
    tree(project, {"app/secrets.py": SECRETS})
    result = invoke("--check", "--ids", EXAMPLE_IDS, "--report", "r.json", "proj/app/secrets.py")
    assert result.exit_code == 1, result.output
    report = Path("r.json").read_text()
    changes = [c for f in json.loads(report)["files"] for cs in f["changes"].values() for c in cs]
    assert any("Bearer [redacted]" in c["before"] for c in changes)  # the pagination change quotes the call
    assert any('"apiKey": "[redacted]"' in c["after"] for c in changes)  # the translated body
    assert any("access_token=[redacted]" in c["before"] for c in changes)  # a token in the query
    for secret in ("SECRET123", "TOKEN456", "TOKEN000", "amp_SECRET_KEY"):
        assert secret not in report and secret not in result.stderr


def test_bundled_example_project(tmp_path: Path) -> None:
    copy = shutil.copytree(EXAMPLE, tmp_path / "legacy-project")
    before = snapshot(copy)
    result = invoke("--diff", copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n--- ") + result.stdout.startswith("--- ") >= 3
    assert "[endpoint.access-tokens.create]" in result.stderr
    assert snapshot(copy) == before
    assert invoke("--check", copy).exit_code == 1
    assert invoke(copy).exit_code == 0
    for path in copy.glob("*.py"):
        compile(path.read_bytes(), str(path), "exec")
    assert invoke("--check", copy).exit_code == 0


def test_bundled_legacy_scripts_migrate_but_for_the_settings_values(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Quick start: with the bundled id map the three scripts
    migrate, and the audit finds only the read of destination settings values
    (masked secrets); the Config resource name only the migrated update body
    read goes with it."""
    copy = shutil.copytree(ROOT / "docs" / "examples", tmp_path / "examples")
    monkeypatch.chdir(copy)
    result = invoke("--ids", "segment-ids.json", "--lookup-module", "segment_ids", "legacy-scripts")
    assert result.exit_code == 0, result.output
    assert (
        "legacy-scripts/update_destination_mask.py: line 25 (as read): "
        '`name = "workspaces/acme/sources/web/destinations/google-analytics"` is removed: '
        "`name` was read only by code this rewrite changed, nothing reads it now\n"
    ) in result.stderr
    script = (copy / "legacy-scripts" / "update_destination_mask.py").read_text(encoding="utf-8")
    assert '    show("before", call("GET", DEST))\n    patch = {"enabled": False' in script
    audit = CliRunner().invoke(cli, ["audit", "--format", "json", "legacy-scripts"])
    found = [(f["path"], f["line"], f["rule"]) for f in json.loads(audit.stdout)["findings"]]
    assert (audit.exit_code, found) == (1, [("legacy-scripts/update_destination_mask.py", 19, "rewrite.responses")])
    assert "secret values masked" in json.loads(audit.stdout)["findings"][0]["message"]


def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    """The real process: pool, stdout/stderr split, exit code."""
    tree(tmp_path, {f"m{i:02}.py": HOST for i in range(12)})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "migrator", "rewrite", "--check", str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "migrator rewrite: 12 would change, 0 with markers, 0 unchanged (12 files)\n"
        f"notes:\n  {tmp_path / 'm00.py'}, {tmp_path / 'm01.py'}, {tmp_path / 'm02.py'} and 9 more: {TOKEN_NOTE}\n"
    )
    missing = subprocess.run([sys.executable, "-m", "migrator", "rewrite", "nope"],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr


def test_default_core_is_the_real_one() -> None:
    core = driver.default_core()
    assert core.may_need_rewrite(HOST)
    assert not core.may_need_rewrite(b"import os\n")


# --- the generated lookup module -----------------------------------------------------------

IDS = b'{"format": "migrator.ids", "version": 1, "workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "src_web"}}'
CLIENT = (
    b"import requests\n\nBASE = \"https://platform.segmentapis.com/v1beta\"\n\n\n"
    b"def get_source(workspace, source_slug):\n"
    b"    return requests.get(f\"{BASE}/workspaces/{workspace}/sources/{source_slug}\").json()\n"
)
# Stands in for requests in the rewritten code: the "response" is the URL.
REQUESTS_STUB = "def get(url):\n    return type('Response', (), {'json': lambda self: url})()\n"


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, {"ids.json": IDS, "stubs/requests.py": REQUESTS_STUB.encode()})
    return tree(tmp_path / "proj", {"pkg/__init__.py": b"", "pkg/client.py": CLIENT, "tool.py": CLIENT})


def test_lookup_module_is_generated_at_the_import_root(package: Path) -> None:
    diff = invoke("--diff", "--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert diff.exit_code == 0, diff.output
    assert "+++ proj/segment_ids.py\n@@ -0,0 +1," in diff.stdout
    assert not (package / "segment_ids.py").exists()
    result = invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "--report", "r.json", "proj")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("migrator rewrite: 3 changed, 0 with markers, 1 unchanged (4 files)\n")
    assert sorted(p.name for p in package.rglob("segment_ids.py")) == ["segment_ids.py"]
    client = (package / "pkg/client.py").read_bytes()
    assert client.startswith(b"import segment_ids\n")
    assert b'requests.get(f"{BASE}/sources/{segment_ids.source_id(source_slug)}")' in client
    code = "import pkg.client, tool; print(pkg.client.get_source('acme', 'web'), tool.get_source('acme', 'web'))"
    env = {**os.environ, "PYTHONPATH": str(package.parent / "stubs")}
    run = subprocess.run([sys.executable, "-c", code], cwd=package, capture_output=True, text=True, env=env)
    assert run.stdout == "https://api.segmentapis.com/sources/src_web https://api.segmentapis.com/sources/src_web\n"
    report = json.loads(Path("r.json").read_text())
    assert report["files"][-1]["path"] == "proj/segment_ids.py"
    assert report["files"][-1]["notes"] == [
        "generated by migrator rewrite: Public API ids for the slugs the code holds in variables, from the --ids "
        "map; the rewritten files import it; it is a top-level module beside the package `pkg`, which a "
        "distribution built from it does not ship unless it declares it too (setuptools: "
        '`py-modules = ["segment_ids"]` under `[tool.setuptools]`)'
    ]
    again = invoke("--check", "--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert again.exit_code == 0, again.output


def test_lookup_module_is_refreshed_when_the_map_changes_after_the_migration(package: Path) -> None:
    # Once every file was rewritten, none was read again: the module kept the old map's ids, unrefreshed.
    assert invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "proj").exit_code == 0
    Path("ids.json").write_bytes(IDS.replace(b'"src_web"}', b'"src_web", "new": "src_new"}'))
    result = invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("migrator rewrite: 1 changed, 0 with markers, 3 unchanged (4 files)\n")
    code = "import segment_ids; print(segment_ids.source_id('new'))"
    run = subprocess.run([sys.executable, "-c", code], cwd=package, capture_output=True, text=True)
    assert run.stdout == "src_new\n"
    assert invoke("--check", "--ids", "ids.json", "--lookup-module", "segment_ids", "proj").exit_code == 0


def test_lookup_module_of_a_src_layout_says_that_packages_do_not_ship_it(package: Path) -> None:
    """With a src/ layout the module is written in src/, beside the packages
    that import it: the summary says a built distribution must declare it;
    for scripts alone (no package) it says nothing more."""
    tree(package, {"src/pkg/__init__.py": b"", "src/pkg/client.py": CLIENT, "src/other/__init__.py": b"",
                   "src/other/api.py": CLIENT, "scripts/tool.py": CLIENT})
    result = invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "proj/src", "proj/scripts")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "segment_ids.py: " in line]
    assert notes == [
        "  proj/scripts/segment_ids.py: " + driver.LOOKUP_NOTE,
        "  proj/src/segment_ids.py: generated by migrator rewrite: Public API ids for the slugs the code holds in "
        "variables, from the --ids map; the rewritten files import it; it is a top-level module beside the packages "
        "`other`, `pkg`, which a distribution built from them does not ship unless it declares it too (setuptools: "
        '`py-modules = ["segment_ids"]` under `[tool.setuptools]`)',
    ]


def test_lookup_module_never_overwrites_a_module_of_the_user(package: Path) -> None:
    mine = b"# my own helpers\n"
    tree(package, {"segment_ids.py": mine})
    result = invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert result.exit_code == 2
    assert (package / "segment_ids.py").read_bytes() == mine
    assert (package / "tool.py").read_bytes() == CLIENT
    assert (package / "pkg/client.py").read_bytes() == CLIENT
    assert "  proj/tool.py: needs proj/segment_ids.py, which exists and was not generated by migrator rewrite" in result.stderr


def test_lookup_module_is_not_written_beside_a_package_of_its_name(package: Path) -> None:
    """`segment_ids/` beside `segment_ids.py`: Python would import the
    package, and the rewritten files would fail when they run."""
    tree(package, {"segment_ids/__init__.py": b"X = 1\n"})
    result = invoke("--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert result.exit_code == 2
    assert not (package / "segment_ids.py").exists()
    assert (package / "tool.py").read_bytes() == CLIENT
    assert ("  proj/tool.py: needs proj/segment_ids.py, which cannot be imported: the package segment_ids/ beside it "
            "would be imported instead; choose another --lookup-module name") in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lookup-module", "segment_ids", "."], "--lookup-module needs --ids"),
        (["--ids", "ids.json", "--lookup-module", "segment-ids", "."], "'segment-ids' is not a module name"),
    ],
)
def test_lookup_module_usage_errors(package: Path, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ids.segment", "'ids.segment' is not a plain module name (the module is written as NAME.py beside the code)"),
        ("json", "'json' is a module of the standard library: choose another name"),
        ("print", "'print' is a built-in name, which `import print` would hide: choose another name"),
        ("httpx", "'httpx' is a module of the installed distribution httpx: choose another name"),  # migrator needs it
    ],
)
def test_lookup_module_named_as_another_module_is_a_usage_error(package: Path, name: str, message: str) -> None:
    """The generated `NAME.py` and the rewritten files' `import NAME` would
    stand for a module the code may import (`json.dumps` would break)."""
    result = invoke("--ids", "ids.json", "--lookup-module", name, "proj")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--lookup-module': {message}"
    assert snapshot(package) == {"pkg/__init__.py": b"", "pkg/client.py": CLIENT, "tool.py": CLIENT}


class _Installed:
    """An installed distribution holding one top-level module."""

    def __init__(self, module: Path) -> None:
        self.module = module

    @property
    def files(self) -> list:
        from importlib.metadata import PackagePath

        path = PackagePath(self.module.name)
        path.locate = lambda: self.module  # type: ignore[method-assign]
        return [path]


def test_lookup_module_installed_is_refused_unless_generated(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migrator.cli import rewrite_cmd

    installed = tmp_path / "site" / "segment_ids.py"
    installed.parent.mkdir()
    monkeypatch.setattr(rewrite_cmd, "packages_distributions", lambda: {"segment_ids": ["acme-tools"]})
    monkeypatch.setattr(rewrite_cmd, "distribution", lambda name: _Installed(installed))
    installed.write_bytes(b"def source_id(slug): ...\n")
    refused = invoke("--diff", "--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--lookup-module': 'segment_ids' is a module of the installed distribution "
        "acme-tools: choose another name"
    )
    # the project installed with a lookup module this rewrite generated: it can be refreshed
    installed.write_bytes(b'"""Public API ids ...\n\nGenerated by `migrator rewrite` from the id map"""\n')
    accepted = invoke("--diff", "--ids", "ids.json", "--lookup-module", "segment_ids", "proj")
    assert accepted.exit_code == 0, accepted.output
    assert "+++ proj/segment_ids.py" in accepted.stdout


JOINED = (
    b"import requests\n\n"
    b'BASE = "https://platform.segmentapis.com/v1beta/"\n\n\n'
    b"def source(slug):\n"
    b'    return requests.get(BASE + "workspaces/acme/sources/" + slug)\n'
)


def test_lines_reported_are_those_of_the_file_as_written(project: Path) -> None:
    """Marker comments shift the lines below them: the summary, the report's
    `new_line` and the lines a marker names are the rewritten file's, whether
    the run writes it or not (`--check`); `line` is the file's as read."""
    tree(project, {"app/joined.py": JOINED})
    checked = invoke("--check", "--report", "check.json", "proj/app/joined.py")
    written = invoke("--force", "--report", "write.json", "proj/app/joined.py")
    assert written.exit_code == 0, written.output
    lines = (project / "app" / "joined.py").read_text().splitlines()
    held = "left on the Config API together with the Config URL part it is joined to on line {}, which cannot " \
        "be migrated: migrate them together by hand; or let `migrator rewrite --ids FILE --lookup-module NAME` " \
        "migrate it (FILE from `migrator ids`)"  # the slug on line 9 keeps them: an id map moves them all
    assert lines[2] == f"# migrator[rewrite.partial-path]: {held.format(9)}"
    assert lines[3] == JOINED.decode().splitlines()[2] and lines[8].startswith("    return requests.get(BASE")
    for run in (checked, written):
        assert f"proj/app/joined.py:4: [rewrite.partial-path] {held.format(9)}\n" in run.output
        assert "proj/app/joined.py:9: [rewrite.slug-ids] " in run.output
    before = json.loads(Path("check.json").read_text())["files"][0]["markers"]
    after = json.loads(Path("write.json").read_text())["files"][0]["markers"]
    assert before == after
    assert [(m["line"], m["new_line"], m["rule"]) for m in after] == [
        (3, 4, "rewrite.partial-path"), (7, 9, "rewrite.slug-ids")
    ]
    assert after[0]["new_reason"] == held.format(9) and after[0]["reason"] == held.format(7)


def test_a_diff_comment_and_the_summary_name_the_lines_of_its_plus_side(project: Path) -> None:
    """The summary of `--diff` names the lines of the file as the diff's `+`
    side shows it, as the comments in it do ("on line 9")."""
    tree(project, {"app/joined.py": JOINED})
    result = invoke("--diff", "proj/app/joined.py")
    held = "left on the Config API together with the Config URL part it is joined to on line {}"
    diff = result.stdout.splitlines()
    assert diff[2] == "@@ -1,7 +1,9 @@"  # one hunk: its + side is the whole file as it would be written
    new_file = [line[1:] for line in diff[3:] if line[:1] in (" ", "+")]
    assert new_file[2].startswith(f"# migrator[rewrite.partial-path]: {held.format(9)}, ")
    assert new_file[3] == JOINED.decode().splitlines()[2] and new_file[8].startswith("    return requests.get(BASE")
    assert f"proj/app/joined.py:4: [rewrite.partial-path] {held.format(9)}, " in result.output
    assert "proj/app/joined.py:9: [rewrite.slug-ids] " in result.output


TWO_BINDINGS = {
    "settings.py": b'BASE = "https://platform.segmentapis.com/v1beta"\n',
    "client.py": (
        b"import requests\n\ntry:\n    from settings import BASE\nexcept ImportError:\n"
        b'    BASE = "https://platform.segmentapis.com/v1beta"\n\n\n'
        b"def sources():\n"
        b'    return requests.get(f"{BASE}/workspaces/acme/sources").json()["sources"]\n'
    ),
}


def test_a_run_that_writes_and_one_that_does_not_list_the_same_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rt2 #9: `--diff` listed `settings.py:1` and the run that writes
    `settings.py:2` for the same marker. Both name the lines of the file as
    the rewrite leaves it, as the comments written into it do."""
    monkeypatch.chdir(tree(tmp_path, TWO_BINDINGS))
    runs = [invoke(*mode, "--report", f"{i}.json", ".") for i, mode in enumerate((["--diff"], ["--check"], ["--force"]))]
    assert [run.exit_code for run in runs] == [0, 1, 0], runs[2].output
    imported = "Config API base URL `BASE`, which this file also imports from `settings` (line 4): which of the " \
        "two it holds at run time cannot be told, so it stays on the Config API with the paths joined to `BASE` " \
        "here; migrate them, this value and that module's together, by hand"
    joined = "Config API path joined to `BASE`, which this file binds two ways: imported from `settings` (line 4) " \
        "and assigned here (line {}); which base it holds at run time cannot be told, so it stays on the Config " \
        "API with it: migrate them together by hand (Public API: `GET /sources`)"
    kept = "Config API base URL `BASE`: client.py reaches it in a way this rewrite does not follow (`*`, an " \
        "import inside a function or under `try:`/`if`, a re-export, a read off its module other than a plain " \
        "`module.NAME` under a name bound to nothing else, two names for it in one file): it stays on the Config " \
        "API, with the paths joined to it here; migrate them together, by hand"
    listed = [
        "markers (a person must act on these lines):",
        f"  client.py:7: [rewrite.partial-path] {imported}",
        f"  client.py:12: [rewrite.partial-path] {joined.format(7)}",
        f"  settings.py:2: [rewrite.partial-path] {kept}",
        "markers by rule:",
        "  rewrite.partial-path: 3",
    ]
    for run in runs:
        assert run.stderr.splitlines()[1:] == listed
    written = (tmp_path / "settings.py").read_text().splitlines()
    assert written == [f"# migrator[rewrite.partial-path]: {kept}", 'BASE = "https://platform.segmentapis.com/v1beta"']
    assert (tmp_path / "client.py").read_text().splitlines()[10] == f"    # migrator[rewrite.partial-path]: {joined.format(7)}"
    reports = [json.loads((tmp_path / f"{i}.json").read_text())["files"] for i in range(3)]
    assert reports[0] == reports[1] == reports[2]
    assert [(f["path"], [(m["line"], m["new_line"], m["reason"], m["new_reason"]) for m in f["markers"]])
            for f in reports[2]] == [
        ("client.py", [(6, 7, imported, imported), (10, 12, joined.format(6), joined.format(7))]),
        ("settings.py", [(1, 2, kept, kept)]),
    ]


NOTE_REST = "; it reads one page of at most 200 items (the Public API's pages may be smaller than what the " \
    "Config API returned): if there can be more, follow `data.pagination.next`"


def test_notes_name_the_lines_of_the_file_as_written(project: Path) -> None:
    code = (
        b"import requests\n\n"
        b'TOKEN = requests.post("https://platform.segmentapis.com/v1beta/access-tokens", auth=(EMAIL, PASSWORD))\n\n\n'
        b"def sources():\n"
        b'    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()\n'
    )
    tree(project, {"app/paged.py": code})
    note = "proj/app/paged.py: line {}: `pagination.count` was added to a call that gave no page size"
    checked = invoke("--check", "proj/app/paged.py")
    written = invoke("--force", "--report", "write.json", "proj/app/paged.py")
    assert note.format(8) in checked.output and note.format(8) in written.output
    lines = (project / "app" / "paged.py").read_text().splitlines()
    assert lines[7].startswith("    return requests.get(")  # line 8
    [entry] = json.loads(Path("write.json").read_text())["files"]
    assert [n for n in entry["notes"] if n.startswith("line ")] == [note.format(7).split(": ", 1)[1] + NOTE_REST]
    assert entry["new_notes"] == [n.replace("line 7:", "line 8:") for n in entry["notes"]]


def test_a_config_host_in_mixed_case_alone_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the host in lowercase or capitals nor `v1beta` is in the file:
    the prefilter's second search (the host in any case) lets it through."""
    tree(tmp_path, {"settings.py": b'_BASE_URL = "https://Platform.SegmentAPIs.com/"\n'})
    monkeypatch.chdir(tmp_path)
    result = invoke("--diff", "settings.py")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "--- settings.py\n+++ settings.py\n@@ -1 +1 @@\n"
        '-_BASE_URL = "https://Platform.SegmentAPIs.com/"\n'
        '+_BASE_URL = "https://api.segmentapis.com/"\n'
    )


def test_a_read_in_a_self_documenting_fstring_is_marked_once_over_runs(tmp_path: Path) -> None:
    """A second run with ids finds the file calling the Public API and the
    read `src['display_name']` left in `{...=}`: the marker the first run
    put there (the expression is printed, migrate it by hand) says all
    there is to say of it, so nothing is added, nor after a run without
    ids, whose hedged marker the run with ids replaces."""
    case = ROOT / "tests" / "fixtures" / "rewrite" / "responses-self-documenting"
    given = json.loads((case / "options.json").read_text(encoding="utf-8"))["ids"]
    ids = {"format": "migrator.ids", "version": 1, "fetched_at": "2026-11-20T09:00:00Z",
           "api_url": "https://api.segmentapis.com", **given}
    ids["workspace"] = {**ids["workspace"], "name": "Acme"}
    tree(tmp_path, {"ids.json": json.dumps(ids).encode()})
    for runs in ((True, True), (False, True, True)):
        script = tmp_path / "a.py"
        shutil.copyfile(case / "input.py", script)
        for with_ids in runs:
            result = invoke(*(("--ids", tmp_path / "ids.json") if with_ids else ()), script)
            assert result.exit_code == 0, result.output
        assert script.read_bytes() == (case / "expected.py").read_bytes(), runs
