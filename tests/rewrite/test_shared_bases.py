"""A base URL constant one module defines and others import moves to the
Public API with the paths every importer of the run joins to it, or stays
on the Config API with all of them (`shared_bases`, `shared_plan`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.rewrite import SharedBases, driver, rewrite_bytes
from migrator.rewrite.shared_plan import link_importers, maybe_owners, owners_in
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

CONFIG = "https://platform.segmentapis.com/v1beta"
SETTINGS = f'TIMEOUT = 10\nBASE = "{CONFIG}"\n'.encode()
CLIENT = b'''import requests
from app.settings import BASE as API


def sources(ws):
    r = requests.get(f"{API}/workspaces/{ws}/sources")
    return [s["display_name"] for s in r.json()["sources"]]
'''
TEST = b'''import responses
from app.settings import BASE
from app.client import sources


@responses.activate
def test_sources():
    responses.add(responses.GET, f"{BASE}/workspaces/acme/sources", json={"sources": [{"display_name": "Web"}]})
    assert sources("acme") == ["Web"]
'''
MIGRATED = {
    "app/settings.py": b'TIMEOUT = 10\nBASE = "https://api.segmentapis.com"\n',
    "app/client.py": b'''import requests
from app.settings import BASE as API


def sources(ws):
    r = requests.get(f"{API}/sources", params={"pagination.count": 200})
    return [s["name"] for s in r.json()["data"]["sources"]]
''',
    "tests/test_client.py": b'''import responses
from app.settings import BASE
from app.client import sources


@responses.activate
def test_sources():
    responses.add(responses.GET, f"{BASE}/sources", json={"data": {"sources": [{"name": "Web"}]}})
    assert sources("acme") == ["Web"]
''',
}
HELD = "# migrator[rewrite.partial-path]: Config API base URL `BASE`: "


def rewrite(root: Path, jobs: int = 1, write: bool = True) -> dict[str, driver.FileResult]:
    run = driver.run([root], write=write, force=True, jobs=jobs)
    return {Path(r.path).relative_to(root).as_posix(): r for r in run.results}


def read(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return tree(tmp_path, {"app/settings.py": SETTINGS, "app/client.py": CLIENT, "tests/test_client.py": TEST})


def test_the_base_moves_with_every_importer_and_a_second_run_changes_nothing(project: Path) -> None:
    found = rewrite(project)
    assert read(project) == MIGRATED
    assert {name: r.markers for name, r in found.items()} == {name: () for name in MIGRATED}
    assert "line 2: `BASE` moved to the Public API together with the paths that the modules of this run importing " \
        "it join to it (app/client.py, tests/test_client.py); a module outside this run that imports it must " \
        "be migrated with it" in [n.replace(str(project) + "/", "") for n in found["app/settings.py"].notes]
    again = rewrite(project)
    assert read(project) == MIGRATED
    assert {r.status for r in again.values()} == {"unchanged"}


def test_a_shared_base_with_the_host_in_mixed_case_moves_as_in_lowercase(tmp_path: Path) -> None:
    """Host names are case-insensitive: the settings module's base is shared as it is lowercase."""
    settings = SETTINGS.replace(b"https://platform.segmentapis.com", b"HTTPS://Platform.SegmentAPIs.com")
    root = tree(tmp_path, {"app/settings.py": settings, "app/client.py": CLIENT, "tests/test_client.py": TEST})
    found = rewrite(root)
    assert read(root) == MIGRATED
    assert {name: r.markers for name, r in found.items()} == {name: () for name in MIGRATED}


def test_two_processes_decide_the_same(project: Path) -> None:
    extra = {f"app/pad{i}.py": f'import requests\nrequests.get("{CONFIG}/workspaces/w/sources")\n'.encode()
             for i in range(10)}
    tree(project, extra)
    rewrite(project, jobs=2)
    assert {k: v for k, v in read(project).items() if k in MIGRATED} == MIGRATED


def test_an_importer_that_keeps_a_path_on_the_config_api_holds_the_base_everywhere(project: Path) -> None:
    # the path is a parameter: nothing proves it is a Public API path
    generic = b"import requests\nfrom app.settings import BASE\n\n\ndef call(path):\n    return requests.get(BASE + path).json()\n"
    tree(project, {"app/generic.py": generic})
    found = rewrite(project)
    after = read(project)
    assert after["app/settings.py"] == b"TIMEOUT = 10\n" + HELD.encode() + (
        b"generic.py imports it and joins a path to it that stays on the Config API, so it stays on it too, "
        b"with the paths joined to it here; migrate them together, by hand\n"
    ) + SETTINGS.split(b"\n", 1)[1]
    # the file that holds it is marked for its own reason; the others say where the base stays
    assert after["app/generic.py"] == generic.replace(b"    return", (
        b"    # migrator[rewrite.partial-path]: Config API path built from parts this rewrite cannot see whole, "
        b"or not in the table: rebuild it as a Public API path by hand (see `migrator rules`) (the path is a "
        b"value: make sure it is a Public API path)\n    return"
    ))
    kept = (
        "left on the Config API together with `{}`, the base URL it is joined to, which {}settings.py defines "
        "and keeps on the Config API (its marker says why): migrate them together by hand"
    )
    assert [m.reason for m in found["app/client.py"].markers][:1] == [kept.format("API", "")]
    assert [m.reason for m in found["tests/test_client.py"].markers] == [kept.format("BASE", "../app/")]
    assert b'f"{API}/workspaces/{ws}/sources"' in after["app/client.py"]
    assert b'"display_name"' in after["app/client.py"]
    assert b"{BASE}/workspaces/acme/sources" in after["tests/test_client.py"]
    assert not [c for r in found.values() for c in r.changes]
    marked = {name for name, r in found.items() if r.markers}
    assert marked == {"app/settings.py", "app/client.py", "app/generic.py", "tests/test_client.py"}


