"""Imports between the modules of a run resolve against the roots its layout
implies (`migrator.layout`): a src/ layout, roots a `pyproject.toml`
declares, a namespace package (no `__init__.py`) imported by its dotted
name. An import that may name a module of the run but is found from no
root holds that module's base back. The lookup module goes where the
absolute import resolves. The audit resolves the same way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.idmap import load_idmap
from migrator.layout import Layout, declared_roots
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

IDS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json"

SETTINGS = b'BASE = "https://platform.segmentapis.com/v1beta"\n'
CLIENT = b'''import requests

from app.settings import BASE


def sources():
    return requests.get(f"{BASE}/workspaces/acme/sources").json()["sources"]


def source_name():
    return requests.get(f"{BASE}/workspaces/acme/sources/web").json()["display_name"]
'''
TEST = b'''from unittest import mock

import responses

from app import client
from app.settings import BASE


@responses.activate
def test_sources():
    responses.get(f"{BASE}/workspaces/acme/sources", json={"sources": [], "next_page_token": ""})
    assert client.sources() == []


def test_name():
    with mock.patch("requests.get") as get:
        get.return_value.json.return_value = {"display_name": "Web"}
        assert client.source_name() == "Web"
'''
PYTEST_SRC = b'[tool.pytest.ini_options]\npythonpath = ["src"]\n'

MOVED_CLIENT = b'''import requests

from app.settings import BASE


def sources():
    return requests.get(f"{BASE}/sources", params={"pagination.count": 200}).json()["data"]["sources"]


def source_name():
    return requests.get(f"{BASE}/sources/qQEHquLrjRDN9j1ByrChyn").json()["data"]["source"]["name"]
'''
MOVED_TEST = TEST.replace(
    b'responses.get(f"{BASE}/workspaces/acme/sources", json={"sources": [], "next_page_token": ""})',
    b'responses.get(f"{BASE}/sources", json={"data": {"sources": [], "pagination": {"next": None}}})',
).replace(b'        get.return_value', (
    "        # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
    "(`display_name`): if it stands for a call this file migrated, write the Public response instead (`data` "
    "envelope, Public field names)\n"
    "        # migrator[rewrite.responses]: this fake HTTP answer has the Config shape, but the code under test reads "
    "it as a Public API response now (`data` envelope, Public field names): give it the Public shape\n"
    "        get.return_value").encode())


def written(root: Path, **options: object) -> dict[str, bytes]:
    driver.run([root], force=True, jobs=1, **options)  # type: ignore[arg-type]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def unchanged_again(root: Path, **options: object) -> bool:
    return not any(r.modified for r in driver.run([root], write=False, jobs=1, **options).results)  # type: ignore[arg-type]


@pytest.mark.parametrize("pyproject", [True, False], ids=["pytest-pythonpath", "package-in-src"])
def test_a_src_layout_test_moves_with_the_base_it_imports(tmp_path: Path, pyproject: bool) -> None:
    """`tests/` imports `app.settings`, which is `src/app/settings.py`: the
    base, the client's paths and the test's double move together, and the
    test's canned Config payload is marked, as in a flat layout."""
    files = {"src/app/__init__.py": b"", "src/app/settings.py": SETTINGS, "src/app/client.py": CLIENT,
             "tests/test_client.py": TEST}
    tree(tmp_path, {**files, **({"pyproject.toml": PYTEST_SRC} if pyproject else {})})
    ids = load_idmap(IDS)
    assert written(tmp_path, ids=ids) == {
        "src/app/__init__.py": b"",
        "src/app/client.py": MOVED_CLIENT,
        "src/app/settings.py": b'BASE = "https://api.segmentapis.com"\n',
        "tests/test_client.py": MOVED_TEST,
    }
    assert unchanged_again(tmp_path, ids=ids)


