"""A host-less Config path joined to a base the rewrite does not see (an
imported name, the environment, a parameter) is marked, never left silently;
the marker says where the base comes from when the file imports it (`paths`,
`shared_plan.outside_bases`), and why it stays when its own module keeps it
(`joins`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver, may_need_rewrite, rewrite_bytes
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

IDS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json"
JOBS = b'''import requests

from segment_common.settings import SEGMENT_API


def sources():
    body = requests.get(f"{SEGMENT_API}/workspaces/acme/sources").json()
    return [s["display_name"] for s in body["sources"]]
'''
RESPONSES = (
    "    # migrator[rewrite.responses]: `display_name` is read off the response of a call this rewrite leaves on "
    "the Config API, where it is right as it is: when that call moves to the Public API, read the Public field "
    "instead (`name`; `displayName` for a function)\n"
)
UNSEEN = (
    "    # migrator[rewrite.partial-path]: Config API path joined to `SEGMENT_API`, a base URL imported from "
    "`segment_common.settings`, not found in this run: rewrite this file together with that module, or migrate "
    "that base URL and this path together by hand (Public API: `GET /sources`)\n"
)
UNPROVEN = (
    "    # migrator[rewrite.partial-path]: Config API path joined to a base URL this file does not show "
    "(configuration, a parameter, another module): migrate that base URL and this path together by hand "
    "(Public API: `GET /sources`)\n"
)


def marked(data: bytes, line: int, *markers: str) -> bytes:
    """`data` with `markers` above its line `line`."""
    lines = data.decode().splitlines(keepends=True)
    return "".join([*lines[: line - 1], *markers, *lines[line - 1 :]]).encode()


def with_responses(data: bytes, path_marker: str, read: str = RESPONSES) -> bytes:
    """The call on line 7 and the read on line 8 marked."""
    return marked(marked(data, 8, read), 7, path_marker)


def written(root: Path, *names: str, **options: object) -> dict[str, bytes]:
    driver.run([root / n for n in names] or [root], force=True, jobs=1, **options)  # type: ignore[arg-type]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_a_path_after_an_imported_base_is_read_though_the_file_has_no_config_host(tmp_path: Path) -> None:
    assert may_need_rewrite(JOBS)
    tree(tmp_path, {"jobs.py": JOBS})
    assert written(tmp_path) == {"jobs.py": with_responses(JOBS, UNSEEN)}


def test_a_path_after_a_base_from_the_environment_or_a_parameter_is_marked(tmp_path: Path) -> None:
    environ = JOBS.replace(b"from segment_common.settings import SEGMENT_API",
                           b'import os\n\nSEGMENT_API = os.environ["SEGMENT_API"]')
    parameter = JOBS.replace(b"def sources():", b"def sources(SEGMENT_API):").replace(
        b"from segment_common.settings import SEGMENT_API\n", b"")
    tree(tmp_path, {"environ.py": environ, "parameter.py": parameter})
    assert written(tmp_path) == {
        "environ.py": marked(marked(environ, 10, RESPONSES), 9, UNPROVEN),
        "parameter.py": marked(marked(parameter, 7, RESPONSES), 6, UNPROVEN),
    }


def test_the_codemod_alone_names_the_module_the_base_is_imported_from() -> None:
    result = rewrite_bytes(JOBS.replace(b"segment_common.settings", b"..conf"), load_rules())
    assert [m.reason for m in result.markers if m.rule == "rewrite.partial-path"] == [
        "Config API path joined to `SEGMENT_API`, a base URL imported from `..conf`, whose value this file does "
        "not show: rewrite this file in one run with that module if it holds the base as a Config API URL string, "
        "else migrate that base URL and this path together by hand (Public API: `GET /sources`)"]


def test_the_audit_lists_what_the_rewrite_marks(tmp_path: Path) -> None:
    tree(tmp_path, {"jobs.py": JOBS})
    found = audit_paths([tmp_path], load_rules(), jobs=1).findings
    assert [(f.line, f.rule) for f in found] == [(7, "rewrite.partial-path"), (8, "rewrite.responses")]


SETTINGS = b'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n'
SOURCE = JOBS.replace(b"segment_common.settings", b"settings").replace(b"def sources():", b"def source(slug):") \
    .replace(b"/sources\").json()", b"/sources/{slug}\").json()").replace(
        b'    return [s["display_name"] for s in body["sources"]]', b'    return body["display_name"]')
OUTSIDE = (
    "    # migrator[rewrite.partial-path]: Config API path joined to `SEGMENT_API`, the Config API base URL that "
    "`{path}` defines (line 1), which is not in this run: rewrite this file and `{path}` in one run, which moves "
    "them together, or migrate that base URL and this path together by hand (Public API: `GET /sources/{{sourceId}}`)\n"
)


def test_a_base_whose_module_is_on_disk_but_not_in_the_run_names_it(tmp_path: Path) -> None:
    """The base is `settings.py`'s: a run holding both migrates them together."""
    tree(tmp_path, {"settings.py": SETTINGS, "jobs.py": SOURCE, "app/jobs.py": SOURCE})
    options = {"ids": _ids(), "lookup_module": "segment_ids"}
    assert written(tmp_path, "jobs.py", **options)["jobs.py"] == with_responses(
        SOURCE, OUTSIDE.format(path="settings.py"))
    assert written(tmp_path, "app/jobs.py", **options)["app/jobs.py"] == with_responses(
        SOURCE, OUTSIDE.format(path="../settings.py"))
    moved = written(tmp_path, "jobs.py", "settings.py", **options)
    assert moved["settings.py"] == b'SEGMENT_API = "https://api.segmentapis.com"\n'
    assert moved["jobs.py"] == b'''import segment_ids
import requests

from settings import SEGMENT_API


def source(slug):
    body = requests.get(f"{SEGMENT_API}/sources/{segment_ids.source_id(slug)}").json()
    return body["data"]["source"]["name"]
'''