def test_the_importer_that_holds_the_base_is_marked_for_its_own_reason(project: Path) -> None:
    # without an id map, the slug in a variable keeps this path (and so the base) on the Config API
    one = b'import requests\nfrom app.settings import BASE\n\n\ndef one(slug):\n    ' \
        b'return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()\n'
    tree(project, {"app/one.py": one})
    found = rewrite(project, write=False)
    assert [(m.rule, m.line, m.reason) for m in found["app/one.py"].markers] == [(
        "rewrite.slug-ids", 6, "`/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the "
        "source in `slug`: rewrite with an id map and the generated lookup module, or pass the id",
    )]
    assert [(m.rule, m.line, m.reason) for m in found["app/client.py"].markers][:1] == [(
        "rewrite.partial-path", 6, "left on the Config API together with `API`, the base URL it is joined to, "
        "which settings.py defines and keeps on the Config API (its marker says why): migrate them together by hand",
    )]
    assert not [c for r in found.values() for c in r.changes]


def test_a_settings_base_held_only_for_a_slug_says_an_id_map_moves_it(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a rewrite with an id map and the lookup module moves the base with every path joined to it: the
    # audit says so (a rewrite without ids does not ask, `rewrite.with_ids`)
    from migrator.audit.run import audit_paths
    from migrator.markers import IDS_ADVICE

    one = b'import requests\nfrom app.settings import BASE\n\n\ndef one(slug):\n    ' \
        b'return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()\n'
    tree(project, {"app/one.py": one})
    held = ("one.py imports it and joins a path to it that stays on the Config API, so it stays on it too, "
            "with the paths joined to it here; migrate them together, by hand")
    found = rewrite(project, write=False)
    assert [m.reason.split(": ", 1)[1] for m in found["app/settings.py"].markers] == [held]
    monkeypatch.chdir(project)
    run = audit_paths([Path(".")], load_rules(), jobs=1, cache=None)
    assert [(f.message.split(": ", 1)[1], f.fix) for f in run.findings if f.path == "app/settings.py"] == [
        (held + IDS_ADVICE, "rewrite-with-ids"),
    ]


def test_an_importer_that_does_not_call_the_config_api_itself_is_read_too(project: Path) -> None:
    # no Config host, path or field in it: only its import says it joins paths to the base
    generic = b"import requests\nfrom app.settings import BASE\n\n\ndef call(path):\n    return requests.get(BASE + path).json()\n"
    tree(project, {"app/generic.py": generic})
    assert driver.default_core().may_need_rewrite(generic) is False
    found = rewrite(project, write=False)
    assert [m.reason.split(": ", 1)[1] for m in found["app/settings.py"].markers] == [
        "generic.py imports it and joins a path to it that stays on the Config API, so it stays on it too, "
        "with the paths joined to it here; migrate them together, by hand"
    ]


@pytest.mark.parametrize(
    "other, blocker",
    [
        # a read off the module whole is followed only where its name is surely the module, read as written
        (b"from app import settings\n\n\ndef url(settings):\n    return settings.BASE + '/x'\n", "other.py"),
        (b"from app import settings\nsettings = settings.load()\n\n\ndef url():\n    return settings.BASE\n", "other.py"),
        (b"import app.settings\n\n\ndef url():\n    return app.settings . BASE\n", "other.py"),
        (b"def url():\n    from app import settings\n    return settings.BASE\n", "other.py"),
        (b"from app import settings\nfrom app.settings import BASE\n\nURL = settings.BASE + BASE\n", "other.py"),
        (b"from app.settings import *\n\n\ndef url():\n    return BASE + '/x'\n", "other.py"),
        (b"def url():\n    from app.settings import BASE\n    return BASE + '/x'\n", "other.py"),
        (b"from app.settings import BASE\n\n\ndef url(:\n    BASE\n", "other.py (it does not parse)"),
    ],
)
def test_a_module_reaching_the_constant_another_way_holds_it(project: Path, other: bytes, blocker: str) -> None:
    tree(project, {"app/other.py": other})
    found = rewrite(project, write=False)
    assert [m.reason for m in found["app/settings.py"].markers] == [
        f"Config API base URL `BASE`: {blocker} reaches it in a way this rewrite does not follow (`*`, an import "
        "inside a function or under `try:`/`if`, a re-export, a read off its module other than a plain "
        "`module.NAME` under a name bound to nothing else, two names for it in one file): it stays on the Config "
        "API, with the paths joined to it here; migrate them together, by hand"
    ]
    assert not [c for r in found.values() for c in r.changes]


def test_a_re_export_holds_it(tmp_path: Path) -> None:
    root = tree(tmp_path, {
        "app/__init__.py": b"from app.settings import BASE\n",
        "app/settings.py": SETTINGS, "app/client.py": CLIENT.replace(b"from app.settings import", b"from app import"),
    })
    found = rewrite(root, write=False)
    assert [m.reason.split(":", 1)[1] for m in found["app/settings.py"].markers] == [
        " client.py reaches it in a way this rewrite does not follow (`*`, an import inside a function or under "
        "`try:`/`if`, a re-export, a read off its module other than a plain `module.NAME` under a name bound to "
        "nothing else, two names for it in one file): it stays on the Config API, with the paths joined to it "
        "here; migrate them together, by hand"
    ]


def test_the_owner_keeps_its_own_paths_with_a_held_base(tmp_path: Path) -> None:
    # before, the owner migrated the base with its own path while the importer's path stayed Config
    settings = SETTINGS + b'\nimport requests\n\n\ndef workspaces():\n    return requests.get(BASE + "/workspaces").json()\n'
    generic = b"import requests\nfrom app.settings import BASE\n\n\ndef call(path):\n    return requests.get(BASE + path).json()\n"
    root = tree(tmp_path, {"app/settings.py": settings, "app/generic.py": generic})
    found = rewrite(root)
    after = read(root)["app/settings.py"]
    assert b'BASE = "https://platform.segmentapis.com/v1beta"' in after
    assert b'requests.get(BASE + "/workspaces")' in after
    assert not found["app/settings.py"].changes


def test_a_module_importing_the_owner_for_something_else_does_not_hold_it(tmp_path: Path) -> None:
    # its own `BASE` is not the owner's: `import app.settings` alone reads nothing of it
    other = b'import app.settings\n\nBASE = "https://example.com"\nTIMEOUT = app.settings.TIMEOUT\n'
    root = tree(tmp_path, {"app/settings.py": SETTINGS, "app/client.py": CLIENT, "app/other.py": other})
    rewrite(root)
    assert read(root)["app/settings.py"] == MIGRATED["app/settings.py"]
    assert read(root)["app/other.py"] == other


UNIMPORTED = (
    "Config API base URL that this file does not use, and that no module of this run imports: remove it if "
    "nothing uses it; if a module outside this run imports it, rewrite them in one run, or migrate it and the "
    "paths that module joins to it together, by hand"
)
EXPORTED = (
    "Config API base URL that this file does not use: the modules that import it join their paths to it, "
    "which this rewrite does not see; migrate it and those paths together, by hand"
)


def test_a_base_no_module_of_the_run_imports_stays_marked(tmp_path: Path) -> None:
    # the run looked for its importers and found none: the marker says so, and
    # claims no importer joining paths to it; the codemod alone cannot tell
    root = tree(tmp_path, {"app/settings.py": SETTINGS})
    found = rewrite(root, write=False)
    assert [m.reason for m in found["app/settings.py"].markers] == [UNIMPORTED]
    assert [m.reason for m in rewrite_bytes(SETTINGS, load_rules()).markers] == [EXPORTED]


def test_an_unused_base_of_a_test_module_no_module_imports_says_so(tmp_path: Path) -> None:
    """A test holding a Config base it does not use, next to the client it
    tests (which imports its own): nothing imports the test module."""
    test = b'from app.client import sources\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n' \
           b'def test_sources():\n    assert sources\n'
    client = CLIENT.replace(b"from app.settings import BASE as API\n", f'API = "{CONFIG}"\n'.encode())
    root = tree(tmp_path, {"app/__init__.py": b"", "app/client.py": client, "tests/test_client.py": test})
    found = rewrite(root, write=False)
    assert [(m.line, m.reason) for m in found["tests/test_client.py"].markers] == [(3, UNIMPORTED)]


# -- the codemod alone ----------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
@pytest.mark.parametrize("last", [b"\n", b""])
def test_the_copy_of_the_constant_never_reaches_the_output(newline: bytes, last: bytes) -> None:
    data = (CLIENT.rstrip(b"\n") + last).replace(b"\n", newline)
    result = rewrite_bytes(data, load_rules(), shared=SharedBases(imported={"API": CONFIG}))
    assert result.code == (MIGRATED["app/client.py"].rstrip(b"\n") + last).replace(b"\n", newline)
    assert result.imported == {"API": "https://api.segmentapis.com"}
    assert [c.line for c in result.changes] == [6, 7, 7, 6]


def test_a_copy_held_back_is_reported_none_and_its_marker_dropped() -> None:
    data = b"import requests\nfrom app.settings import BASE\n\n\ndef call(path):\n    return requests.get(BASE + path)\n"
    result = rewrite_bytes(data, load_rules(), shared=SharedBases(imported={"BASE": CONFIG}))
    assert result.imported == {"BASE": None}
    assert [m.line for m in result.markers] == [6]
    assert result.code.count(b"\n") == data.count(b"\n") + 1  # one marker line, nothing of the copy


def test_an_exported_constant_is_migrated_and_a_held_one_marked() -> None:
    rules = load_rules()
    moved = rewrite_bytes(SETTINGS, rules, shared=SharedBases(exported=frozenset({"BASE"})))
    assert moved.code == MIGRATED["app/settings.py"] and not moved.markers
    held = rewrite_bytes(SETTINGS, rules, shared=SharedBases(held={"BASE": "why"}))
    assert held.code == b"TIMEOUT = 10\n# migrator[rewrite.partial-path]: why\n" + SETTINGS.split(b"\n", 1)[1]


# -- finding owners and importers -------------------------------------------------------


def test_owners_are_public_plain_constants_or_fstrings_of_names_bound_once() -> None:
    hosts = (b"platform.segmentapis.com",)
    data = (
        f'A = "{CONFIG}"\n_PRIVATE = "{CONFIG}"\nB = "{CONFIG}"\nB = "{CONFIG}/x"\nC = f"{CONFIG}/workspaces/{{WS}}"\n'
        f'D: str = "{CONFIG}"\nE = "https://example.com"\nF = "{CONFIG}"\nG = f"{CONFIG}/workspaces/{{ws()}}"\n'
        '\n\ndef f():\n    global F\n    F = ""\n'
    ).encode()
    found = owners_in("s.py", data, hosts)
    assert [(o.name, o.line) for o in found] == [("A", 1), ("D", 6), ("C", 5)]
    assert found[-1].code == f'f"{CONFIG}/workspaces/{{WS}}"'  # copied to its importers as it is written


def test_importers_are_module_level_imports_of_the_owner() -> None:
    hosts = (b"platform.segmentapis.com",)
    (owner,), (other,) = owners_in("app/settings.py", SETTINGS, hosts), owners_in("other/settings.py", SETTINGS, hosts)
    link_importers([owner, other], {
        "app/settings.py": SETTINGS,
        "app/client.py": CLIENT,
        "app/near.py": b"from .settings import BASE\n",
        "app/unrelated.py": b"BASE = 1\n",
        "other/settings.py": SETTINGS,
        "other/use.py": b"from settings import BASE\n",  # resolves to other/settings.py
    })
    assert owner.importers == {"app/client.py": "API", "app/near.py": "BASE"}
    assert other.importers == {"other/use.py": "BASE"}
    assert owner.blocked is None and other.blocked is None


PATHS_SETTINGS = (
    b'import os\n\nAPI = "https://platform.segmentapis.com/v1beta/"\n'
    b'WORKSPACE = os.environ.get("SEGMENT_WORKSPACE", "acme")\n'
    b'SOURCES_PATH = f"workspaces/{WORKSPACE}/sources"\n'
)
PATHS_READER = b'''import httpx

from app.settings import API, SOURCES_PATH


def names():
    with httpx.Client(base_url=API) as client:
        return [s["display_name"] for s in client.get(SOURCES_PATH).json()["sources"]]
'''


def test_a_path_constant_shared_by_a_settings_module_moves_with_its_importers(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": PATHS_SETTINGS, "app/report.py": PATHS_READER})
    found = rewrite(tmp_path)
    assert found["app/settings.py"].status == found["app/report.py"].status == "changed"
    assert (tmp_path / "app/settings.py").read_bytes() == PATHS_SETTINGS.replace(
        b"https://platform.segmentapis.com/v1beta/", b"https://api.segmentapis.com/"
    ).replace(b'f"workspaces/{WORKSPACE}/sources"', b'"sources"')
    assert (tmp_path / "app/report.py").read_bytes() == PATHS_READER.replace(
        b'client.get(SOURCES_PATH).json()["sources"]',
        b'client.get(SOURCES_PATH, params={"pagination.count": 200}).json()["data"]["sources"]',
    ).replace(b'"display_name"', b'"name"')
    assert not any(n.startswith("responses of migrated calls") for n in found["app/settings.py"].notes)


@pytest.mark.parametrize("other", [
    b"from app import settings\n\n\ndef url():\n    return settings.SOURCES_PATH\n",
    b"from app.settings import SOURCES_PATH\n\n\ndef url():\n    return SOURCES_PATH\n",
])
def test_a_path_constant_an_importer_returns_whole_stays(tmp_path: Path, other: bytes) -> None:
    # read off the module imported whole as imported by name: the path, given away whole, keeps it
    tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": PATHS_SETTINGS, "app/report.py": PATHS_READER,
                    "app/other.py": other})
    found = rewrite(tmp_path)
    settings = (tmp_path / "app/settings.py").read_text()
    assert 'SOURCES_PATH = f"workspaces/{WORKSPACE}/sources"' in settings
    assert "# migrator[rewrite.partial-path]: Config API path `SOURCES_PATH`: other.py imports it and uses it in a " \
        "way that stays on the Config API, so it stays on it too; migrate them together, by hand\n" in settings
    assert found["app/report.py"].status == "marked"
    assert 'client.get(SOURCES_PATH).json()["sources"]' in (tmp_path / "app/report.py").read_text()