def test_projects_side_by_side_each_import_their_own_package(tmp_path: Path) -> None:
    """Two projects of one run, each with an `app` package (`one/app`,
    `two/app`): `from app.settings import BASE` in `one/` is `one/app`, found
    from the file's own folders, never `two/app` through the layout's roots
    (which held both bases as reached two ways)."""
    files = {f"{p}/{name}": data for p in ("one", "two") for name, data in (
        ("app/__init__.py", b""), ("app/settings.py", SETTINGS), ("app/client.py", CLIENT),
        ("tests/test_client.py", TEST))}
    tree(tmp_path, files)
    ids = load_idmap(IDS)
    assert written(tmp_path, ids=ids) == {
        f"{p}/{name}": data for p in ("one", "two") for name, data in (
            ("app/__init__.py", b""), ("app/client.py", MOVED_CLIENT),
            ("app/settings.py", b'BASE = "https://api.segmentapis.com"\n'), ("tests/test_client.py", MOVED_TEST))
    }
    assert unchanged_again(tmp_path, ids=ids)


def test_the_audit_of_a_src_layout_reads_the_test_with_its_module(tmp_path: Path) -> None:
    """Before the rewrite (no ids: `source_name` keeps the base on the
    Config API), the audit says what the rewrite does: the test's double
    stays with the held base, its canned payload is marked."""
    tree(tmp_path, {"src/app/__init__.py": b"", "src/app/settings.py": SETTINGS, "src/app/client.py": CLIENT,
                    "tests/test_client.py": TEST, "pyproject.toml": PYTEST_SRC})
    found = [(Path(os.path.abspath(f.path)).relative_to(tmp_path).as_posix(), f.line, f.rule, f.fix)
             for f in audit_paths([tmp_path], load_rules(), jobs=1).findings if f.path.endswith("test_client.py")]
    assert found == [
        ("tests/test_client.py", 11, "rewrite.partial-path", "rewrite-with-ids"),
        ("tests/test_client.py", 11, "envelope.list", "manual"),
        ("tests/test_client.py", 17, "rewrite.mocks", "manual"),
    ]
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "tests/test_client.py").read_bytes() == TEST.replace(b"    responses.get(", (
        "    # migrator[rewrite.partial-path]: left on the Config API together with `BASE`, the base URL it is joined "
        "to, which ../src/app/settings.py defines and keeps on the Config API (its marker says why): migrate them "
        "together by hand\n    responses.get(").encode()).replace(b"        get.return_value", (
        "        # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
        "(`display_name`), and this file imports `../src/app/settings.py`, which uses a Segment API: if it stands "
        "for a call that code makes, write the Public response instead (`data` envelope, Public field names)\n"
        "        get.return_value").encode())


RUN = b'''import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

import requests  # noqa: E402

from segcfg.const import BASE, WS  # noqa: E402
from segcfg.client import sources  # noqa: E402


def plans():
    return requests.get(f"{BASE}/workspaces/{WS}/tracking-plans").json()["tracking_plans"]


if __name__ == "__main__":
    for s in sources():
        print(s["display_name"])
    for p in plans():
        print(p["display_name"])
'''
LIB_CLIENT = b'''import requests

from segcfg.const import BASE, WS


def sources():
    return requests.get(f"{BASE}/workspaces/{WS}/sources").json()["sources"]
'''
CONST = SETTINGS + b'WS = "acme"\n'


def test_a_script_importing_a_namespace_package_by_its_dotted_name_moves_with_it(tmp_path: Path) -> None:
    """`segcfg.const` is the one module of the run of that name
    (`lib/segcfg/const.py`, after a `sys.path` set in code): followed."""
    tree(tmp_path, {"lib/segcfg/const.py": CONST, "lib/segcfg/client.py": LIB_CLIENT, "scripts/run.py": RUN})
    assert written(tmp_path) == {
        "lib/segcfg/client.py": LIB_CLIENT.replace(
            b'f"{BASE}/workspaces/{WS}/sources").json()["sources"]',
            b'f"{BASE}/sources", params={"pagination.count": 200}).json()["data"]["sources"]'),
        "lib/segcfg/const.py": b'BASE = "https://api.segmentapis.com"\nWS = "acme"\n',
        "scripts/run.py": RUN.replace(
            b'f"{BASE}/workspaces/{WS}/tracking-plans").json()["tracking_plans"]',
            b'f"{BASE}/tracking-plans", params={"pagination.count": 200, "type": "LIVE"}).json()["data"]'
            b'["trackingPlans"]').replace(b'["display_name"]', b'["name"]'),
    }


