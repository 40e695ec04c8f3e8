"""A migrated call's response a test gets from a pytest fixture (of its
module, or of a `conftest.py` above it) is followed like a local bound to
it; a fixture that cannot be proven to give it marks the test's uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_fixture_instances import CLIENT, IDS

DOUBLE = '''import pytest
import responses

from client import Client


@pytest.fixture(autouse=True)
def segment_api():
    with responses.RequestsMock() as rsps:
        rsps.add(responses.PATCH, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/\\
google-analytics", json={"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": False})
        yield rsps


@pytest.fixture
def client():
    return Client()
'''
READ = '''

def test_disable(out):
    assert out["enabled"] is False
'''
MOVED = READ.replace('out["enabled"]', 'out["data"]["destination"]["enabled"]')
FIXTURES = {
    "return": "@pytest.fixture\ndef out():\n    return Client().set_enabled(False)\n",
    "yield": "@pytest.fixture\ndef out():\n    yield Client().set_enabled(False)\n",
    "client-fixture": "@pytest.fixture\ndef out(client):\n    return client.set_enabled(False)\n",
    "client-fixture-yield": "@pytest.fixture\ndef out(client):\n    yield client.set_enabled(False)\n",
}
TEST_HEAD = "import pytest\n\nfrom client import Client\n\n\n"


def _tree(root: Path, conftest: str, test: str) -> Path:
    (root / "tests").mkdir()
    (root / "client.py").write_text(CLIENT)
    (root / "tests" / "conftest.py").write_text(conftest)
    (root / "tests" / "test_toggle.py").write_text(test)
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    return root / "tests" / "test_toggle.py"


def _run(root: Path) -> driver.Run:
    return driver.run([root], force=True, jobs=1, ids=IdMap.model_validate(IDS))


def _passes(root: Path) -> None:
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("where", ["module", "conftest"])
def test_a_read_off_a_fixtures_response_moves_and_the_test_passes(tmp_path: Path, fixture: str, where: str) -> None:
    pytest.importorskip("responses")
    given = FIXTURES[fixture]
    if where == "module":
        test = _tree(tmp_path, DOUBLE, TEST_HEAD + given + READ)
        expected = TEST_HEAD + given + MOVED
    else:
        test = _tree(tmp_path, DOUBLE + "\n\n" + given, READ.lstrip("\n"))
        expected = MOVED.lstrip("\n")
    run = _run(tmp_path)
    assert test.read_text() == expected
    assert [m for r in run.results for m in r.markers] == []
    _passes(tmp_path)
    again = _run(tmp_path)
    assert [r.path for r in again.modified] == []
    assert test.read_text() == expected


UNPROVEN_RESPONSE = (
    "# migrator[rewrite.responses]: `{name}` is a fixture of {where} that may give the response of a migrated call "
    "(or a part of it), now in the Public shape (`data` envelope, Public field names), and this rewrite cannot "
    "prove what it gives: migrate the reads of it here by hand"
)
UNPROVEN_INSTANCE = (
    "# migrator[rewrite.responses]: `{name}` is a fixture of {where} that may give an instance whose methods give "
    "back migrated responses, now in the Public shape (`data` envelope, Public field names), and this rewrite "
    "cannot prove what it gives: migrate the reads of what its methods give back here by hand"
)
MODULE = "this module"
CONFTEST = "a `conftest.py`"


@pytest.mark.parametrize(("where", "given", "message"), [
    # parametrized: pytest gives each value in turn
    (MODULE, "@pytest.fixture(params=[True, False])\ndef out(request):\n"
             "    return Client().set_enabled(request.param)\n", UNPROVEN_RESPONSE),
    (CONFTEST, "@pytest.fixture(params=[True, False])\ndef out(request):\n"
               "    return Client().set_enabled(request.param)\n", UNPROVEN_RESPONSE),
    # another value on another path
    (CONFTEST, "@pytest.fixture\ndef out(client):\n    if client is None:\n        yield {\"enabled\": False}\n"
               "    else:\n        yield client.set_enabled(False)\n", UNPROVEN_RESPONSE),
    (MODULE, "@pytest.fixture\ndef out(client):\n    if client is None:\n        return {\"enabled\": False}\n"
             "    return client.set_enabled(False)\n", UNPROVEN_RESPONSE),
    # renamed: this module's fixture of that name wins over the conftest's, and is not followed
    (MODULE, "@pytest.fixture(name=\"out\")\ndef made():\n    return Client().set_enabled(False)\n",
     UNPROVEN_RESPONSE),
    (MODULE, "@pytest.fixture(name=\"out\")\ndef made():\n    return Client()\n", UNPROVEN_INSTANCE),
])
def test_a_fixture_that_cannot_be_proven_to_give_a_response_marks_the_tests_uses(
    tmp_path: Path, where: str, given: str, message: str,
) -> None:
    if where == MODULE:
        test = _tree(tmp_path, DOUBLE, TEST_HEAD + given + READ)
    else:
        test = _tree(tmp_path, DOUBLE + "\n\n" + given, READ.lstrip("\n"))
    last = len(test.read_text().splitlines())  # the read, the last line
    run = _run(tmp_path)
    lines = test.read_text().splitlines()
    assert lines[-3:] == ["def test_disable(out):", "    " + message.format(name="out", where=where),
                          '    assert out["enabled"] is False']
    marked = {Path(r.path).name: [(m.rule, m.line) for m in r.markers] for r in run.results}
    assert marked["test_toggle.py"][-1] == ("rewrite.responses", last)


OTHERS = {
    # parametrized by the test: not the fixture's value
    "tests/test_param.py": '@pytest.mark.parametrize("out", [{"enabled": False}])\ndef test_param(out):\n'
                           '    assert out["enabled"] is False\n',
    # a fixture of the test's class wins
    "tests/test_class.py": 'class TestK:\n    @pytest.fixture\n    def out(self):\n        return {"enabled": False}\n\n'
                           '    def test_k(self, out):\n        assert out["enabled"] is False\n',
    # a fixture of the module of another value wins
    "tests/test_own.py": '@pytest.fixture\ndef out():\n    return {"enabled": False}\n\n\n'
                         'def test_own(out):\n    assert out["enabled"] is False\n',
    # no conftest of the run gives it
    "checks/test_elsewhere.py": 'def test_elsewhere(out):\n    assert out["enabled"] is False\n',
}


def test_a_same_named_parameter_not_given_the_fixtures_response_is_left_alone(tmp_path: Path) -> None:
    test = _tree(tmp_path, DOUBLE + "\n\n" + FIXTURES["return"], READ.lstrip("\n"))
    (tmp_path / "checks").mkdir()
    for name, text in OTHERS.items():
        (tmp_path / name).write_text("import pytest\n\n\n" + text)
    run = _run(tmp_path)
    assert test.read_text() == MOVED.lstrip("\n")
    for name, text in OTHERS.items():
        assert (tmp_path / name).read_text() == "import pytest\n\n\n" + text
    assert {Path(r.path).name: r.status for r in run.results if Path(r.path).name in {
        Path(n).name for n in OTHERS}} == dict.fromkeys((Path(n).name for n in OTHERS), "unchanged")


ONE_FILE = b'''import pytest
import requests

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"


@pytest.fixture
def source():
    return requests.get(URL).json()


def test_enabled(source):
    assert source["enabled"] is True
'''


def test_the_precise_audit_reports_a_read_off_a_fixtures_response_the_rewrite_moves(tmp_path: Path) -> None:
    result = Auditor(load_rules()).scan("test_one.py", ONE_FILE)
    assert [(f.line, f.rule, f.fix) for f in result.findings if f.line == 13] == [
        (13, "source.fields", "rewrite-with-ids")]
    (tmp_path / "test_one.py").write_bytes(ONE_FILE)
    _run(tmp_path)
    assert (tmp_path / "test_one.py").read_bytes().splitlines()[-1] == \
        b'    assert source["data"]["source"]["enabled"] is True'


def test_the_audit_of_a_test_module_importing_the_client_says_the_rewrite_moves_a_read_off_its_fixture(
    tmp_path: Path,
) -> None:
    from migrator.audit.run import audit_paths

    read = READ.replace('["enabled"] is False', '["display_name"] == "GA"')
    test = _tree(tmp_path, "", TEST_HEAD + FIXTURES["return"] + read)
    found = [(f.line, f.rule, f.fix) for f in audit_paths([tmp_path], load_rules(), jobs=1).findings
             if f.path.endswith("test_toggle.py")]
    assert found == [(12, "rewrite.responses", "rewrite-with-ids")]
    _run(tmp_path)
    assert test.read_text().splitlines()[-1] == '    assert out["data"]["destination"]["name"] == "GA"'
    after = audit_paths([tmp_path], load_rules(), jobs=1).findings
    assert [f for f in after if f.path.endswith("test_toggle.py")] == []


@pytest.mark.parametrize(("given", "message"), [
    (FIXTURES["return"], UNPROVEN_RESPONSE),
    ("@pytest.fixture\ndef out():\n    return Client()\n", UNPROVEN_INSTANCE),
])
def test_a_nearer_conftest_that_may_bind_any_name_marks_the_uses_of_a_farther_fixtures_response(
    tmp_path: Path, given: str, message: str,
) -> None:
    test = _tree(tmp_path, 'pytest_plugins = ["plugins.toggles"]\n', READ.lstrip("\n"))
    (tmp_path / "conftest.py").write_text(TEST_HEAD + given)
    run = _run(tmp_path)
    assert test.read_text() == READ.lstrip("\n").replace(
        "    assert", "    " + message.format(name="out", where=CONFTEST) + "\n    assert")
    marked = {Path(r.path).name: [(m.rule, m.line) for m in r.markers] for r in run.results}
    assert marked["test_toggle.py"] == [("rewrite.responses", 2)]


DERIVED = {
    # a plain value read off the response
    "value": ('@pytest.fixture\ndef enabled(out):\n    return out["enabled"]\n\n\n'
              'def test_enabled(enabled):\n    assert enabled is False\n'),
    # a dict of the test's own keys
    "own": ('@pytest.fixture\ndef enabled(out):\n    return {"on": out["enabled"]}\n\n\n'
            'def test_enabled(enabled):\n    assert enabled["on"] is False\n'),
}


@pytest.mark.parametrize("derived", sorted(DERIVED))
@pytest.mark.parametrize("where", ["module", "conftest"])
def test_a_fixture_made_of_a_read_off_a_fixtures_response_is_not_marked(
    tmp_path: Path, where: str, derived: str,
) -> None:
    given, text = FIXTURES["return"], DERIVED[derived]
    moved = text.replace('out["enabled"]', 'out["data"]["destination"]["enabled"]')
    if where == "module":
        test = _tree(tmp_path, DOUBLE, TEST_HEAD + given + "\n\n" + text)
        expected = TEST_HEAD + given + "\n\n" + moved
    else:
        test = _tree(tmp_path, DOUBLE + "\n\n" + given, "import pytest\n\n\n" + text)
        expected = "import pytest\n\n\n" + moved
    run = _run(tmp_path)
    assert test.read_text() == expected
    assert [m for r in run.results for m in r.markers] == []
    _passes(tmp_path)
    assert [r.path for r in _run(tmp_path).modified] == []


OVERRIDDEN_CONFTEST = '''import pytest

from client import SegmentClient


@pytest.fixture
def client():
    return SegmentClient()


@pytest.fixture
def first(client):
    return client.list_sources()["sources"][0]
'''
OVERRIDING = '''import pytest


@pytest.fixture(name="first")
def _first_fixture():
    return {"display_name": "Web"}


def test_named(first):
    assert first["display_name"] == "Web"


class TestPlain:
    @pytest.fixture
    def first(self):
        yield {"display_name": "Web", "enabled": True}

    def test_plain(self, first):
        assert first["display_name"] == "Web"
'''
RENAMED_CALL = '''import pytest


@pytest.fixture(name="first")
def _first_fixture(client):
    return client.list_sources()["sources"][0]


def test_named(first):
    assert first["display_name"] == "Web"
'''


def test_a_fixture_of_the_module_renamed_or_plain_giving_its_own_dict_overrides_the_conftests(tmp_path: Path) -> None:
    """rt6 #9: `@pytest.fixture(name="first")` giving a dict of its own is what
    the test gets, not the conftest's `first`: its reads are no response's and
    stay, unmarked (they were marked as of unproven origin), as under a plain
    fixture of that name. A renamed fixture giving a response is still not
    followed: its uses are marked."""
    client = ('import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
              'class SegmentClient:\n    def list_sources(self):\n'
              '        return requests.get(f"{API}/workspaces/acme/sources").json()\n')
    tree = {"client.py": client, "tests/conftest.py": OVERRIDDEN_CONFTEST, "tests/test_named.py": OVERRIDING,
            "tests/test_called.py": RENAMED_CALL,
            "tests/test_x.py": 'def test_first(first):\n    assert first["display_name"] == "Web"\n'}
    for name, text in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "tests" / "test_named.py").read_text() == OVERRIDING
    assert (tmp_path / "tests" / "test_x.py").read_text() == 'def test_first(first):\n    assert first["name"] == "Web"\n'
    assert (tmp_path / "tests" / "test_called.py").read_text() == RENAMED_CALL.replace(
        '    return client.list_sources()["sources"][0]',
        '    return client.list_sources()["data"]["sources"][0]',
    ).replace('    assert first["display_name"]', (
        "    # migrator[rewrite.responses]: `display_name` looks like a Config API field read off a value whose "
        "origin this rewrite cannot prove: if it comes from a migrated call, read the Public field instead "
        "(`name`; `displayName` for a function)\n"
        "    # migrator[rewrite.responses]: `first` is a fixture of this module that may give the response of a "
        "migrated call (or a part of it), now in the Public shape (`data` envelope, Public field names), and this "
        "rewrite cannot prove what it gives: migrate the reads of it here by hand\n"
        '    assert first["display_name"]'))