FSTRING_BASE = b'''import requests

WS = "acme"
BASE = f"https://platform.segmentapis.com/v1beta/workspaces/{WS}"


def sources():
    return requests.get(f"{BASE}/sources").json()["sources"]
'''
FSTRING_IMPORTER = b'''import requests
from app.client import BASE


def plans():
    return requests.get(f"{BASE}/tracking-plans").json()["tracking_plans"]
'''


def test_an_fstring_workspace_base_moves_with_the_importers_paths(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": FSTRING_BASE, "app/plans.py": FSTRING_IMPORTER})
    found = rewrite(tmp_path)
    assert found["app/client.py"].status == found["app/plans.py"].status == "changed"
    assert b'BASE = "https://api.segmentapis.com"\n' in (tmp_path / "app/client.py").read_bytes()
    assert (tmp_path / "app/plans.py").read_bytes() == FSTRING_IMPORTER.replace(
        b'requests.get(f"{BASE}/tracking-plans").json()["tracking_plans"]',
        b'requests.get(f"{BASE}/tracking-plans", params={"pagination.count": 200, "type": "LIVE"}).json()["data"]["trackingPlans"]',
    )


def test_an_fstring_workspace_base_an_importer_cannot_move_stays_with_it(tmp_path: Path) -> None:
    stuck = FSTRING_IMPORTER + b'\n\ndef source(slug):\n    return requests.get(f"{BASE}/sources/{slug}").json()\n'
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": FSTRING_BASE, "app/plans.py": stuck})
    rewrite(tmp_path)
    client, plans = (tmp_path / "app/client.py").read_text(), (tmp_path / "app/plans.py").read_text()
    assert 'BASE = f"https://platform.segmentapis.com/v1beta/workspaces/{WS}"' in client
    assert "# migrator[rewrite.partial-path]: Config API base URL `BASE`: plans.py imports it" in client
    assert "api.segmentapis.com" not in client + plans and "rewrite.slug-ids" in plans


@pytest.mark.parametrize(("name", "moves"), [("BASE", False), ("_BASE", True)])
def test_a_public_workspace_base_built_with_format_stays_for_the_modules_that_may_import_it(
    name: str, moves: bool,
) -> None:
    code = (f'import requests\n\nWS = "acme"\n{name} = "{CONFIG}/workspaces/{{}}".format(WS)\n\n\n'
            f'def plans():\n    return requests.get({name} + "/tracking-plans").status_code\n').encode()
    out = rewrite_bytes(code, load_rules()).code.decode()
    assert (f'{name} = "https://api.segmentapis.com"\n' in out) is moves
    assert ("platform.segmentapis.com" in out) is not moves


@pytest.mark.parametrize(("reexp", "user"), [
    (b"from app.settings import BASE as BASE_URL\n", b"from app.reexp import BASE_URL as API\n"),
    (b"from app.settings import BASE as BASE_URL\n", b"from app import reexp\n\nAPI = reexp.BASE_URL\n"),
    (b"from app.settings import *\n", b"from app.reexp import BASE as API\n"),
    (b"from app.settings import BASE as BASE_URL\n", b"from app.reexp import *\n\nAPI = BASE_URL\n"),
])
def test_a_base_taken_through_a_module_that_imports_it_stays(tmp_path: Path, reexp: bytes, user: bytes) -> None:
    user += b'\n\ndef dests(slug):\n    return requests.get(API + "/workspaces/acme/sources/" + slug + "/destinations")\n'
    tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": SETTINGS, "app/client.py": CLIENT,
                    "app/reexp.py": reexp, "app/user.py": b"import requests\n" + user})
    rewrite(tmp_path)
    settings = (tmp_path / "app/settings.py").read_text()
    blocker = "reexp.py" if b"*" in reexp else "user.py"  # a star import of it blocks on its own
    assert f'BASE = "{CONFIG}"' in settings and f"{blocker} reaches it in a way this rewrite does not follow" in settings


