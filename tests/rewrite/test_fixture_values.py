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
    metafunc.parametrize("client", [None])


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
    hooked = IMPORTING.replace("\n\n@pytest.fixture", "\n\ndef pytest_generate_tests(metafunc):\n    "
                               "metafunc.parametrize(metafunc.config.getoption(\"name\"), [None])\n\n\n"
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


CONFTEST_HOOK = "def pytest_generate_tests(metafunc):\n    metafunc.fixturenames.append(\"client\")\n"
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


SOURCES_CONFTEST = '''import pytest
import requests

API = "https://platform.segmentapis.com/v1beta"


def pytest_addoption(parser):
    parser.addoption("--region", action="append", default=[])


def pytest_generate_tests(metafunc):
{hook}

@pytest.fixture
def sources():
    return requests.get(f"{{API}}/workspaces/acme/sources").json()


@pytest.fixture
def listed():
    return requests.get(f"{{API}}/workspaces/acme/sources").json()
'''
LITERAL_HOOK = '''    if "region" in metafunc.fixturenames:
        metafunc.parametrize("region", metafunc.config.getoption("region") or ["us"])
    if "listed" in metafunc.fixturenames:
        metafunc.parametrize("listed, zone", [({"sources": []}, "a")])
    if "shard" in metafunc.fixturenames:
        metafunc.parametrize(["shard", "replica"], [(1, 2)])
'''
SOURCES_TEST = '''def test_count(sources, region):
    assert len(sources["sources"]) == 2


def test_listed(listed, zone):
    assert listed["sources"] == []
'''
CONFTEST_GENERATED = GENERATED.replace("this module's", "a `conftest.py`'s").replace(
    "`client` is a fixture of {where} that gives an instance whose methods give back migrated responses",
    "`{name}` is a fixture of a `conftest.py` that gives the response of a migrated call (or a part of it)")


def _hooked_tree(root: Path, hooks: dict[str, str]) -> dict[str, Path]:
    """A folder of tests per hook (`hooks`: folder → the hook's body), each
    with its conftest's fixtures (`sources`, `listed`) and `SOURCES_TEST`."""
    tests = {}
    for folder, hook in hooks.items():
        (root / folder).mkdir()
        (root / folder / "conftest.py").write_text(SOURCES_CONFTEST.format(hook=hook))
        tests[folder] = root / folder / "test_sources.py"
        tests[folder].write_text(SOURCES_TEST)
    return tests


def test_a_conftest_hook_parametrizing_literal_names_leaves_the_other_fixtures_followed(tmp_path: Path) -> None:
    tests = _hooked_tree(tmp_path, {
        "literal": LITERAL_HOOK,
        "named": '    name = "region"\n    metafunc.parametrize(name, ["us"])\n',
        "added": '    metafunc.fixturenames.append("zone")\n    metafunc.parametrize("region", ["us"])\n',
        "handed": "    parametrize(metafunc)\n",
    })
    run = _run(tmp_path)
    listed = "    " + CONFTEST_GENERATED.format(name="listed")
    assert tests["literal"].read_text().splitlines() == [
        "def test_count(sources, region):", '    assert len(sources["data"]["sources"]) == 2', "", "",
        "def test_listed(listed, zone):", listed, '    assert listed["sources"] == []']
    for folder in ("named", "added", "handed"):
        assert tests[folder].read_text().splitlines() == [
            "def test_count(sources, region):", "    " + CONFTEST_GENERATED.format(name="sources"),
            '    assert len(sources["sources"]) == 2', "", "",
            "def test_listed(listed, zone):", listed, '    assert listed["sources"] == []'], folder
    marked = {str(Path(r.path).relative_to(tmp_path)): [m.line for m in r.markers] for r in run.results if r.markers}
    assert marked == {"literal/test_sources.py": [6], "named/test_sources.py": [2, 6],
                      "added/test_sources.py": [2, 6], "handed/test_sources.py": [2, 6]}


def test_a_modules_hook_parametrizing_literal_names_leaves_its_fixture_followed_and_the_audit_says_so(
        tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "client.py").write_text(CLIENT)
    test = tmp_path / "tests" / "test_toggle.py"
    test.write_text(IMPORTING.replace("\n\n@pytest.fixture", '''

def pytest_generate_tests(metafunc):
    if "region" in metafunc.fixturenames:
        metafunc.parametrize("region,zone", [("us", "a")])


@pytest.fixture''').replace("def test_name(request):", "def test_name(request, region, zone):"))
    found = [(f.line, f.rule, f.fix) for f in audit_paths([tmp_path], load_rules(), jobs=1).findings
             if f.path.endswith("test_toggle.py")]
    assert found == [(18, "rewrite.responses", "rewrite-with-ids")]
    _run(tmp_path)
    assert test.read_text().splitlines()[-2:] == [
        '    out = request.getfixturevalue("client").set_enabled(False)',
        '    assert out["data"]["destination"]["name"] == "GA"']
    assert [f for f in audit_paths([tmp_path], load_rules(), jobs=1).findings if f.path.endswith("test_toggle.py")] \
        == []


PLAIN_CONFTEST = '''import pytest
import requests

API = "https://platform.segmentapis.com/v1beta"


@pytest.fixture
def sources():
    return requests.get(f"{API}/workspaces/acme/sources").json()
'''
BACKENDS = '''import pytest


@pytest.fixture
def pg_db():
    return "postgres://localhost/test"


@pytest.mark.parametrize("backend", ["sqlite_db", "pg_db"])
def test_connect(request, backend):
    db = request.getfixturevalue(backend)
    conn = db.connect()
    conn.execute("select 1")
    db.close()
    print(db)


@pytest.mark.parametrize("backend, n", [("pg_db", 1), pytest.param("sources", 2, id="listed")])
def test_among(request, backend, n):
    db = request.getfixturevalue(backend)
    assert db
    assert len(db["sources"]) == n


def test_any(request):
    db = request.getfixturevalue(request.param)
    assert db
    print(db.get("sources"), db["count"])
'''
AMONG = (
    "    # migrator[rewrite.responses]: `request.getfixturevalue(backend)` asks pytest for the fixture `backend` "
    "names, one of `pg_db`, `sources` (the test's parametrize values), and `sources` (a fixture of a `conftest.py`) "
    "gives the response of a migrated call (or a part of it), now in the Public shape (`data` envelope, Public field "
    "names): migrate the reads of what it gives here by hand"
)
ANY_NAME = (
    "    # migrator[rewrite.responses]: `request.getfixturevalue(request.param)` asks pytest for a fixture by a name "
    "this rewrite cannot read, and a fixture of a `conftest.py` gives the response of a migrated call (or a part of "
    "it), now in the Public shape (`data` envelope, Public field names): migrate the reads of what it gives here by "
    "hand"
)


def test_a_fixture_asked_for_by_a_parametrized_name_is_marked_once_and_only_when_one_of_its_names_is_migrated(
        tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(PLAIN_CONFTEST)
    test = tmp_path / "tests" / "test_db.py"
    test.write_text(BACKENDS)
    run = _run(tmp_path)
    lines = BACKENDS.splitlines()
    assert test.read_text().splitlines() == [
        *lines[:19], AMONG, *lines[19:25], ANY_NAME, lines[25], lines[26], ANY_NAME, lines[27]]
    marked = {Path(r.path).name: [m.line for m in r.markers] for r in run.results}
    assert marked["test_db.py"] == [20, 26, 28]
    assert [r.path for r in _run(tmp_path).modified] == []


def _todos(root: Path) -> list[tuple[str, str, str]]:
    """The audit's findings a person must act on: (file, rule, message)."""
    return sorted((Path(f.path).name, f.rule, f.message) for f in audit_paths([root], load_rules(), jobs=1).findings
                  if f.fix == "manual")


@pytest.mark.parametrize("case", ["hook", "among"])
def test_the_audit_lists_the_same_todos_before_and_after_the_rewrite(tmp_path: Path, case: str) -> None:
    (tmp_path / "tests").mkdir()
    if case == "hook":  # rt8 #4
        (tmp_path / "tests" / "conftest.py").write_text(SOURCES_CONFTEST.format(hook=LITERAL_HOOK))
        (tmp_path / "tests" / "test_sources.py").write_text(SOURCES_TEST.split("\n\n\n")[0] + "\n")
    else:  # rt8 #5
        (tmp_path / "tests" / "conftest.py").write_text(PLAIN_CONFTEST)
        connect = BACKENDS.split('\n\n\n@pytest.mark.parametrize("backend, n"')[0]
        (tmp_path / "tests" / "test_db.py").write_text(connect + "\n")
    before = _todos(tmp_path)
    run = _run(tmp_path)
    assert _todos(tmp_path) == before == []
    assert [m for r in run.results for m in r.markers] == []


LINKED_AMONG = '''import pytest

from client import Client


@pytest.fixture
def client():
    return Client()


@pytest.mark.parametrize("backend", ["client", "tmp_path"])
def test_toggle(request, backend):
    c = request.getfixturevalue(backend)
    out = c.set_enabled(False)
    print(out["display_name"])


@pytest.mark.parametrize("backend", ["tmp_path", "tmp_path_factory"])
def test_other(request, backend):
    c = request.getfixturevalue(backend)
    print(c)
'''


def test_the_audit_of_a_test_importing_the_client_says_what_the_rewrite_marks_for_a_parametrized_name(
        tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "client.py").write_text(CLIENT)
    test = tmp_path / "tests" / "test_toggle.py"
    test.write_text(LINKED_AMONG)
    message = ("`request.getfixturevalue(backend)` asks pytest for the fixture `backend` names, one of `client`, "
               "`tmp_path` (the test's parametrize values), and `client` (a fixture of this module) gives an instance "
               "whose methods give back migrated responses, now in the Public shape (`data` envelope, Public field "
               "names): migrate the reads of what it gives here by hand")
    field = ("`display_name` looks like a Config API field, and this file imports `../client.py`, which uses a "
             "Segment API: if the value comes from that API, read the Public field instead (`name`; `displayName` "
             "for a function)")
    found = [(f.line, f.rule, f.fix, f.message) for f in audit_paths([tmp_path], load_rules(), jobs=1).findings
             if f.path.endswith("test_toggle.py")]
    assert found == [(13, "rewrite.responses", "manual", message), (15, "rewrite.responses", "manual", field)]
    before = _todos(tmp_path)
    run = _run(tmp_path)
    assert {Path(r.path).name: [m.line for m in r.markers] for r in run.results}["test_toggle.py"] == [15, 13]
    assert test.read_text().splitlines()[11:17] == [
        "def test_toggle(request, backend):", "    # migrator[rewrite.responses]: " + message,
        "    c = request.getfixturevalue(backend)", "    out = c.set_enabled(False)",
        "    # migrator[rewrite.responses]: " + field, '    print(out["display_name"])']
    assert _todos(tmp_path) == before