def test_a_base_its_module_does_not_hold_as_a_string_says_so(tmp_path: Path) -> None:
    tree(tmp_path, {"settings.py": b'import os\n\nSEGMENT_API = os.environ["SEGMENT_API"]\n', "jobs.py": SOURCE})
    assert written(tmp_path, "jobs.py", "settings.py", ids=_ids(), lookup_module="segment_ids")["jobs.py"] \
        == with_responses(SOURCE, (
            "    # migrator[rewrite.partial-path]: Config API path joined to `SEGMENT_API`, imported from "
            "`settings.py`, which does not hold it as a Config API URL string this rewrite reads (a plain string "
            "bound once): migrate that base URL and this path together by hand (Public API: "
            "`GET /sources/{sourceId}`)\n"))


def test_a_base_suppressed_where_it_is_defined_is_named_so_by_its_importers(tmp_path: Path) -> None:
    settings = SETTINGS.replace(b"\n", b"  # migrator: ignore\n")
    tree(tmp_path, {"settings.py": settings, "jobs.py": SOURCE})
    assert written(tmp_path, ids=_ids(), lookup_module="segment_ids") == {
        "settings.py": settings,
        "jobs.py": with_responses(SOURCE, (
            "    # migrator[rewrite.partial-path]: left on the Config API together with `SEGMENT_API`, the base URL "
            "it is joined to, which settings.py defines and keeps on the Config API, its marker suppressed there "
            "(`migrator: ignore` at settings.py:1): migrate them together by hand\n")),
    }


def _ids():  # type: ignore[no-untyped-def]
    from migrator.idmap import load_idmap

    return load_idmap(IDS)


def test_a_run_below_the_top_of_the_work_tree_names_a_module_imported_from_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Imports from above the working directory are not followed: the file's
    note says so and names the top to run from; run from it, no such note."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "settings.py").write_text('SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "jobs.py").write_bytes(JOBS.replace(b"segment_common.settings", b"settings"))
    monkeypatch.chdir(tmp_path / "app")
    (result,) = driver.run([Path("jobs.py")], write=False).results
    assert result.notes[-1] == (
        "imports `settings` from above the working directory, which this run does not read: run from the top of "
        f"the repository ({tmp_path}) for it to be read with this file"
    )
    monkeypatch.chdir(tmp_path)
    (result,) = [r for r in driver.run([Path("app/jobs.py")], write=False).results if r.path.endswith("jobs.py")]
    assert not any("above the working directory" in n for n in result.notes)


REEXPORTING = {
    "app/__init__.py": b"",
    "app/api/__init__.py": b"from .settings import BASE\n",
    "app/api/settings.py": b'BASE = "https://platform.segmentapis.com/v1beta"\n',
    "app/jobs/__init__.py": b"",
    "app/jobs/plans.py": (
        b"import requests\n\nfrom ..api import BASE\n\n\n"
        b"def plans():\n"
        b'    return requests.get(f"{BASE}/workspaces/acme/tracking-plans").json()["tracking_plans"]\n'
    ),
}


def test_a_base_a_package_re_exports_names_the_module_it_comes_from(tmp_path: Path) -> None:
    """rt2 #9: `from ..api import BASE`, where `api/__init__.py` re-exports
    it from `api/settings.py`: the marker names both (it named the
    `__init__.py` alone, as holding no Config base URL string)."""
    tree(tmp_path, REEXPORTING)
    result = written(tmp_path)
    assert result["app/jobs/plans.py"] == marked(REEXPORTING["app/jobs/plans.py"], 7, (
        "    # migrator[rewrite.partial-path]: Config API path joined to `BASE`, imported from `../api/__init__.py`, "
        "which re-exports it from `../api/settings.py`: this rewrite does not follow a re-export, so that base "
        "URL stays on the Config API; migrate it and this path together by hand (Public API: "
        "`GET /tracking-plans`)\n"))
    assert result["app/api/settings.py"] == (
        b"# migrator[rewrite.partial-path]: Config API base URL `BASE`: ../jobs/plans.py reaches it in a way this "
        b"rewrite does not follow (`*`, an import inside a function or under `try:`/`if`, a re-export, a read off "
        b"its module other than a plain `module.NAME` under a name bound to nothing else, two names for it in one "
        b"file): it stays on the Config API, with the paths joined to it here; migrate them together, by hand\n"
        + REEXPORTING["app/api/settings.py"]
    )
    assert result["app/api/__init__.py"] == REEXPORTING["app/api/__init__.py"]