ATTRIBUTE_CLIENT = b'''import requests


class Client:
    def __init__(self, workspace):
        self.base = f"https://platform.segmentapis.com/v1beta/workspaces/{workspace}"

    def sources(self):
        return requests.get(f"{self.base}/sources").json()["sources"]
'''


@pytest.mark.parametrize(("other", "moves"), [
    (b"from app.client import Client\n\n\ndef plans(c: Client):\n    return c.base + '/sources/web/destinations/amplitude'\n", False),
    (b"from app.client import Client\n\n\nclass Sub(Client):\n    def one(self):\n        return self.base + '/sources/web'\n", False),
    (b"from app.client import Client\n\n\ndef names():\n    return Client('acme').sources()\n", True),
])
def test_a_workspace_base_attribute_another_module_reads_stays(tmp_path: Path, other: bytes, moves: bool) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": ATTRIBUTE_CLIENT, "app/other.py": other})
    rewrite(tmp_path)
    client = (tmp_path / "app/client.py").read_text()
    assert ('self.base = "https://api.segmentapis.com"' in client) is moves
    if not moves:
        assert "another module of the run reads it off an object of this class" in client
    assert (tmp_path / "app/other.py").read_bytes() == other


@pytest.mark.parametrize("entry", [b"from .client import Client\n", b"from app.client import Client\n"])
def test_a_workspace_base_attribute_read_through_the_package_stays(tmp_path: Path, entry: bytes) -> None:
    # `from app import Client`, which `app/__init__.py` takes from `app/client.py`
    other = b"from app import Client\n\n\ndef plans(c: Client):\n    return c.base + '/sources/web/destinations/amplitude'\n"
    tree(tmp_path, {"app/__init__.py": entry, "app/client.py": ATTRIBUTE_CLIENT, "other.py": other})
    rewrite(tmp_path)
    client = (tmp_path / "app/client.py").read_text()
    assert 'self.base = f"https://platform.segmentapis.com/v1beta/workspaces/{workspace}"' in client
    assert "another module of the run reads it off an object of this class" in client
    assert (tmp_path / "other.py").read_bytes() == other


