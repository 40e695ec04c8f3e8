"""`--exclude PATTERN` of `migrator audit` and `migrator rewrite`: gitignore
patterns relative to the working directory, for files tracked or not, named
or not, and for what the audit reads as context."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONFIG_JS = 'module.exports = "https://platform.segmentapis.com/v1beta/workspaces/x/sources"\n'
BOTH = ["endpoint.sources.list", "host.base-url"]


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git work tree as the working directory, no git configuration read."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "r"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    monkeypatch.chdir(root)
    return root


def _tracked(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)


def audit(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--jobs", "1", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def found(report: dict[str, object]) -> dict[str, list[str]]:
    """Path → the rules found there, sorted."""
    out: dict[str, list[str]] = {}
    for f in report["findings"]:  # type: ignore[attr-defined]
        out.setdefault(f["path"], []).append(f["rule"])
    return {path: sorted(rules) for path, rules in out.items()}


def test_a_tracked_vendored_folder_is_left_out(repo: Path) -> None:
    _tracked(repo, {"vendor/lib/seg.js": CONFIG_JS, "src/a.js": CONFIG_JS})
    code, report = audit(".")
    assert (code, found(report)) == (1, {"src/a.js": BOTH, "vendor/lib/seg.js": BOTH})  # git tracks it
    code, report = audit("--exclude", "vendor/", ".")
    assert (code, found(report)) == (1, {"src/a.js": BOTH})
    assert report["summary"]["files"] == 1 and report["skipped"] == []  # type: ignore[index]
    code, report = audit("--exclude", "vendor/", "vendor")  # a folder named that a pattern leaves out
    assert (code, found(report)) == (0, {})
    assert report["skipped"] == [{"path": "vendor", "reason": "excluded by --exclude vendor/"}]


def test_pattern_forms(repo: Path) -> None:
    names = ["generated/g.js", "a/generated/g.js", "a/generated/h.ts", "a/generated/deep/d.js",
             "third_party/t.js", "x/third_party/t.js", "x/third_party.js", "src/a.js"]
    _tracked(repo, dict.fromkeys(names, CONFIG_JS))
    assert sorted(found(audit(".")[1])) == sorted(names)
    # `**/` any folders or none, `*` not across `/`; a whole name at any depth
    code, report = audit("--exclude", "**/generated/*.js", "--exclude", "third_party")
    assert (code, sorted(found(report))) == (1, ["a/generated/deep/d.js", "a/generated/h.ts", "src/a.js",
                                                 "x/third_party.js"])
    # anchored at the working directory; a negation keeps what a later pattern would not
    code, report = audit("--exclude", "/a/*", "--exclude", "!a/generated", "--exclude", "x/")
    assert sorted(found(report)) == ["a/generated/deep/d.js", "a/generated/g.js", "a/generated/h.ts",
                                     "generated/g.js", "src/a.js", "third_party/t.js"]
    assert code == 1
    # matched against the paths as shown, from a folder named too
    code, report = audit("--exclude", "a/generated/", "a")
    assert (code, found(report)) == (0, {})


def test_a_file_named_that_a_pattern_leaves_out_is_skipped(repo: Path) -> None:
    _tracked(repo, {"vendor/lib/seg.js": CONFIG_JS, "src/a.js": CONFIG_JS})
    code, report = audit("--exclude", "vendor/", "vendor/lib/seg.js", "src/a.js")  # as pre-commit passes them
    assert (code, found(report)) == (1, {"src/a.js": BOTH})
    assert report["skipped"] == [{"path": "vendor/lib/seg.js", "reason": "excluded by --exclude vendor/"}]
    assert (report["summary"]["files"], report["summary"]["skipped"]) == (1, 1)  # type: ignore[index]
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--stats", "--exclude", "vendor/",
                                      "vendor/lib/seg.js", "src/a.js"])
    assert result.exit_code == 1
    assert result.stdout.endswith(
        "note: vendor/lib/seg.js: skipped, excluded by --exclude vendor/\n"
        "2 findings in 1 file (1 file read, 1 skipped).\n"
        "\n"
        "Findings by rule:\n"
        "  endpoint.sources.list       1\n"
        "  host.base-url               1\n"
        "Findings by file type (files read):\n"
        "  js       2  (1 file)\n"
    )
    code, report = audit("--exclude", "vendor/", "vendor/lib/seg.js")
    assert (code, found(report), report["summary"]["skipped"]) == (0, {}, 1)  # type: ignore[index]
    (repo / "link.js").symlink_to("vendor/lib/seg.js")  # a link named stands for its target
    code, report = audit("--exclude", "vendor/", "link.js")
    assert (code, report["skipped"]) == (0, [{"path": "vendor/lib/seg.js", "reason": "excluded by --exclude vendor/"}])


def test_a_file_left_out_is_not_read_as_context(repo: Path) -> None:
    _tracked(repo, {
        "vendor/client.js": 'module.exports = () => fetch("https://platform.segmentapis.com/v1beta/workspaces/x/sources")\n',
        "src/reader.js": 'const list = require("../vendor/client")\nlist().then(s => console.log(s.display_name))\n',
    })
    for run in (["src"], ["src/reader.js"]):  # the client is read from disk, outside the run
        assert found(audit(*run)[1]) == {"src/reader.js": ["audit.config-field"]}
        assert audit("--exclude", "vendor/", *run) == audit("--exclude", "vendor/client.js", *run)
        code, report = audit("--exclude", "vendor/", *run)
        assert (code, found(report)) == (0, {})
    code, report = audit("--exclude", "vendor/", ".")
    assert (code, found(report)) == (0, {})


@pytest.mark.parametrize("pattern", ["", "#vendor", "!", "/", "   "])
def test_a_pattern_that_matches_nothing_is_a_usage_error(repo: Path, pattern: str) -> None:
    for command in ("audit", "rewrite"):
        result = CliRunner().invoke(cli, [command, "--exclude", pattern, "."])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (f"migrator: error: --exclude {pattern!r} is no pattern (give a path, a name "
                                 "or a glob: vendor/, **/generated/*.js, third_party)\n")


def test_rewrite_leaves_out_the_same_files(repo: Path) -> None:
    source = 'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/x/sources")\n'
    _tracked(repo, {"vendor/v.py": source, "third_party/w.py": source, "src/s.py": source})
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], cwd=repo, check=True)
    result = CliRunner().invoke(cli, ["rewrite", "--check", "--exclude", "vendor/", "--exclude", "third_party",
                                      ".", "vendor/v.py"])
    assert result.exit_code == 1
    assert result.stderr.startswith("migrator rewrite: 1 would change, 0 with markers, 0 unchanged, 1 skipped (2 files)\n")
    assert "  vendor/v.py: excluded by --exclude vendor/\n" in result.stderr
    result = CliRunner().invoke(cli, ["rewrite", "--exclude", "vendor/", "--exclude", "third_party", "."])
    assert result.exit_code == 0, result.stderr
    assert (repo / "vendor/v.py").read_text() == (repo / "third_party/w.py").read_text() == source
    assert (repo / "src/s.py").read_text() != source


def test_a_settings_module_left_out_is_not_read_for_its_base_or_page_size(repo: Path) -> None:
    _tracked(repo, {
        "vendor/__init__.py": "", "src/__init__.py": "",
        "vendor/settings.py": 'API = "https://platform.segmentapis.com/v1beta"\nPAGE_SIZE = 500\n',
        "src/client.py": 'import requests\nfrom vendor.settings import API, PAGE_SIZE\n\n\ndef sources():\n'
                         '    return requests.get(f"{API}/workspaces/x/sources", params={"page_size": PAGE_SIZE}).json()\n',
    })

    def rules(*args: str) -> list[tuple[str, int, int, str]]:
        result = CliRunner().invoke(cli, ["audit", "--no-cache", "--jobs", "1", "--format", "json", *args])
        assert result.exit_code == 1, result.output
        return [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)["findings"]]

    # read with the module: the base moves with the paths joined to it, the page size is too large
    assert rules("src/client.py") == [
        ("src/client.py", 6, 12, "pagination.params"),
        ("src/client.py", 6, 25, "endpoint.sources.list"),
        ("src/client.py", 6, 77, "rewrite.pagination"),
    ]
    # left out: the base's value and the page size are unknown, as for a module not found
    without = [("src/client.py", 6, 25, "rewrite.partial-path"), ("src/client.py", 6, 65, "pagination.params")]
    assert rules("--exclude", "vendor/", "src/client.py") == without
    assert rules("--exclude", "vendor/", ".") == without


def test_a_pattern_written_as_a_path_from_the_working_directory(repo: Path) -> None:
    """`./libs/` and the absolute path of `libs` are `/libs/`; a Windows path
    is refused (exit 2), not matched against nothing while the rest is read."""
    _tracked(repo, {"libs/copied/c.js": CONFIG_JS, "src/a.js": CONFIG_JS, "src/libs/b.js": CONFIG_JS})
    for pattern in ("./libs/", f"{repo}/libs", f"{repo}/libs/", "!./src/x/", "./libs"):
        code, report = audit("--exclude", pattern, ".")
        kept = {"src/a.js": BOTH, "src/libs/b.js": BOTH}
        if pattern.startswith("!"):
            kept["libs/copied/c.js"] = BOTH
        assert (code, found(report)) == (1, kept), pattern
    for pattern, why in (("libs\\copied", "write paths with `/`, not `\\`"),):
        result = CliRunner().invoke(cli, ["audit", "--no-precise", "--exclude", pattern, "."])
        assert result.exit_code == 2 and why in result.stderr, (pattern, result.stderr)
