"""The audit reads a base URL constant shared between modules as a rewrite
of the whole run does (`migrator.audit.shared`): what it tags fixable by
rewrite, the rewrite fixes; what it holds back, the rewrite holds back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.audit.run import audit_paths
from migrator.cli import cli
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_shared_bases import CLIENT, SETTINGS, TEST

RULES = load_rules()
# the source's slug is filled in by the caller: without an id map, this path stays on the Config API
ONE = b'import requests\nfrom app.settings import BASE\n\n\ndef one(ws, slug):\n    return requests.get(f"{BASE}/workspaces/{ws}/sources/{slug}").json()\n'


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in {"app/settings.py": SETTINGS, "app/client.py": CLIENT, "tests/test_client.py": TEST}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(jobs: int = 1) -> list[tuple[str, int, str, str | None]]:
    run = audit_paths([Path("app"), Path("tests")], RULES, jobs=jobs)
    return sorted((f.path, f.line, f.rule, f.fix) for f in run.findings)


def test_the_importers_paths_are_fixable_by_rewrite_with_the_base(project: Path) -> None:
    assert found() == [
        ("app/client.py", 6, "endpoint.sources.list", "rewrite"),
        ("app/client.py", 6, "pagination.params", "rewrite"),
        ("app/client.py", 7, "envelope.list", "rewrite"),
        ("app/client.py", 7, "source.fields", "rewrite"),  # `display_name` → `name`: no id needed
        ("app/settings.py", 2, "host.base-url", "rewrite"),
        ("tests/test_client.py", 8, "endpoint.sources.list", "rewrite"),
        ("tests/test_client.py", 8, "rewrite.mocks", "rewrite"),
        ("tests/test_client.py", 8, "source.fields", "manual"),  # of the list of sources the double answers
    ]


def test_what_the_audit_says_a_rewrite_fixes_is_gone_after_it(project: Path) -> None:
    driver.run([project / "app", project / "tests"], force=True, jobs=1)
    assert [f for f in found() if f[3] == "rewrite"] == []


def test_an_importer_that_holds_the_base_holds_it_in_the_audit_too(project: Path) -> None:
    (project / "app" / "one.py").write_bytes(ONE)
    # one.py's own path is a to-do of its own (an id); the others stay with the base, and move
    # with it when a rewrite with an id map and the lookup module moves one.py's path
    # (the double's `display_name` aside: its change is the double's, no body of a request);
    # the list `sources`, read off the call left on the Config API, is right there: no marker
    assert found() == [
        ("app/client.py", 6, "rewrite.partial-path", "rewrite-with-ids"),
        ("app/client.py", 7, "rewrite.responses", "rewrite-with-ids"),  # `display_name`
        ("app/one.py", 6, "rewrite.slug-ids", "rewrite-with-ids"),
        ("app/settings.py", 2, "rewrite.partial-path", "rewrite-with-ids"),
        ("tests/test_client.py", 8, "rewrite.partial-path", "rewrite-with-ids"),
        ("tests/test_client.py", 8, "source.fields", "manual"),
    ]
    run = audit_paths([Path("app")], RULES)
    (settings,) = [f for f in run.findings if f.path == "app/settings.py"]
    assert settings.message.startswith("Config API base URL `BASE`: one.py imports it and joins a path to it")


def test_two_processes_say_the_same(project: Path) -> None:
    for i in range(70):  # enough files for the parallel scan
        (project / "app" / f"pad{i}.py").write_text("x = 1\n")
    assert found(jobs=2) == found(jobs=1)
    assert ("app/settings.py", 2, "host.base-url", "rewrite") in found(jobs=2)


def test_a_run_of_some_files_reads_their_importers_and_owners_from_the_tree(project: Path) -> None:
    # a pre-commit run of the settings alone: its importers, outside the run, decide as in the whole tree
    run = audit_paths([Path("app/settings.py")], RULES)
    assert [(f.line, f.rule, f.fix) for f in run.findings] == [(2, "host.base-url", "rewrite")]
    (project / "app" / "one.py").write_bytes(ONE)
    whole = audit_paths([Path(".")], RULES).findings
    for path in ("app/client.py", "app/one.py", "app/settings.py", "tests/test_client.py"):
        alone = audit_paths([Path(path)], RULES).findings
        assert [(f.line, f.column, f.rule, f.fingerprint) for f in alone] == [
            (f.line, f.column, f.rule, f.fingerprint) for f in whole if f.path == path
        ]
    assert [(f.line, f.rule) for f in audit_paths([Path("app/one.py")], RULES).findings] == [(6, "rewrite.slug-ids")]


def test_a_pre_commit_run_of_an_importer_passes_the_baseline_of_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "settings.py").write_text('SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "jobs.py").write_text(
        "import requests\n\nfrom settings import SEGMENT_API\n\n\ndef delete_source(ws, slug):\n"
        '    return requests.delete(f"{SEGMENT_API}/workspaces/{ws}/sources/{slug}")\n'
    )
    monkeypatch.chdir(tmp_path)

    def audit(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["audit", "--no-cache", *args])
        return result.exit_code, result.stdout

    assert audit("--write-baseline", "b.json")[0] == 0
    assert audit("--baseline", "b.json") == (0, "0 findings (3 files read, 2 in the baseline).\n")
    assert audit("--baseline", "b.json", "jobs.py") == (0, "0 findings (1 file read, 1 in the baseline).\n")
    assert audit("--baseline", "b.json", "settings.py") == (0, "0 findings (1 file read, 1 in the baseline).\n")


def test_a_cache_keeps_nothing_that_depends_on_other_files(project: Path) -> None:
    def with_cache() -> list[tuple[str, int, str, str | None]]:
        run = audit_paths([Path("app"), Path("tests")], RULES, cache=project / ".cache")
        return sorted((f.path, f.line, f.rule, f.fix) for f in run.findings)

    first = with_cache()
    assert with_cache() == first == found()
    (project / "app" / "one.py").write_bytes(ONE)  # the others' bytes unchanged: their findings change
    assert with_cache() == found() != first


PAGED = (b'import requests\n\nfrom settings import PAGE_SIZE\n\n\ndef sources():\n'
         b'    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources",'
         b' params={"page_size": PAGE_SIZE})\n')


def test_a_page_size_imported_from_a_module_of_the_run_is_checked_as_the_rewrite_checks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`PAGE_SIZE = 500` in a settings module (no Config text: the scan does
    not keep it) is above the Public maximum: the rewrite marks the call
    that sends it, and the audit lists that marker."""
    (tmp_path / "settings.py").write_bytes(b"PAGE_SIZE = 500\n")
    (tmp_path / "client.py").write_bytes(PAGED)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], RULES, jobs=1)
    assert sorted((f.path, f.line, f.column, f.rule, f.fix) for f in run.findings) == [
        ("client.py", 7, 12, "pagination.params", "rewrite"),
        ("client.py", 7, 25, "endpoint.sources.list", "rewrite"),
        ("client.py", 7, 113, "rewrite.pagination", "manual"),
    ]
    rewrite = driver.run([tmp_path], write=False, jobs=1)
    assert [(m.line, m.rule) for r in rewrite.results for m in r.markers] == [(7, "rewrite.pagination")]