HELPER_CLIENT = b'''import requests


class Client:
    base_url = "https://platform.segmentapis.com/v1beta"

    def __init__(self, workspace):
        self.workspace = workspace

    def _url(self, path):
        return "{}/workspaces/{}/{}".format(self.base_url, self.workspace, path)

    def sources(self):
        return requests.get(self._url("sources")).json()["sources"]
'''


@pytest.mark.parametrize(("other", "moves"), [
    (b"import requests\nfrom app.client import Client\n\n\ndef drop(c: Client):\n"
     b"    requests.delete(c._url('sources/web/destinations/amplitude'))\n", False),
    (b"from app.client import Client\n\n\ndef names():\n    return Client('acme').sources()\n", True),
])
def test_a_workspace_helper_another_module_calls_stays(tmp_path: Path, other: bytes, moves: bool) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": HELPER_CLIENT, "app/other.py": other})
    rewrite(tmp_path)
    client = (tmp_path / "app/client.py").read_text()
    assert ('return "{}/{}".format(self.base_url, path)' in client) is moves
    assert (tmp_path / "app/other.py").read_bytes() == other


def test_a_module_importing_a_name_another_module_defines_itself_does_not_hold_the_base(project: Path) -> None:
    """`pkg/__init__.py` imports `BASE` from `pkg/settings.py`, which binds its
    own: that is no re-export of `app/settings.py`'s `BASE`."""
    tree(project, {"pkg/__init__.py": b"from .settings import BASE\n",
                   "pkg/settings.py": b'import os\n\nBASE = os.environ.get("BASE", "")\n'})
    rewrite(project)
    assert {k: v for k, v in read(project).items() if k in MIGRATED} == MIGRATED


