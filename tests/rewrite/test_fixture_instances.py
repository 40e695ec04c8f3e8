"""A client's instance a test gets from a pytest fixture of its module, or
of a `conftest.py` above it, is followed like one the test makes (a
conftest's fixture that cannot be proven marks the test's uses); an
instance handed to a call the rewrite does not follow (a dispatch table) is marked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import driver

CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def set_enabled(self, enabled):
        body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
        return requests.patch(f"{API}/workspaces/acme/sources/web/destinations/google-analytics", json=body).json()
'''
TEST = '''import pytest
import responses

from client import Client

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"


@pytest.fixture
def client():
    {give} Client()


@responses.activate
def test_disable(client):
    responses.add(responses.PATCH, URL, json={{"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": False}})
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''
IDS = {
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"web": "qQEHquLrjRDN9j1ByrChyn"},
    "destinations": {"web/google-analytics": ["6334b2ff2c4f2f0b8d5d0a1e"]},
    "destination_metadata": {"google-analytics": "60b5d0a01f3726b85dc05aab"},
}


@pytest.mark.parametrize("give", ["return", "yield"])
def test_a_read_off_a_fixtures_instance_moves_and_the_test_passes(tmp_path: Path, give: str) -> None:
    pytest.importorskip("responses")
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "test_client.py").write_text(TEST.format(give=give))
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    text = (tmp_path / "test_client.py").read_text()
    assert text.splitlines()[-1] == '    assert out["data"]["destination"]["enabled"] is False'
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_client.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_parametrized_parameter_is_not_taken_for_the_fixture(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT)
    test = TEST.format(give="return").replace(
        "@responses.activate\n", '@pytest.mark.parametrize("client", [object()])\n@responses.activate\n')
    (tmp_path / "test_client.py").write_text(test)
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert (tmp_path / "test_client.py").read_text().splitlines()[-1] == '    assert out["enabled"] is False'


CLIENT_BY_SLUG = CLIENT.replace("set_enabled(self, enabled)", "set_enabled(self, source, dest, enabled)").replace(
    "sources/web/destinations/google-analytics", "sources/{source}/destinations/{dest}")
CLI = '''from client import Client


def cmd_toggle(client, args):
    dest = client.set_enabled(args.source, args.destination, args.enable)
    print(dest["enabled"], dest["name"])


def main(args):
    client = Client()
    {"toggle": cmd_toggle}[args.cmd](client, args)
'''


HANDED_METHODS = (
    "# migrator[rewrite.responses]: `{}` has functions or methods that give back migrated responses, now in the "
    "Public shape (`data` envelope, Public field names), and this rewrite does not follow them from here: migrate "
    "the reads of what they give back by hand, and give any fake put in their place the Public shape")


def test_an_instance_handed_to_a_dispatch_table_is_marked(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT_BY_SLUG)
    (tmp_path / "cli.py").write_text(CLI)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    cli = {Path(r.path).name: r for r in run.results}["cli.py"]
    assert [(m.rule, m.line) for m in cli.markers] == [("rewrite.responses", 11)]
    lines = (tmp_path / "cli.py").read_text().splitlines()
    assert lines[10] == "    " + HANDED_METHODS.format("client")
    assert lines[11] == '    {"toggle": cmd_toggle}[args.cmd](client, args)'


ONE_FILE = CLIENT_BY_SLUG + "\n\n" + CLI.split("\n\n\n", 1)[1]
ONE_FILE_REWRITTEN = '''import segment_ids
import requests

API = "https://api.segmentapis.com"


class Client:
    def set_enabled(self, source, dest, enabled):
        body = {"enabled": enabled}
        return requests.patch(f"{API}/destinations/{segment_ids.destination_id(source, dest)}", json=body).json()


def cmd_toggle(client, args):
    dest = client.set_enabled(args.source, args.destination, args.enable)
    print(dest["enabled"], dest["name"])


def main(args):
    client = Client()
    %s
    {"toggle": cmd_toggle}[args.cmd](client, args)
''' % HANDED_METHODS.format("client")


def test_an_instance_of_a_class_of_the_file_handed_to_a_dispatch_table_is_marked(tmp_path: Path) -> None:
    """The class, the function reading what its method gives back and the
    dispatch table in one file: marked as when the class is another module's."""
    (tmp_path / "cli.py").write_text(ONE_FILE)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    cli = {Path(r.path).name: r for r in run.results}["cli.py"]
    assert [(m.rule, m.line) for m in cli.markers] == [("rewrite.responses", 19)]
    assert (tmp_path / "cli.py").read_text() == ONE_FILE_REWRITTEN
    again = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    assert [r.path for r in again.modified] == []


@pytest.mark.parametrize("ids", [False, True])
def test_an_instance_handed_on_is_not_marked_when_nothing_it_gives_back_moves(tmp_path: Path, ids: bool) -> None:
    """Without the lookup module the slug call stays on the Config API
    (marked): what the instance's method gives back keeps its shape."""
    (tmp_path / "cli.py").write_text(ONE_FILE)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS) if ids else None)
    assert [(m.rule, m.line) for m in run.results[0].markers] == [("rewrite.slug-ids", 9), ("rewrite.partial-path", 3)]
    text = (tmp_path / "cli.py").read_text()
    assert text.split("def cmd_toggle")[1] == ONE_FILE.split("def cmd_toggle")[1]


