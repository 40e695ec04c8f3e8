"""A fixture a test asks pytest for by name (`request.getfixturevalue("client")`)
is followed like a parameter of that name; one that cannot be followed, and
any fixture of a module with a `pytest_generate_tests` hook, marks the test's uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_fixture_instances import CLIENT, CONFTEST, IDS, _tree_without_config_text
from tests.rewrite.test_fixture_responses import UNPROVEN_INSTANCE

ASKED = '''import pytest


@pytest.fixture
def out(request):
    return request.getfixturevalue("client").set_enabled(False)


def test_disable(request):
    client = request.getfixturevalue("client")
    assert client.set_enabled(False)["enabled"] is False


def test_name(out):
    assert out["display_name"] == "Google Analytics"
'''
ASKED_MOVED = ASKED.replace('["enabled"]', '["data"]["destination"]["enabled"]').replace(
    'out["display_name"]', 'out["data"]["destination"]["name"]')


def _run(root: Path) -> driver.Run:
    return driver.run([root], force=True, jobs=1, ids=IdMap.model_validate(IDS))


def test_a_conftest_fixture_asked_for_by_name_is_followed_and_the_test_passes(tmp_path: Path) -> None:
    pytest.importorskip("responses")
    test = _tree_without_config_text(tmp_path, ASKED)
    run = _run(tmp_path)
    assert test.read_text() == ASKED_MOVED
    assert [m for r in run.results for m in r.markers] == []
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert [r.path for r in _run(tmp_path).modified] == []
    assert test.read_text() == ASKED_MOVED


ASKED_BY_NAME = '''def test_disable(request):
    client = request.getfixturevalue("client")
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''


def test_a_conftest_fixture_asked_for_that_cannot_be_proven_marks_the_uses(tmp_path: Path) -> None:
    test = _tree_without_config_text(tmp_path, ASKED_BY_NAME)
    (tmp_path / "tests" / "conftest.py").write_text(CONFTEST.format(give="return").replace(
        "@pytest.fixture\ndef client():", '@pytest.fixture(name="client")\ndef make_client():'))
    run = _run(tmp_path)
    mark = "    " + UNPROVEN_INSTANCE.format(name="client", where="a `conftest.py`")
    assert test.read_text().splitlines() == [
        "def test_disable(request):", mark, '    client = request.getfixturevalue("client")', mark,
        "    out = client.set_enabled(False)", '    assert out["enabled"] is False']
    marked = {Path(r.path).name: [(m.rule, m.line) for m in r.markers] for r in run.results}
    assert marked["test_toggle.py"] == [("rewrite.responses", 2), ("rewrite.responses", 3)]


HOOKED = '''def pytest_generate_tests(metafunc):
    pass


def test_disable(client):
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''
GENERATED = (
    "# migrator[rewrite.responses]: `client` is a fixture of {where} that gives an instance whose methods give back "
    "migrated responses, now in the Public shape (`data` envelope, Public field names), but this module's "
    "`pytest_generate_tests` hook may give the test another value in its place, so this rewrite does not follow "
    "it: migrate the reads of it here by hand"
)


def test_a_conftest_fixture_of_a_test_in_a_module_with_a_generate_tests_hook_marks_its_uses(tmp_path: Path) -> None:
    test = _tree_without_config_text(tmp_path, HOOKED)
    run = _run(tmp_path)
    assert test.read_text() == HOOKED.replace(
        "    out =", "    " + GENERATED.format(where="a `conftest.py`") + "\n    out =")
    marked = {Path(r.path).name: [(m.rule, m.line) for m in r.markers] for r in run.results}
    assert marked["test_toggle.py"] == [("rewrite.responses", 6)]


IMPORTING = '''import pytest

from client import Client


@pytest.fixture
def client():
    return Client()


def test_name(request):
    out = request.getfixturevalue("client").set_enabled(False)
    assert out["display_name"] == "GA"
'''


def test_the_audit_says_the_rewrite_moves_a_read_off_a_fixture_asked_for_by_name(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "client.py").write_text(CLIENT)
    test = tmp_path / "tests" / "test_toggle.py"
    test.write_text(IMPORTING)
    found = [(f.line, f.rule, f.fix) for f in audit_paths([tmp_path], load_rules(), jobs=1).findings
             if f.path.endswith("test_toggle.py")]
    assert found == [(13, "rewrite.responses", "rewrite-with-ids")]
    _run(tmp_path)
    assert test.read_text().splitlines()[-1] == '    assert out["data"]["destination"]["name"] == "GA"'


def test_the_audit_says_a_person_migrates_the_reads_in_a_module_with_a_generate_tests_hook(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "client.py").write_text(CLIENT)
    test = tmp_path / "tests" / "test_toggle.py"
    hooked = IMPORTING.replace("\n\n@pytest.fixture", "\n\ndef pytest_generate_tests(metafunc):\n    pass\n\n\n"
                               "@pytest.fixture").replace("def test_name(request):\n    out = request."
                                                          "getfixturevalue(\"client\")", "def test_name(client):\n"
                                                          "    out = client")
    test.write_text(hooked)
    found = [(f.line, f.rule, f.fix, f.message.split(":")[0]) for f in audit_paths(
        [tmp_path], load_rules(), jobs=1).findings if f.path.endswith("test_toggle.py")]
    assert found == [
        (16, "rewrite.responses", "manual", "`client` is a fixture of this module that gives an instance "
         "whose methods give back migrated responses, now in the Public shape (`data` envelope, Public field names), "
         "but this module's `pytest_generate_tests` hook may give the test another value in its place, so this "
         "rewrite does not follow it"),
        (17, "rewrite.responses", "manual", "`display_name` looks like a Config API field, and this file "
         "imports `../client.py`, which uses a Segment API"),
    ]
    _run(tmp_path)
    lines = test.read_text().splitlines()
    assert lines[-4:] == [
        "    " + GENERATED.format(where="this module"), "    out = client.set_enabled(False)",
        "    # migrator[rewrite.responses]: `display_name` looks like a Config API field, and this file imports "
        "`../client.py`, which uses a Segment API: if the value comes from that API, read the Public field instead "
        "(`name`; `displayName` for a function)",
        '    assert out["display_name"] == "GA"']


CONFTEST_HOOK = "def pytest_generate_tests(metafunc):\n    pass\n"
DISABLE = '''def test_disable(client):
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''


def test_a_conftest_with_a_generate_tests_hook_marks_the_uses_of_a_fixture_in_the_tests_below_it(tmp_path: Path) -> None:
    test = _tree_without_config_text(tmp_path, "")
    test.unlink()
    (tmp_path / "tests" / "deep").mkdir()
    (tmp_path / "tests" / "deep" / "conftest.py").write_text(CONFTEST_HOOK)
    deep = tmp_path / "tests" / "deep" / "test_deep.py"
    deep.write_text(DISABLE)
    own = tmp_path / "tests" / "deep" / "test_own.py"  # its own fixture, no conftest's
    own.write_text(IMPORTING)
    run = _run(tmp_path)
    mark = "    " + GENERATED.replace("this module's", "a `conftest.py`'s")
    assert deep.read_text() == DISABLE.replace("    out =", mark.format(where="a `conftest.py`") + "\n    out =")
    assert own.read_text().splitlines()[-5:-2] == [
        "def test_name(request):", mark.format(where="this module"),
        '    out = request.getfixturevalue("client").set_enabled(False)']
    marked = {Path(r.path).name: [(m.rule, m.line) for m in r.markers] for r in run.results}
    assert marked["test_deep.py"] == [("rewrite.responses", 2)]
    assert marked["test_own.py"] == [("rewrite.responses", 13), ("rewrite.responses", 12)]