def test_a_base_in_a_file_of_another_declared_encoding_is_read_in_that_encoding(tmp_path: Path) -> None:
    # A byte that is no UTF-8 in a base URL of a latin-1 module made the run end in a UnicodeDecodeError.
    settings = b'# -*- coding: latin-1 -*-\nBASE = "' + CONFIG.encode() + b'?label=Caf\xe9"\n'
    assert [(o.name, o.value, o.line) for o in maybe_owners("settings.py", settings, [b"platform.segmentapis.com"])] == [
        ("BASE", f"{CONFIG}?label=Café", 2),
    ]
    root = tree(tmp_path, {"app/settings.py": settings, "app/client.py": CLIENT})
    result = driver.run([root / "app"], force=True, jobs=1)
    assert sorted((Path(f.path).name, f.status) for f in result.results) == [
        ("client.py", "marked"), ("settings.py", "marked")]


# -- integer constants (page sizes) ---------------------------------------------------

PAGED = b'''import requests
from .settings import PAGE_SIZE
API = "https://platform.segmentapis.com/v1beta"
def sources():
    return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": PAGE_SIZE}).json()["sources"]
'''


@pytest.mark.parametrize("size", [500, 50])
def test_a_page_size_imported_from_a_module_of_the_run_is_checked_as_in_one_file(tmp_path: Path, size: int) -> None:
    # it was renamed with no marker: the codemod, reading one file, did not see the value 500
    settings = f"PAGE_SIZE = {size}\n".encode()
    root = tree(tmp_path, {"pkg/__init__.py": b"", "pkg/settings.py": settings, "pkg/client.py": PAGED})
    found = rewrite(root)
    marker = (b"    # migrator[rewrite.pagination]: `pagination.count` must be between 1 and 200 in the Public API: "
              b"change the page size\n")
    assert read(root)["pkg/client.py"] == (
        b'import requests\n'
        b'from .settings import PAGE_SIZE\n'
        b'API = "https://api.segmentapis.com"\n'
        b'def sources():\n'
        + (marker if size == 500 else b"")
        + b'    return requests.get(f"{API}/sources", params={"pagination.count": PAGE_SIZE}).json()["data"]["sources"]\n'
    )
    assert [m.line for m in found["pkg/client.py"].markers] == ([5] if size == 500 else [])
    assert read(root)["pkg/settings.py"] == settings
    assert rewrite(root, write=False)["pkg/client.py"].status in ("marked", "unchanged")


def test_only_integer_constants_bound_once_are_read() -> None:
    import ast

    from migrator.rewrite.shared_plan import integer_constants

    tree_ = ast.parse(
        "A = 500\nB: int = 7\nC = 1\nC = 2\nD = True\nE = '500'\nF = 3\ndef g():\n    global F\n    F = 4\n"
        "for G in range(3):\n    pass\nG = 9\n"
    )
    assert integer_constants(tree_) == {"A": 500, "B": 7}



# -- a base read off its module imported whole -------------------------------------------

WHOLE_SETTINGS = f'SEGMENT_API = "{CONFIG}"\n'.encode()
WHOLE = [  # how the settings module is imported, and how the base is read off it
    (b"from app import settings", b"settings.SEGMENT_API"),
    (b"import app.settings as settings", b"settings.SEGMENT_API"),
    (b"import app.settings", b"app.settings.SEGMENT_API"),
]
LIST = b'\n\ndef sources(token):\n    return requests.get(%s + "/workspaces/acme/sources").json()\n'
ONE = b'\n\ndef one(slug):\n    return requests.get(f"{%s}/workspaces/acme/sources/{slug}").json()\n'
LISTED = b'+ "/sources", params={"pagination.count": 200}).json()'


def whole(imported: bytes, attribute: bytes, *functions: bytes) -> bytes:
    """A module importing the settings module `imported` and calling through `attribute`."""
    return b"import requests\n" + imported + b"\n" + b"".join(f.replace(b"%s", attribute) for f in functions)


def whole_tree(tmp_path: Path, **files: bytes) -> Path:
    return tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": WHOLE_SETTINGS,
                           **{f"app/{name}.py": data for name, data in files.items()}})


@pytest.mark.parametrize(("imported", "attribute"), WHOLE)
def test_a_base_read_off_its_module_moves_with_the_paths_joined_to_it(
    tmp_path: Path, imported: bytes, attribute: bytes,
) -> None:
    root = whole_tree(tmp_path, ws=whole(imported, attribute, LIST))
    found = rewrite(root)
    assert read(root) == {
        "app/__init__.py": b"",
        "app/settings.py": b'SEGMENT_API = "https://api.segmentapis.com"\n',
        "app/ws.py": whole(imported, attribute, LIST).replace(b'+ "/workspaces/acme/sources").json()', LISTED),
    }
    assert {name: r.markers for name, r in found.items()} == dict.fromkeys(found, ())
    assert {r.status for r in rewrite(root).values()} == {"unchanged"}