LISTING = '''import functools

import requests

from handlers import register, run


class Client:
    base_url = "https://platform.segmentapis.com/v1beta"

    def __init__(self, workspace):
        self.workspace = workspace

    def list_sources(self):
        resp = requests.get(f"{self.base_url}/workspaces/{self.workspace}/sources")
        return resp.json()["sources"]


def cmd_count(client, args):
    print(len(client.list_sources()), args)


def followed(ws):
    client = Client(ws)
    isinstance(client, Client)
    cmd_count(client, None)
    return client.list_sources()[0]["display_name"]


def main(args):
    client = Client(args.workspace)
    {"count": cmd_count}[args.cmd](client, args)
    run(Client(args.workspace))
    return functools.partial(Client(args.workspace).list_sources)


register(Client)
'''


def test_uses_of_a_class_of_the_file_that_hand_its_instances_on_are_marked(tmp_path: Path) -> None:
    """A plain rewrite migrates the listing: each use that hands the class,
    an instance or its method to code not followed is marked (the two-file
    markers); the uses the flow follows are not."""
    (tmp_path / "cli.py").write_text(LISTING)
    run = driver.run([tmp_path], force=True, jobs=1)
    handed = ("# migrator[rewrite.responses]: `Client(args.workspace).list_sources` gives back a list from a migrated "
              "call's response, now in the Public shape (`data` envelope, Public field names), and this rewrite does "
              "not follow it from here: migrate the reads of what it gives back by hand")
    markers = sorted((m.rule, m.line) for m in run.results[0].markers)
    assert markers == [("rewrite.responses", n) for n in (32, 33, 34, 37)]
    lines = (tmp_path / "cli.py").read_text().splitlines()
    assert lines[22:] == [
        "def followed(ws):",
        "    client = Client(ws)",
        "    isinstance(client, Client)",
        "    cmd_count(client, None)",
        '    return client.list_sources()[0]["name"]',
        "",
        "",
        "def main(args):",
        "    client = Client(args.workspace)",
        "    " + HANDED_METHODS.format("client"),
        '    {"count": cmd_count}[args.cmd](client, args)',
        "    " + HANDED_METHODS.format("Client(args.workspace)"),
        "    run(Client(args.workspace))",
        "    " + handed,
        "    return functools.partial(Client(args.workspace).list_sources)",
        "",
        "",
        HANDED_METHODS.format("Client"),
        "register(Client)",
    ]