def test_an_import_found_from_no_root_that_may_name_a_module_of_the_run_holds_its_base(tmp_path: Path) -> None:
    """`from const import BASE` after `sys.path` points into `lib/segcfg`:
    it may be `lib/segcfg/const.py`, so that base does not move, and both
    files say why (not "not found in this run")."""
    run = RUN.replace(b'"lib"))', b'"lib", "segcfg"))').replace(b"from segcfg.const import", b"from const import")
    tree(tmp_path, {"lib/segcfg/const.py": CONST, "lib/segcfg/client.py": LIB_CLIENT, "scripts/run.py": run})
    out = written(tmp_path)
    assert out["lib/segcfg/const.py"] == (
        "# migrator[rewrite.partial-path]: Config API base URL `BASE`: ../../scripts/run.py imports `const`, which "
        "this run cannot place (it is found from no folder the run's layout gives: a `sys.path` set in code, an "
        "installed package), and it may be this module: it stays on the Config API, with the paths joined to it "
        "here; migrate them together, by hand\n").encode() + CONST
    assert out["scripts/run.py"].splitlines()[12].decode() == (
        "    # migrator[rewrite.partial-path]: Config API path joined to `BASE`, a base URL imported from `const`, "
        "which this run finds from no folder its layout gives (a `sys.path` set in code, an installed package): "
        "`../lib/segcfg/const.py` of this run bears that name and may be it: a base URL there stays on the Config "
        "API for this file's sake; migrate that base URL and this path together by hand (Public API: "
        "`GET /tracking-plans`)")
    assert b"/workspaces/{WS}/sources" in out["lib/segcfg/client.py"]
    assert b"/workspaces/{WS}/tracking-plans" in out["scripts/run.py"]


# --- the lookup module in a namespace package --------------------------------------------

JOB = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def source_name(slug):
    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()["display_name"]
'''
JOB_TEST = b"from app.jobs import client\n\n\ndef test_client():\n    assert client\n"
MIGRATED_JOB = b'''import segment_ids
import requests

API = "https://api.segmentapis.com"


def source_name(slug):
    return requests.get(f"{API}/sources/{segment_ids.source_id(slug)}").json()["data"]["source"]["name"]