@pytest.mark.parametrize(("imported", "attribute"), WHOLE)
def test_a_base_read_off_its_module_moves_with_slugs_filled_with_an_id_map(
    tmp_path: Path, imported: bytes, attribute: bytes,
) -> None:
    from migrator.idmap import IdMap

    root = whole_tree(tmp_path, ws=whole(imported, attribute, LIST, ONE))
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    run = driver.run([root], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    assert not [m for r in run.results for m in r.markers]
    after = read(root)
    assert after["app/settings.py"] == b'SEGMENT_API = "https://api.segmentapis.com"\n'
    assert after["app/ws.py"] == b"import segment_ids\n" + whole(imported, attribute, LIST, ONE).replace(
        b'+ "/workspaces/acme/sources").json()', LISTED,
    ).replace(b"}/workspaces/acme/sources/{slug}", b"}/sources/{segment_ids.source_id(slug)}")


@pytest.mark.parametrize(("imported", "attribute"), WHOLE)
def test_a_base_read_off_its_module_stays_with_a_path_that_cannot_move_marked_on_both_sides(
    tmp_path: Path, imported: bytes, attribute: bytes,
) -> None:
    # without an id map the slug keeps `one`'s path, so the base, so `sources`'s path; another
    # module importing the base by name keeps its path too
    named = whole(b"from app.settings import SEGMENT_API", b"SEGMENT_API", LIST)
    root = whole_tree(tmp_path, ws=whole(imported, attribute, LIST, ONE), named=named)
    found = rewrite(root)
    after = read(root)
    assert after["app/settings.py"] == (
        b"# migrator[rewrite.partial-path]: Config API base URL `SEGMENT_API`: ws.py imports it and joins a path "
        b"to it that stays on the Config API, so it stays on it too, with the paths joined to it here; migrate "
        b"them together, by hand\n" + WHOLE_SETTINGS
    )
    code = whole(imported, attribute, LIST, ONE)
    assert after["app/ws.py"] == code.replace(b"    return requests.get(" + attribute + b" +", (
        b"    # migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is "
        b"joined to on line 12, which cannot be migrated: migrate them together by hand; or let `migrator rewrite "
        b"--ids FILE --lookup-module NAME` migrate it (FILE from `migrator ids`)\n"
        b"    return requests.get(" + attribute + b" +"
    )).replace(b'    return requests.get(f"', (
        b"    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id "
        b"of the source in `slug`: rewrite with an id map and the generated lookup module, or pass the id\n"
        b'    return requests.get(f"'
    ))
    assert after["app/named.py"] == named.replace(b"    return", (
        b"    # migrator[rewrite.partial-path]: left on the Config API together with `SEGMENT_API`, the base URL it "
        b"is joined to, which settings.py defines and keeps on the Config API (its marker says why): migrate "
        b"them together by hand\n    return"
    ))
    assert not [c for r in found.values() for c in r.changes]


@pytest.mark.parametrize("shadowed", [
    b"def sources(settings):",  # a parameter
    b"def sources(token):\n    settings = token.settings",  # a local
])
def test_a_read_off_a_name_that_may_not_be_the_module_is_not_followed(tmp_path: Path, shadowed: bytes) -> None:
    # in a module that does not import settings, `settings.SEGMENT_API` is not the base: its path is
    # marked, the base moves with the module that does read it off its module
    other = (b"import requests\n\n\n" + shadowed
             + b'\n    return requests.get(settings.SEGMENT_API + "/workspaces/acme/sources").json()\n')
    root = whole_tree(tmp_path, ws=whole(*WHOLE[0], LIST), other=other)
    found = rewrite(root)
    after = read(root)
    assert after["app/settings.py"] == b'SEGMENT_API = "https://api.segmentapis.com"\n'
    assert after["app/other.py"] == other.replace(b"    return", (
        b"    # migrator[rewrite.partial-path]: Config API path joined to a base URL this file does not show "
        b"(configuration, a parameter, another module): migrate that base URL and this path together by hand "
        b"(Public API: `GET /sources`)\n    return"
    ))
    assert not found["app/other.py"].changes
    # in the module that imports it, a name it may be bound to otherwise holds the base where it is
    both = whole(*WHOLE[0], LIST) + b"\n\n" + other.split(b"\n\n\n", 1)[1].replace(b"def sources", b"def other")
    root = whole_tree(tmp_path / "both", ws=both)
    found = rewrite(root)
    assert read(root)["app/settings.py"] == (
        b"# migrator[rewrite.partial-path]: Config API base URL `SEGMENT_API`: ws.py reaches it in a way this "
        b"rewrite does not follow (`*`, an import inside a function or under `try:`/`if`, a re-export, a read "
        b"off its module other "
        b"than a plain `module.NAME` under a name bound to nothing else, two names for it in one file): it stays "
        b"on the Config API, with the paths joined to it here; migrate them together, by hand\n" + WHOLE_SETTINGS
    )
    assert not [c for r in found.values() for c in r.changes]


def test_the_audit_reads_a_base_read_off_its_module_as_the_rewrite_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator.audit.run import audit_paths
    from migrator.markers import IDS_ADVICE

    root = whole_tree(tmp_path, ws=whole(*WHOLE[0], LIST, ONE))
    held = ("ws.py imports it and joins a path to it that stays on the Config API, so it stays on it too, "
            "with the paths joined to it here; migrate them together, by hand")
    monkeypatch.chdir(root)
    run = audit_paths([Path(".")], load_rules(), jobs=1, cache=None)
    assert [(f.path, f.line, f.rule, f.fix) for f in run.findings] == [
        ("app/settings.py", 1, "rewrite.partial-path", "rewrite-with-ids"),
        ("app/ws.py", 6, "rewrite.partial-path", "rewrite-with-ids"),
        ("app/ws.py", 10, "rewrite.slug-ids", "rewrite-with-ids"),
    ]
    assert run.findings[0].message.split(": ", 1)[1] == held + IDS_ADVICE
LAYERED_APP = b'''import requests
from settings import API


def web():
    return requests.get(f"{API}/workspaces/acme/sources/web").json()["display_name"]
'''
LAYERED_TEST = b'''import responses
import app
from settings import API

WS = f"{API}/workspaces/acme"


@responses.activate
def test_web():
    responses.add(responses.GET, f"{WS}/sources/web",
                  json={"name": "workspaces/acme/sources/web", "display_name": "Website"})
    assert app.web() == "Website"
'''


def _ids():  # type: ignore[no-untyped-def]
    from migrator.idmap import load_idmap

    return load_idmap(Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json")


def test_a_workspace_base_a_test_builds_on_an_imported_base_moves_with_it_and_the_code(tmp_path: Path) -> None:
    """`WS = f"{API}/workspaces/acme"` in a test module, `API` from the
    settings module: with an id map, the three modules move together, as
    they do when the test writes the path whole (it held the base back)."""
    root = tree(tmp_path, {"settings.py": f'API = "{CONFIG}"\n'.encode(), "app.py": LAYERED_APP,
                           "tests/test_app.py": LAYERED_TEST})
    run = driver.run([root], force=True, jobs=1, ids=_ids(), lookup_module="segment_ids")
    assert read(root) == {
        "settings.py": b'API = "https://api.segmentapis.com"\n',
        "app.py": LAYERED_APP.replace(b"/workspaces/acme/sources/web\").json()[\"display_name\"]",
                                      b"/sources/qQEHquLrjRDN9j1ByrChyn\").json()[\"data\"][\"source\"][\"name\"]"),
        "tests/test_app.py": LAYERED_TEST.replace(b'f"{API}/workspaces/acme"', b'f"{API}"').replace(
            b'f"{WS}/sources/web"', b'f"{WS}/sources/qQEHquLrjRDN9j1ByrChyn"').replace(
            b'{"name": "workspaces/acme/sources/web", "display_name": "Website"}',
            b'{"data": {"source": {"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Website", "workspaceId": "9aQ1Lj62S4bomZKLF4DPqW"}}}'),
    }
    assert [m for r in run.results for m in r.markers] == []


def test_the_audit_tags_the_layered_base_fixable_with_ids_as_the_run_with_ids_moves_it(tmp_path: Path) -> None:
    from migrator.audit.run import audit_paths

    root = tree(tmp_path, {"settings.py": f'API = "{CONFIG}"\n'.encode(), "app.py": LAYERED_APP,
                           "tests/test_app.py": LAYERED_TEST})
    found = audit_paths([root], load_rules(), jobs=1).findings
    kept = {(Path(f.path).name, f.line, f.rule): f.fix for f in found if f.rule.startswith("rewrite.")}
    assert kept == {
        ("app.py", 6, "rewrite.slug-ids"): "rewrite-with-ids",
        ("app.py", 6, "rewrite.responses"): "rewrite-with-ids",
        ("settings.py", 1, "rewrite.partial-path"): "rewrite-with-ids",
        ("test_app.py", 5, "rewrite.partial-path"): "rewrite-with-ids",
        ("test_app.py", 10, "rewrite.slug-ids"): "rewrite-with-ids",
    }


LAYERED_OWNER = b'''import requests

API = "https://platform.segmentapis.com/v1beta"
WS = f"{API}/workspaces/acme"


def web():
    return requests.get(f"{WS}/sources/web").json()
'''
LAYERED_IMPORTER = b'''import requests
from app import WS


def ios():
    return requests.get(f"{WS}/sources/ios").json()
'''


def test_a_layered_workspace_base_another_module_of_the_run_imports_stays(tmp_path: Path) -> None:
    """That module joins its own paths to it unseen (`from app import WS`):
    the base, the base in front of it and the paths joined here stay, marked
    saying so; alone in its run, the module moves them."""
    root = tree(tmp_path, {"app.py": LAYERED_OWNER})
    driver.run([root], force=True, jobs=1, ids=_ids())
    assert read(root)["app.py"].count(b"api.segmentapis.com") == 1
    root = tree(tmp_path / "both", {"app.py": LAYERED_OWNER, "other.py": LAYERED_IMPORTER})
    run = driver.run([root], force=True, jobs=1, ids=_ids())
    assert read(root)["app.py"] == (
        b'import requests\n\n'
        b'# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to '
        b'on lines 6 and 11, which cannot be migrated: migrate them together by hand\n'
        b'API = "https://platform.segmentapis.com/v1beta"\n'
        b'# migrator[rewrite.partial-path]: Config API base URL that ends at the workspace, which another module of '
        b'the run imports (the paths joined to it there are not seen here): the Public API drops the workspace from '
        b'every path, so it becomes the base in front of it only together with every path joined to it; migrate '
        b'them together, by hand\n'
        b'WS = f"{API}/workspaces/acme"\n\n\n'
        b'def web():\n'
        b'    # migrator[rewrite.partial-path]: Config API path joined to `WS`, a base URL that ends at the workspace '
        b'and stays on the Config API (its marker says why): migrate them together by hand\n'
        b'    return requests.get(f"{WS}/sources/web").json()\n'
    )
    assert read(root)["other.py"] == LAYERED_IMPORTER
    assert [r.status for r in run.results] == ["marked", "unchanged"]