HELD = (
    "import requests\n\nfrom settings import API\n\n\ndef sources():\n"
    '    body = requests.get(f"{API}/workspaces/acme/sources").json()\n'
    '    return body["sources"], body.get("next_page_token")\n\n\n'
    'def mint(email, pw):\n    return requests.post(API + "/access-tokens", auth=(email, pw)).json()\n'
)


def test_an_importer_holding_the_base_is_read_as_linked_as_the_rewrite_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """client.py's only Config text is a path joined to the base it imports:
    the rewrite links it to settings.py, keeps the call on the Config API
    with the token's, and marks the page token read off it as right there
    until the call moves (the list `body["sources"]`, right there too, gets
    no marker); the audit lists it before the rewrite, so that a baseline
    written then still holds after it."""
    (tmp_path / "settings.py").write_text('API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "client.py").write_text(HELD)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], RULES, jobs=1)
    assert [(f.line, f.column, f.rule, f.message) for f in run.findings if f.rule == "rewrite.responses"] == [
        (8, 29, "rewrite.responses",
         "`next_page_token` is read off the response of a call this rewrite leaves on the Config API, where it is"
         " right as it is: when that call moves to the Public API, read the Public field instead"
         " (`data.pagination.next`)"),
    ]

    def audit(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["audit", "--no-cache", *args])
        return result.exit_code, result.stdout

    assert audit("--write-baseline", "../b.json")[0] == 0
    driver.run([tmp_path], jobs=1)
    assert audit("--baseline", "../b.json") == (0, "0 findings (2 files read, 4 in the baseline).\n")


def test_a_path_held_with_an_imported_base_matches_its_slug_entry_after_rewrite_with_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The baseline knows client.py's slug path (`rewrite.slug-ids`); a
    rewrite with the id map keeps it on the Config API with the base it
    imports (a token minted by password holds both) and marks it
    `rewrite.partial-path`. The settings module now holds only a marker
    comment for the base: it is still read as the base's owner, so the
    marker stands for the slug path as it does with the base in client.py."""
    (tmp_path / "settings.py").write_text('API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "client.py").write_text(
        "import requests\n\nfrom settings import API\n\n\ndef get_source(slug):\n"
        '    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n\n\n'
        'def mint(email, pw):\n    return requests.post(API + "/access-tokens", auth=(email, pw)).json()\n'
    )
    monkeypatch.chdir(tmp_path)

    def audit(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["audit", "--no-cache", *args])
        return result.exit_code, result.stdout

    assert audit("--write-baseline", "../b.json")[0] == 0
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    driver.run([tmp_path], jobs=1, ids=ids, lookup_module="segment_ids")
    assert "# migrator[rewrite.partial-path]" in (tmp_path / "client.py").read_text()
    assert audit("--baseline", "../b.json") == (0, "0 findings (2 files read, 3 in the baseline).\n")


def work_tree(folder: Path) -> None:
    """`folder` made the top of a git work tree (a `.git` that is a repository: it has a `HEAD`)."""
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


# another project beside the run's, importing the base in a way that holds it back (an import inside a function)
BESIDE = b'import requests\n\n\ndef go():\n    import app.settings\n    return requests.get(app.settings.BASE + "/workspaces/acme/sources").json()\n'


@pytest.mark.parametrize("named", ["app/settings.py", "app"])
def test_a_run_of_some_files_reads_no_other_project_beside_it(project: Path, named: str) -> None:
    """The working directory holds the run's files and another git work
    tree: a run of some files reads the tree they belong to, not that one."""
    alone = [(f.path, f.line, f.rule, f.fix, f.message) for f in audit_paths([Path(named)], RULES).findings]
    assert ("app/settings.py", 2, "host.base-url", "rewrite") in [f[:4] for f in alone]
    work_tree(project / "other")
    (project / "other" / "app").mkdir()
    (project / "other" / "job.py").write_bytes(BESIDE)
    assert [(f.path, f.line, f.rule, f.fix, f.message) for f in audit_paths([Path(named)], RULES).findings] == alone
    # read as a project of its own, or as part of the tree (no work tree), it holds the base back
    shutil.rmtree(project / "other" / ".git")
    held = [f for f in audit_paths([Path(named)], RULES).findings if f.path == "app/settings.py"]
    assert [(f.line, f.rule, f.fix) for f in held] != [(2, "host.base-url", "rewrite")]
    # a `.git` that is no repository (no `HEAD`) makes no work tree either
    (project / "other" / ".git").mkdir()
    assert [f for f in audit_paths([Path(named)], RULES).findings if f.path == "app/settings.py"] == held


@pytest.mark.parametrize("outside", ["home", "pyproject.toml", "setup.py"])
def test_a_run_outside_git_reads_its_project_not_the_home_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch, outside: str,
) -> None:
    """Outside a git work tree, a run of some files reads the nearest folder
    holding them with a Python project's file, else the working directory;
    never a home folder (nor the file system's root) whole, every project of
    the user: run from there, it reads its own folder."""
    (project / "other").mkdir()
    (project / "other" / "job.py").write_bytes(ONE)  # a slug path: holds the base back, when read

    def settings() -> list[tuple[int, str, str | None]]:
        run = audit_paths([Path("app/settings.py")], RULES)
        return [(f.line, f.rule, f.fix) for f in run.findings if f.path == "app/settings.py"]

    assert settings() == [(2, "rewrite.partial-path", "rewrite-with-ids")]  # the working directory is the project
    if outside == "home":
        monkeypatch.setenv("HOME", str(project))
    else:
        (project / "app" / outside).write_text("")
    assert settings() == [(2, "host.base-url", "rewrite")]


def test_a_run_inside_a_project_beside_others_reads_that_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder holding several work trees, a run of some files of
    one of them reads that work tree, as a run from its top does."""
    work_tree(project)
    (project / "app" / "one.py").write_bytes(ONE)
    inside = [(f.line, f.column, f.rule, f.fix) for f in audit_paths([Path("app/settings.py")], RULES).findings]
    beside = project.parent / "beside"
    work_tree(beside)
    (beside / "job.py").write_bytes(BESIDE)
    monkeypatch.chdir(project.parent)
    above = [(f.line, f.column, f.rule, f.fix)
             for f in audit_paths([Path(project.name, "app/settings.py")], RULES).findings]
    assert above == inside
    assert [r for _, _, r, _ in inside] == ["rewrite.partial-path"]  # one.py, read from the tree, holds it


REEXPORT = b"from app.settings import BASE  # noqa: F401\n"
THROUGH = (b'import requests\nfrom app.reexp import BASE\n\n\ndef go(ws):\n'
           b'    return requests.get(f"{BASE}/workspaces/{ws}/sources").json()["sources"]\n')
# a script of its own base, which no file of the run imports
UNRELATED = (b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\ndef workspaces():\n'
             b'    return requests.get(BASE + "/workspaces").json()\n')


def test_a_run_of_some_files_follows_a_re_export_and_leaves_unrelated_names(project: Path) -> None:
    from migrator.audit.parallel import auditor_for
    from migrator.audit.shared import _tree_context
    from migrator.audit.walk import Walk

    (project / "app" / "reexp.py").write_bytes(REEXPORT)
    (project / "app" / "user.py").write_bytes(THROUGH)  # names the module it takes BASE from, not the settings
    (project / "tools").mkdir()
    (project / "tools" / "scale.py").write_bytes(UNRELATED)
    whole = audit_paths([Path(".")], RULES).findings
    assert any(f.path == "app/user.py" for f in whole)
    for path in ("app/settings.py", "app/reexp.py", "app/user.py", "app/client.py"):
        alone = audit_paths([Path(path)], RULES).findings
        assert [(f.line, f.column, f.rule, f.fingerprint) for f in alone] == [
            (f.line, f.column, f.rule, f.fingerprint) for f in whole if f.path == path
        ], path
    context = _tree_context(["app/settings.py"], lambda: Walk().files([Path(".")]), auditor_for(RULES, True, None),
                            1 << 20)
    # what the scan keeps (reexp.py has no Config text) of the files that may take part: not tools/scale.py
    assert sorted(r.path for r in context) == ["app/client.py", "app/user.py", "tests/test_client.py"]


def test_a_run_below_the_top_of_the_work_tree_says_what_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Imports from above the working directory are not followed: the run
    says so, and names the top to run from."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "settings.py").write_text('SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "jobs.py").write_text(
        "import requests\n\nfrom settings import SEGMENT_API\n\n\ndef sources():\n"
        '    return requests.get(f"{SEGMENT_API}/workspaces/acme/sources").json()["sources"]\n'
    )
    monkeypatch.chdir(tmp_path / "app")
    assert audit_paths([Path("jobs.py")], RULES).notes == [(
        "jobs.py", "imports `settings` from above the working directory, which is not read: run from the top of "
        f"the repository ({tmp_path}) for what a run of it says of this file"
    )]
    (tmp_path / "settings.py").rename(tmp_path / "app" / "settings.py")  # found in the working directory
    assert audit_paths([Path("jobs.py")], RULES).notes == []
    (tmp_path / "app" / "settings.py").rename(tmp_path / "settings.py")
    monkeypatch.chdir(tmp_path)
    assert audit_paths([Path("app/jobs.py")], RULES).notes == []


JOBS = b'''import requests

from settings import SEGMENT_API


def token(email, pw):
    return requests.post(f"{SEGMENT_API}/access-tokens", auth=(email, pw)).json()


def workspaces():
    return requests.get(SEGMENT_API + "/workspaces").json()


def catalog():
    return requests.get(f"{SEGMENT_API}/catalog/sources").json()["sources"]
'''
BASE_ONLY = b'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n'


@pytest.fixture()
def joined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Paths with neither `workspaces/` nor `v1beta` joined to an imported base."""
    (tmp_path / "settings.py").write_bytes(BASE_ONLY)
    (tmp_path / "jobs.py").write_bytes(JOBS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _all(paths: list[str], precise: bool) -> list[tuple[str, int, int, str, str | None]]:
    run = audit_paths([Path(p) for p in paths], RULES, precise=precise)
    return sorted((f.path, f.line, f.column, f.rule, f.fix) for f in run.findings)


@pytest.mark.parametrize("paths", [["."], ["jobs.py"]])
def test_paths_joined_to_an_imported_base_are_read_as_the_rewrite_reads_them(joined: Path, paths: list[str]) -> None:
    # the token keeps the base on the Config API, with every path joined to it
    kept = [
        ("jobs.py", 7, 26, "endpoint.access-tokens.create", "manual"),
        ("jobs.py", 11, 25, "rewrite.partial-path", "manual"),
        ("jobs.py", 15, 25, "rewrite.partial-path", "manual"),  # its list, read off it, is right as it is
    ]
    base = [("settings.py", 1, 15, "rewrite.partial-path", "manual")]
    assert _all(paths, True) == (kept + base if paths == ["."] else kept)
    # the text scanner reads them as joined to the version prefix
    text = [
        ("jobs.py", 7, 26, "endpoint.access-tokens.create", None),
        ("jobs.py", 7, 58, "audit.token-by-password", None),
        ("jobs.py", 11, 25, "endpoint.workspaces.list", None),
        ("jobs.py", 15, 25, "endpoint.catalog.sources.list", None),
    ]
    base = [("settings.py", 1, 16, "host.base-url", None)]
    assert _all(paths, False) == (text + base if paths == ["."] else text)


def test_a_catalog_path_joined_to_an_imported_base_is_fixable_by_rewrite(joined: Path) -> None:
    (joined / "jobs.py").write_bytes(JOBS[: JOBS.index(b"def token")] + JOBS[JOBS.index(b"def catalog"):])
    assert _all(["."], True) == [
        ("jobs.py", 7, 12, "envelope.list", "rewrite"),
        ("jobs.py", 7, 12, "pagination.params", "rewrite"),
        ("settings.py", 1, 15, "host.base-url", "rewrite"),
    ]
    driver.run([joined], force=True, jobs=1)
    assert [f for f in _all(["."], True) if f[4] == "rewrite"] == []


def test_a_name_no_module_binds_to_a_config_base_is_no_finding(joined: Path) -> None:
    (joined / "settings.py").write_bytes(b'SEGMENT_API = "https://api.example.com/v1beta"\n')
    assert _all(["."], True) == _all(["."], False) == []


def test_stats_count_the_files_the_codemod_reads_after_the_scan(joined: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "--no-cache", "--stats", "."])
    assert result.output.endswith("Python files read by the codemod: 2 (0 of them from its cache)\n")



@pytest.mark.parametrize("paths", [["."], ["jobs.py"]])
def test_paths_joined_to_a_base_read_off_its_module_are_read_as_when_it_is_imported(
    joined: Path, paths: list[str],
) -> None:
    # `settings.SEGMENT_API`, the module imported whole, as `SEGMENT_API` imported by name: the same
    # findings (only the `auth=(` after the join is `len("settings.")` further right)
    by_name = {precise: _all(paths, precise) for precise in (True, False)}
    whole = JOBS.replace(b"from settings import SEGMENT_API", b"import settings").replace(
        b"SEGMENT_API", b"settings.SEGMENT_API")
    (joined / "jobs.py").write_bytes(whole)
    for precise, found in by_name.items():
        shifted = [(p, line, column + 9 * (rule == "audit.token-by-password"), rule, fix)
                   for p, line, column, rule, fix in found]
        assert _all(paths, precise) == shifted


# --- generated files: `migrator rewrite` leaves them alone ----------------------------------------------------

GENERATED_CLIENT = (b"# Code generated by apigen. DO NOT EDIT.\nimport requests\nfrom settings import SEGMENT_API\n\n\n"
                    b"def list_sources():\n"
                    b'    return requests.get(SEGMENT_API + "/workspaces/acme/sources").json()["sources"]\n')
ROLES = (b"import requests\nfrom settings import SEGMENT_API\n\n\ndef roles():\n"
         b'    return requests.get(SEGMENT_API + "/workspaces/acme/roles").json()["roles"]\n')
NOT_REWRITTEN = "generated file (# Code generated by apigen. DO NOT EDIT.): not rewritten; migrate its generator instead"


@pytest.fixture()
def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {"settings.py": b'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n',
             "client_gen.py": GENERATED_CLIENT, "other.py": ROLES}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_generated_file_needs_a_person_and_holds_what_it_imports_as_the_rewrite_says(generated: Path) -> None:
    run = audit_paths([Path(".")], RULES)
    assert sorted((f.path, f.line, f.rule, f.fix, f.marker) for f in run.findings) == [
        ("client_gen.py", 7, "endpoint.sources.list", "manual", False),
        ("other.py", 6, "rewrite.partial-path", "manual", True),  # its list `roles` stays right with it
        ("settings.py", 1, "rewrite.partial-path", "manual", True),
    ]
    (mine,) = [f for f in run.findings if f.path == "client_gen.py"]
    assert mine.message == ("`GET /v1beta/workspaces/{workspace}/sources` is `GET /sources` in the Public API; "
                            + NOT_REWRITTEN)
    # the audit's markers are those the rewrite writes, and it leaves the generated file as it is
    outcome = driver.run([generated], write=False, jobs=1)
    written = sorted((Path(r.path).name, m.line, m.rule, m.reason) for r in outcome.results for m in r.markers)
    said = sorted((f.path, f.line, f.rule, f.message) for f in run.findings if f.marker)
    assert written == said
    assert {Path(r.path).name: r.notes for r in outcome.results}["client_gen.py"] == (NOT_REWRITTEN,)


def test_a_lone_generated_file_needs_a_person(generated: Path) -> None:
    (generated / "lone_gen.py").write_bytes(
        b"# Code generated by apigen. DO NOT EDIT.\nimport requests\n\n\n"
        b'def roles():\n    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/roles")\n')
    run = audit_paths([Path("lone_gen.py")], RULES)
    assert sorted((f.line, f.rule, f.fix) for f in run.findings) == [
        (6, "endpoint.roles.list", "manual"), (6, "host.base-url", "manual"),
    ]
    assert all(f.message.endswith(NOT_REWRITTEN) for f in run.findings)


def test_a_generated_file_linked_to_a_client_needs_a_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated module reading what a Segment client returns is left
    alone by the rewrite, so its reads are not `migrator rewrite`'s changes."""
    (tmp_path / "client.py").write_bytes(
        b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\ndef sources(ws):\n'
        b'    return requests.get(f"{BASE}/workspaces/{ws}/sources").json()["sources"]\n')
    (tmp_path / "labels_gen.py").write_bytes(
        b"# Code generated by apigen. DO NOT EDIT.\nfrom client import sources\n\n\n"
        b'def labels(ws):\n    return [s["display_name"] for s in sources(ws)]\n')
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], RULES)
    assert [(f.line, f.column, f.rule, f.fix, f.message) for f in run.findings if f.path == "labels_gen.py"] == [
        (6, 16, "audit.config-field", "manual",
         "Config field `display_name` is `name` in the Public API (`displayName` for a function) (this file "
         "imports `client.py`, which uses a Segment API); " + NOT_REWRITTEN),
    ]
    outcome = driver.run([tmp_path], write=False, jobs=1)
    assert {Path(r.path).name: r.status for r in outcome.results}["labels_gen.py"] == "skipped"


def test_an_unused_base_no_module_imports_is_worded_as_the_rewrite_words_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test module's unused Config base, which no module of the run
    imports: the audit repeats the rewrite's marker, which says so."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_bytes(
        b'import httpx\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
        b"def test_nothing():\n    assert httpx\n")
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], RULES, jobs=1)
    said = [(f.path, f.line, f.rule, f.message) for f in run.findings if f.marker]
    outcome = driver.run([tmp_path], write=False, jobs=1)
    written = [(Path(r.path).relative_to(tmp_path).as_posix(), m.line, m.rule, m.reason)
               for r in outcome.results for m in r.markers]
    assert said == written == [(
        "tests/test_client.py", 3, "rewrite.partial-path",
        "Config API base URL that this file does not use, and that no module of this run imports: remove it if "
        "nothing uses it; if a module outside this run imports it, rewrite them in one run, or migrate it and the "
        "paths that module joins to it together, by hand",
    )]