'''


def lookup_run(root: Path) -> dict[str, tuple[str, ...]]:
    """Rewrite `root` with the lookup module: each file written → its notes
    on the lookup module (none for the others)."""
    result = driver.run([root], force=True, jobs=1, ids=load_idmap(IDS), lookup_module="segment_ids")
    return {Path(r.path).relative_to(root).as_posix(): r.notes if r.path.endswith("segment_ids.py") else ()
            for r in result.results if r.modified}


GENERATED = ("generated by migrator rewrite: Public API ids for the slugs the code holds in variables, from the "
             "--ids map; the rewritten files import it")
BESIDE_APP = (f"{GENERATED}; it is a top-level module beside the package `app`, which a distribution built from it "
              'does not ship unless it declares it too (setuptools: `py-modules = ["segment_ids"]` under '
              "`[tool.setuptools]`)")


@pytest.mark.parametrize("layout", ["pytest-pythonpath", "test-import"])
def test_a_namespace_package_in_src_gets_the_lookup_module_at_its_root(tmp_path: Path, layout: str) -> None:
    """No `__init__.py`: the root is the one pyproject.toml declares, or the
    one the run's dotted import of the module tells; the module imports."""
    files = {"src/app/jobs/client.py": JOB, "tests/test_client.py": JOB_TEST}
    tree(tmp_path, {**files, **({"pyproject.toml": PYTEST_SRC} if layout == "pytest-pythonpath" else {})})
    assert lookup_run(tmp_path) == {"src/app/jobs/client.py": (), "src/segment_ids.py": (BESIDE_APP,)}
    assert (tmp_path / "src/app/jobs/client.py").read_bytes() == MIGRATED_JOB
    code = "import sys, types; sys.modules['requests'] = types.ModuleType('requests'); import app.jobs.client"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "src", capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": ""})
    assert (done.returncode, done.stderr) == (0, "")


def test_a_flat_namespace_package_imported_by_its_dotted_name_gets_it_at_the_top(tmp_path: Path) -> None:
    tree(tmp_path, {"app/jobs/client.py": JOB, "tests/test_client.py": JOB_TEST})
    assert lookup_run(tmp_path) == {"app/jobs/client.py": (), "segment_ids.py": (BESIDE_APP,)}


def test_a_folder_whose_root_cannot_be_told_gets_it_beside_its_files_with_a_note(tmp_path: Path) -> None:
    """Nothing says `app/jobs` is a namespace package (it may hold scripts):
    the module goes where `import segment_ids` resolves for a script, and
    the note says what to do if it is a package."""
    tree(tmp_path, {"app/jobs/client.py": JOB, "pyproject.toml": b'[tool.pytest.ini_options]\npythonpath = ["."]\n'})
    folder = (tmp_path / "app/jobs").as_posix()
    assert lookup_run(tmp_path) == {"app/jobs/client.py": (), "app/jobs/segment_ids.py": (
        GENERATED,
        f"written beside `{folder}`'s files, where `import segment_ids` resolves when they run as scripts: "
        f"`{folder}` has no `__init__.py`, and neither a `pyproject.toml` (pytest's `pythonpath`, setuptools' "
        "`package-dir` or `where`, hatch's or poetry's `packages`, naming a folder below its own) nor an import in "
        "this run (`import app.jobs.client`) says from which folder it is imported if it is a namespace package; "
        "if it is one, move `segment_ids.py` to that folder by hand",
    )}


# --- the layout's roots ------------------------------------------------------------------


@pytest.mark.parametrize(("pyproject", "roots"), [
    (b'[tool.pytest.ini_options]\npythonpath = ["src", "."]\n', ["src", ""]),
    (b'[tool.pytest.ini_options]\npythonpath = "src lib"\n', ["src", "lib"]),
    (b'[tool.setuptools]\npackage-dir = {"" = "src"}\n', ["src"]),
    (b'[tool.setuptools.packages.find]\nwhere = ["lib"]\n', ["lib"]),
    (b'[tool.hatch.build.targets.wheel]\npackages = ["src/app"]\n', ["src"]),
    (b'[tool.poetry]\npackages = [{include = "app", from = "src"}, {include = "top"}]\n', ["src"]),
    (b'[tool.pytest.ini_options]\npythonpath = ["../elsewhere"]\n', ["../elsewhere"]),
    (b"[tool.pytest\n", []),
])
def test_the_roots_a_pyproject_declares(tmp_path: Path, pyproject: bytes, roots: list[str]) -> None:
    tree(tmp_path, {"proj/pyproject.toml": pyproject})
    assert declared_roots(str(tmp_path / "proj")) == [os.path.normpath(os.path.join(tmp_path, "proj", r)) if r
                                                      else str(tmp_path / "proj") for r in roots]


def test_a_root_serves_its_own_project_only(tmp_path: Path) -> None:
    """`one/src` serves `one/tests`, not `two/tests`; a dotted name two
    files of the run bear names neither."""
    files = ["one/src/app/__init__.py", "one/src/app/settings.py", "two/src/app/__init__.py",
             "two/src/app/settings.py", "one/tests/t.py", "two/tests/t.py"]
    tree(tmp_path, dict.fromkeys(files, b""))
    layout = Layout([str(tmp_path / f) for f in files])
    assert layout.bases(str(tmp_path / "one/tests")) == (str(tmp_path / "one/src"),)
    assert layout.named("app.settings") is None
    assert layout.may_name("app.settings") == [str(tmp_path / "one/src/app/settings.py"),
                                               str(tmp_path / "two/src/app/settings.py")]