CONFTEST = '''import pytest

from client import Client


@pytest.fixture
def client():
    {give} Client()
'''
TEST_OF_CONFTEST = '''import responses

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"


@responses.activate
def test_disable(client):
    responses.add(responses.PATCH, URL, json={"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": False})
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''


def _conftest_tree(root: Path, conftest: str) -> None:
    (root / "tests").mkdir()
    (root / "client.py").write_text(CLIENT)
    (root / "tests" / "conftest.py").write_text(conftest)
    (root / "tests" / "test_client.py").write_text(TEST_OF_CONFTEST)


REWRITTEN_TEST = """import responses

URL = "https://api.segmentapis.com/destinations/6334b2ff2c4f2f0b8d5d0a1e"


@responses.activate
def test_disable(client):
    responses.add(responses.PATCH, URL, json={"data": {"destination": {"id": "6334b2ff2c4f2f0b8d5d0a1e", \
"metadata": {"slug": "google-analytics", "id": "60b5d0a01f3726b85dc05aab"}, "enabled": False, \
"sourceId": "qQEHquLrjRDN9j1ByrChyn"}}})
    out = client.set_enabled(False)
    assert out["data"]["destination"]["enabled"] is False
"""


@pytest.mark.parametrize("give", ["return", "yield"])
def test_a_read_off_a_conftest_fixtures_instance_moves_and_the_test_passes(tmp_path: Path, give: str) -> None:
    pytest.importorskip("responses")
    _conftest_tree(tmp_path, CONFTEST.format(give=give))
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    test = tmp_path / "tests" / "test_client.py"
    assert test.read_text() == REWRITTEN_TEST
    assert (tmp_path / "tests" / "conftest.py").read_text() == CONFTEST.format(give=give)
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests/test_client.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    again = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert [r.path for r in again.modified] == []
    assert test.read_text() == REWRITTEN_TEST


def test_a_nearer_conftests_fixture_of_that_name_wins(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.format(give="return"))
    _conftest_tree(tmp_path, "import pytest\n\n\n@pytest.fixture\ndef client():\n    return object()\n")
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    lines = (tmp_path / "tests" / "test_client.py").read_text().splitlines()
    assert lines[-2:] == ["    out = client.set_enabled(False)", '    assert out["enabled"] is False']


def test_a_conftest_fixture_that_cannot_be_proven_marks_the_tests_uses(tmp_path: Path) -> None:
    renamed = CONFTEST.format(give="return").replace(
        "@pytest.fixture\ndef client():", '@pytest.fixture(name="client")\ndef make_client():')
    _conftest_tree(tmp_path, renamed)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    test = {Path(r.path).name: r for r in run.results}["test_client.py"]
    assert [(m.rule, m.line) for m in test.markers] == [("rewrite.responses", 9)]
    lines = (tmp_path / "tests" / "test_client.py").read_text().splitlines()
    assert lines[-3:] == [
        "    # migrator[rewrite.responses]: `client` is a fixture of a `conftest.py` that may give an instance whose "
        "methods give back migrated responses, now in the Public shape (`data` envelope, Public field names), and "
        "this rewrite cannot prove what it gives: migrate the reads of what its methods give back here by hand",
        "    out = client.set_enabled(False)",
        '    assert out["enabled"] is False',
    ]


def test_a_conftest_fixture_may_request_one_of_a_conftest_above(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.format(give="return").replace("def client():", "def api():"))
    _conftest_tree(tmp_path, "import pytest\n\n\n@pytest.fixture\ndef client(api):\n    return api\n")
    (tmp_path / "tests" / "test_plain.py").write_text(
        'def test_name(client):\n    out = client.set_enabled(False)\n    assert out["display_name"] == "x"\n')
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert (tmp_path / "tests" / "test_client.py").read_text() == REWRITTEN_TEST
    assert (tmp_path / "tests" / "test_plain.py").read_text() == (
        'def test_name(client):\n    out = client.set_enabled(False)\n    assert out["data"]["destination"]["name"] == "x"\n')


def test_a_nearer_conftest_that_may_bind_any_name_makes_a_farther_fixture_unproven(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.format(give="return"))
    _conftest_tree(tmp_path, 'pytest_plugins = ["plugins.clients"]\n')
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    test = {Path(r.path).name: r for r in run.results}["test_client.py"]
    assert [(m.rule, m.line) for m in test.markers] == [("rewrite.responses", 9)]
    assert (tmp_path / "tests" / "test_client.py").read_text().splitlines()[-1] == '    assert out["enabled"] is False'


CONFTEST_WITH_DOUBLE = CONFTEST.format(give="return").replace("from client", "import responses\n\nfrom client") + '''

@pytest.fixture(autouse=True)
def segment_api():
    with responses.RequestsMock() as rsps:
        rsps.add(responses.PATCH, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/\\
google-analytics", json={"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": False, \\
"display_name": "Google Analytics"})
        yield rsps
'''
DISABLE = '''def test_disable(client):
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''
NAME = '''

def test_name(client):
    out = client.set_enabled(False)
    assert out["display_name"] == "Google Analytics"
'''
DISABLE_MOVED = DISABLE.replace('out["enabled"]', 'out["data"]["destination"]["enabled"]')
NAME_MOVED = NAME.replace('out["display_name"]', 'out["data"]["destination"]["name"]')


def _tree_without_config_text(root: Path, test: str) -> Path:
    """A conftest giving the client and a test module holding no Config text
    (no import links it to the client: only its parameter names the fixture)."""
    (root / "tests").mkdir()
    (root / "client.py").write_text(CLIENT)
    (root / "tests" / "conftest.py").write_text(CONFTEST_WITH_DOUBLE)
    (root / "tests" / "test_toggle.py").write_text(test)
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    return root / "tests" / "test_toggle.py"


def test_every_read_moves_in_a_test_module_given_a_conftest_fixtures_instance(tmp_path: Path) -> None:
    pytest.importorskip("responses")
    test = _tree_without_config_text(tmp_path, DISABLE + NAME)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert test.read_text() == DISABLE_MOVED + NAME_MOVED
    assert [r.markers for r in run.results] == [(), (), ()]
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    again = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert [r.path for r in again.modified] == []
    assert test.read_text() == DISABLE_MOVED + NAME_MOVED


def test_a_test_module_with_no_config_text_at_all_is_read_for_a_conftest_fixtures_instance(tmp_path: Path) -> None:
    test = _tree_without_config_text(tmp_path, DISABLE)
    # not given the fixture: another name, or no conftest above that binds it
    other = "def test_other(api):\n    out = api.set_enabled(False)\n    assert out[\"enabled\"] is False\n"
    (tmp_path / "tests" / "test_other.py").write_text(other)
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "test_elsewhere.py").write_text(DISABLE)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert test.read_text() == DISABLE_MOVED
    assert (tmp_path / "tests" / "test_other.py").read_text() == other
    assert (tmp_path / "checks" / "test_elsewhere.py").read_text() == DISABLE
    assert {Path(r.path).name: r.status for r in run.results} == {
        "client.py": "changed", "conftest.py": "changed", "test_toggle.py": "changed",
        "test_other.py": "unchanged", "test_elsewhere.py": "unchanged",
    }
