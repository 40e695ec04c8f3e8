"""What the codemod found, kept between runs: same findings, no parse."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.audit.cache import PreciseCache, default_directory
from migrator.audit.core import Auditor
from migrator.audit.python import Codemod, default_codemod
from migrator.audit.run import audit_paths
from migrator.cli import cli
from migrator.ruleset import RuleSet, load_rules

CLIENT = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def sources(ws):
    r = requests.get(f"{BASE}/workspaces/{ws}/sources")
    return [s["display_name"] for s in r.json()["sources"]]
'''
BROKEN = b'URL = "https://platform.segmentapis.com/v1beta/workspaces/x"\ndef broken(:\n'


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


class Counting:
    """The real codemod, counting the files it reads."""

    def __init__(self, rules: RuleSet) -> None:
        real = default_codemod(rules)
        assert real is not None
        self.calls = 0

        def rewrite_bytes(data: bytes, rules: RuleSet, **options: object) -> object:
            self.calls += 1
            return real.rewrite_bytes(data, rules, **options)

        self.codemod: Codemod = replace(real, rewrite_bytes=rewrite_bytes)


def scan(rules: RuleSet, directory: Path | None, path: str, data: bytes) -> tuple[list, list[str], int]:
    counting = Counting(rules)
    cache = PreciseCache(directory, rules) if directory is not None else None
    result = Auditor(rules, codemod=counting.codemod, cache=cache).scan(path, data)
    return result.findings, result.notes, counting.calls


def test_a_file_read_before_gives_the_same_findings_without_the_codemod(rules: RuleSet, tmp_path: Path) -> None:
    uncached = scan(rules, None, "client.py", CLIENT)
    assert uncached[0] and uncached[2] == 1
    first = scan(rules, tmp_path, "client.py", CLIENT)
    second = scan(rules, tmp_path, "client.py", CLIENT)
    assert first == uncached
    assert second[:2] == uncached[:2] and second[2] == 0
    # Entries do not depend on where the file is: another path, same bytes.
    moved, _, calls = scan(rules, tmp_path, "elsewhere/client.py", CLIENT)
    assert calls == 0 and [f.path for f in moved] == ["elsewhere/client.py"] * len(moved)
    assert [replace(f, path="", fingerprint="", call_print="", read_prints=()) for f in moved] == [  # prints of the path
        replace(f, path="", fingerprint="", call_print="", read_prints=()) for f in uncached[0]
    ]


def test_changed_bytes_or_rules_are_a_miss(rules: RuleSet, tmp_path: Path) -> None:
    scan(rules, tmp_path, "client.py", CLIENT)
    assert scan(rules, tmp_path, "client.py", CLIENT + b"\n# edited\n")[2] == 1
    other = load_rules()
    other.files[0] = other.files[0].model_copy(update={"description": "edited"})
    assert scan(other, tmp_path, "client.py", CLIENT)[2] == 1


def test_a_file_the_codemod_cannot_read_is_kept_as_such(rules: RuleSet, tmp_path: Path) -> None:
    first = scan(rules, tmp_path, "broken.py", BROKEN)
    second = scan(rules, tmp_path, "broken.py", BROKEN)
    assert first[1] and first[1][0].startswith("read as text: the codemod cannot parse it")
    assert second[:2] == first[:2] and second[2] == 0


def test_a_damaged_entry_is_read_again(rules: RuleSet, tmp_path: Path) -> None:
    expected = scan(rules, tmp_path, "client.py", CLIENT)
    entries = list(tmp_path.rglob("*.json"))
    assert len(entries) == 1
    for damage in (b"{not json", json.dumps([[1, 2]]).encode(), json.dumps({"a": 1}).encode()):
        entries[0].write_bytes(damage)
        assert scan(rules, tmp_path, "client.py", CLIENT) == expected  # read again, and rewritten
        assert scan(rules, tmp_path, "client.py", CLIENT)[2] == 0


def test_an_unwritable_cache_does_not_stop_the_audit(rules: RuleSet, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    expected = scan(rules, None, "client.py", CLIENT)
    assert scan(rules, blocked, "client.py", CLIENT) == expected


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "pool"])
def test_parallel_runs_share_the_cache(
    fork: bool, rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("migrator.audit.parallel.FORK", fork)
    tree = tmp_path / "tree"
    for n in range(300):  # enough files for the work to be split
        folder = tree / f"d{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{n}.py").write_bytes(CLIENT + f"# {n}\n".encode() if n % 3 == 0 else b"x = 1\n")
    cache = tmp_path / "cache"
    plain = audit_paths([tree], rules, jobs=2, precise=True)
    cold = audit_paths([tree], rules, jobs=2, precise=True, cache=cache)
    assert len(list(cache.rglob("*.json"))) == 100
    warm = audit_paths([tree], rules, jobs=2, precise=True, cache=cache)
    assert plain.findings == cold.findings == warm.findings and plain.findings
    # What each process read or found in the cache adds up.
    assert (plain.precise, cold.precise, warm.precise) == ({"read": 100}, {"read": 100}, {"cached": 100})


def test_the_command_uses_the_cache_folder_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "client.py").write_bytes(CLIENT)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    default = tmp_path / "default"
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(default))
    assert default_directory() == default
    first = runner.invoke(cli, ["audit", "--format", "json", "client.py"])
    assert first.exit_code == 1 and len(list(default.rglob("*.json"))) == 1
    chosen = tmp_path / "chosen"
    second = runner.invoke(cli, ["audit", "--format", "json", "--cache-dir", str(chosen), "client.py"])
    assert second.stdout == first.stdout and len(list(chosen.rglob("*.json"))) == 1
    none = tmp_path / "none"
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(none))
    third = runner.invoke(cli, ["audit", "--format", "json", "--no-cache", "client.py"])
    assert third.stdout == first.stdout and not none.exists()


def test_the_default_folder_follows_the_system(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MIGRATOR_CACHE_DIR")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_directory() == tmp_path / "migrator" / "audit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_directory() == Path.home() / ".cache" / "migrator" / "audit"


def test_without_migrators_code_to_key_by_there_is_no_cache(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(rules: RuleSet) -> bytes:
        raise PermissionError("cannot read the package")

    monkeypatch.setattr("migrator.audit.cache._salt", unreadable)
    expected = scan(rules, None, "client.py", CLIENT)
    assert scan(rules, tmp_path, "client.py", CLIENT) == expected
    assert scan(rules, tmp_path, "client.py", CLIENT)[2] == 1 and not list(tmp_path.iterdir())


def test_entries_not_read_for_a_month_are_swept_once_a_day(rules: RuleSet, tmp_path: Path) -> None:
    import os
    import time

    from migrator.audit.cache import DAY, MAX_AGE, SWEPT, sweep

    def entry(data: bytes) -> Path:
        cache = PreciseCache(tmp_path, rules)
        return cache._file(cache.key(data) or "")

    def age(path: Path, seconds: float) -> None:
        os.utime(path, (now - seconds, now - seconds))

    now = time.time()
    read, unread = CLIENT, CLIENT + b"# another file\n"
    scan(rules, tmp_path, "read.py", read)
    scan(rules, tmp_path, "unread.py", unread)
    age(entry(unread), MAX_AGE + DAY)
    stale = entry(unread).with_name(entry(unread).name + ".123.tmp")  # left by a stopped run
    stale.write_text("[]")
    age(stale, 2 * DAY)
    assert sweep(tmp_path, now) == 2
    assert sorted(tmp_path.rglob("*.json*")) == [entry(read)]
    assert (tmp_path / SWEPT).exists()
    # Swept today: an entry that ages now waits for tomorrow's sweep.
    age(entry(read), MAX_AGE + DAY)
    assert sweep(tmp_path, now + 3600) == 0 and entry(read).exists()
    # Reading it makes it young again: tomorrow's sweep keeps it.
    assert scan(rules, tmp_path, "read.py", read)[2] == 0
    assert sweep(tmp_path, now + DAY + 1) == 0 and entry(read).exists()


def test_the_command_sweeps_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from migrator.audit.cache import DAY, MAX_AGE

    cache = tmp_path / "cache"
    old = cache / "ab" / ("c" * 62 + ".json")
    old.parent.mkdir(parents=True)
    old.write_text("[]")
    long_ago = time.time() - MAX_AGE - DAY
    os.utime(old, (long_ago, long_ago))
    (tmp_path / "client.py").write_bytes(CLIENT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", "--cache-dir", str(cache), "client.py"])
    assert result.exit_code == 1 and not old.exists() and len(list(cache.rglob("*.json"))) == 1


def test_a_cache_this_run_may_only_read_still_serves(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = scan(rules, tmp_path, "client.py", CLIENT)

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr("migrator.audit.cache.os.utime", refused)
    found, notes, calls = scan(rules, tmp_path, "client.py", CLIENT)
    assert (found, notes, calls) == (expected[0], expected[1], 0)


def test_another_libcst_is_a_miss(rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan(rules, tmp_path, "client.py", CLIENT)
    assert scan(rules, tmp_path, "client.py", CLIENT)[2] == 0
    monkeypatch.setattr("migrator.audit.cache.libcst_version", lambda: b"__version__ = '0.0.1'")
    assert scan(rules, tmp_path, "client.py", CLIENT)[2] == 1


def test_the_libcst_version_is_the_installed_ones() -> None:
    from importlib.metadata import version

    from migrator.audit.cache import libcst_version

    assert f"'{version('libcst')}'".encode() in libcst_version()


def test_the_sweep_deletes_only_what_is_named_as_an_entry(tmp_path: Path) -> None:
    """A mistaken --cache-dir (a project folder) loses nothing."""
    import os
    import time

    from migrator.audit.cache import DAY, MAX_AGE, sweep

    now = time.time()
    mine = [tmp_path / "js" / "app.json", tmp_path / "ab" / "notes.json", tmp_path / "ab" / ("0" * 61 + ".json")]
    entry = tmp_path / "ab" / ("0" * 62 + ".json")
    for path in [*mine, entry]:
        path.parent.mkdir(exist_ok=True)
        path.write_text("{}")
        os.utime(path, (now - MAX_AGE - DAY, now - MAX_AGE - DAY))
    assert sweep(tmp_path, now) == 1
    assert not entry.exists() and all(p.exists() for p in mine)


def test_stats_say_how_many_python_files_came_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        (tmp_path / f"client{n}.py").write_bytes(CLIENT + f"# {n}\n".encode())
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["audit", "--stats"])
    assert "Python files read by the codemod: 3 (0 of them from its cache)\n" in first.stdout
    (tmp_path / "client0.py").write_bytes(CLIENT + b"# changed\n")
    second = runner.invoke(cli, ["audit", "--stats", "--format", "json"])
    assert "Python files read by the codemod: 3 (2 of them from its cache)\n" in second.stderr
    assert "precise" not in json.loads(second.stdout)["summary"]  # the report does not depend on the cache


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("MIGRATOR_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(Path, "home", staticmethod(homeless))
    assert default_directory() is None
    (tmp_path / "client.py").write_bytes(CLIENT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", "--stats", "client.py"])
    assert result.exit_code == 1 and "(0 of them from its cache)" in result.stdout


def test_the_command_says_when_it_cannot_keep_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "client.py").write_bytes(CLIENT)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", "--cache-dir", str(blocked / "cache"), "client.py"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"migrator audit: cannot create the cache folder {blocked / 'cache'} (")
    assert "Python files will be read again next time" in result.stderr


def test_the_cache_folder_is_never_read_wherever_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its entries quote the findings: a cache in the checkout would make the
    second run of a CI gate fail on the first run's cache (also with the
    cache not used, or given by $MIGRATOR_CACHE_DIR, or named another way)."""
    (tmp_path / "client.py").write_bytes(CLIENT)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["audit", "--write-baseline", "bl.json", "--cache-dir", ".migrator-cache"])
    assert first.exit_code == 0 and len(list((tmp_path / ".migrator-cache").rglob("*.json"))) == 1
    again = ["audit", "--baseline", "bl.json"]
    expected = "0 findings (2 files read, 5 in the baseline).\n"
    (tmp_path / "sub").mkdir()
    for options, env in (
        (["--cache-dir", ".migrator-cache"], None),
        (["--cache-dir", str(tmp_path / "sub" / ".." / ".migrator-cache")], None),
        (["--no-cache", "--cache-dir", ".migrator-cache"], None),
        ([], ".migrator-cache"),
    ):
        if env is not None:
            monkeypatch.setenv("MIGRATOR_CACHE_DIR", env)
        result = runner.invoke(cli, [*again, *options])
        assert (result.exit_code, result.stdout) == (0, expected), options
