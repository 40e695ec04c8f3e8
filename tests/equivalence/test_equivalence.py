"""Behavioural equivalence of `migrator rewrite` (issue 5, "How it is tested").

Each corpus script runs as it is against the Config face of a fresh fake
Segment; its rewrite (`rewrite_bytes` with the fake's id map and the
generated lookup module) runs against the Public face of another fresh fake
with a Public API token. Their stdout must be identical. Scripts with no
Public counterpart must come out marked and still parse; they are not run.

The two lists below are the whole expectation. When a rewrite slice lands,
the scripts it fixes start passing and their strict xfail fails: delete
their entries.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.equivalence.runner import (
    CORPUS,
    LOOKUP_MODULE,
    REROUTE,
    Rewritten,
    Run,
    codemod_available,
    corpus_scripts,
    rewrite,
    run_script,
    seed_id_map,
)
from tests.equivalence.zygote import Zygote

# Scripts the rewrite must mark rather than migrate: calls with no Public counterpart, a URL
# whose parts it cannot prove to migrate together, or reads the Public API answers in another call.
UNMIGRATABLE: dict[str, str] = {
    "access_token_mint.py": "mints a token with POST /v1beta/access-tokens (tokens are made in the app)",
    "oauth_install_token.py": "refreshes an Enable-with-Segment install token (no OAuth apps)",
    "delivery_metrics.py": "reads event delivery time series (…/metrics, …/metrics/{metric})",
    "source_regulation_urljoin.py": "its base URL comes from configuration text (the INI api_url, line 12): "
    "host-less paths joined to a base the file does not show are marked, not migrated",
    "catalog_lookup.py": "asks for a catalog slug the id map does not know (line 18, the 404 case): that path "
    "is marked, so BASE (line 7) and the paths joined to it stay on the Config API with it",
    "tracking_plan_create.py": "creates a plan with its rules and prints them: a Public plan holds no rules "
    "(a second call, PUT then GET /tracking-plans/{id}/rules, with the new plan's id); the create body "
    "(line 29) and the reads of `rules` (lines 35, 37) are marked",
    "tracking_plan_update.py": "prints a plan's event rules read off the plan (line 14): in the Public API they "
    "come from another call (GET /tracking-plans/{id}/rules, rules by type); that read is marked",
    "destination_filters.py": "prints the action types of the filter it created (line 30): the values differ "
    "(Config `whitelist_fields`, Public `ALLOW_PROPERTIES`), so that read is marked; the rest migrates",
    "retry_helper.py": "asks for source `old-blog`, which the id map does not have (line 37, the 404 case): that "
    "path is marked, so SEGMENT_URL (line 9) and the catalog path (line 43) joined to it stay on the Config API",
    "sorted_gathered.py": "sorts destinations gathered from two sources by their Config name (line 24), which "
    "groups them by source; the Public slug does not, so that sort key is marked (each source's own list, sorted "
    "the same way on line 23, migrates)",
    "source_gone.py": "asks for source `old-blog` through a slug held in a parameter (line 12): the generated "
    "lookup raises LookupError for it before the request, so the 404 case (line 13) is not reached; the call is "
    "marked",
    "filter_in_place.py": "writes the filtered list back under the Config key (line 13): renaming the reads of "
    "`sources` alone would read the unfiltered Public list, so they are marked (lines 13, 19), as is the test of "
    "the document's keys with `in` (line 21)",
}

# Scripts that cannot be equivalent until later work lands (strict xfail, with the reason).
PENDING: dict[str, str] = {}

SCRIPTS = [p.name for p in corpus_scripts()]
MIGRATABLE = [s for s in SCRIPTS if s not in UNMIGRATABLE]
WORKERS = (os.cpu_count() or 1) + 1
# Runs fork from a pre-warmed interpreter (see zygote.py); set this to start each in a new one.
FRESH_INTERPRETERS = os.environ.get("EQUIVALENCE_FRESH_INTERPRETERS") == "1" or not hasattr(os, "fork")


def _params(names: list[str]) -> list[object]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=PENDING[n])) if n in PENDING else n
        for n in names
    ]


# --- one fake + subprocess per run, many runs at once ----------------------------------------


class Outcomes:
    """Runs and rewrites per script, computed once per session, in parallel."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.ids = seed_id_map()
        self._zygote = None
        if not FRESH_INTERPRETERS:
            (workdir / "zygote").mkdir()
            self._zygote = Zygote(str(REROUTE), workdir / "zygote")
        self._config: dict[str, list[Future[Run]]] = {}
        self._rewritten: dict[str, Rewritten | Exception] = {}
        self._public: dict[str, Future[Run]] = {}
        self._pool = ThreadPoolExecutor(WORKERS)

    def prefetch(self, names: set[str], *, rewrites: bool) -> None:
        for name in sorted(names):
            self._config_runs(name)
        if rewrites:
            for name in sorted(names):
                if name not in UNMIGRATABLE:
                    self._public_run(name)

    def config_runs(self, name: str) -> tuple[Run, Run]:
        first, second = self._config_runs(name)
        return first.result(), second.result()

    def rewritten(self, name: str) -> Rewritten:
        if name not in self._rewritten:
            try:
                self._rewritten[name] = rewrite((CORPUS / name).read_bytes(), self.ids)
            except Exception as exc:  # reported by the test that needs it
                self._rewritten[name] = exc
        found = self._rewritten[name]
        if isinstance(found, Exception):
            raise found
        return found

    def public_run(self, name: str) -> Run:
        return self._public_run(name).result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        if self._zygote is not None:
            self._zygote.close()

    def _config_runs(self, name: str) -> list[Future[Run]]:
        if name not in self._config:
            path = CORPUS / name
            self._config[name] = [
                self._pool.submit(run_script, path, "config", zygote=self._zygote) for _ in range(2)
            ]
        return self._config[name]

    def _public_run(self, name: str) -> Future[Run]:
        if name not in self._public:
            try:
                result = self.rewritten(name)
            except Exception as exc:
                failed: Future[Run] = Future()
                failed.set_exception(exc)
                self._public[name] = failed
                return failed
            folder = self.workdir / Path(name).stem
            folder.mkdir(parents=True, exist_ok=True)
            script = folder / name
            script.write_bytes(result.code)
            if result.lookup_module is not None:
                (folder / f"{LOOKUP_MODULE}.py").write_text(result.lookup_module, encoding="utf-8")
            self._public[name] = self._pool.submit(run_script, script, "public", zygote=self._zygote)
        return self._public[name]


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    found = Outcomes(tmp_path_factory.mktemp("rewritten"))
    selected = {
        item.callspec.params["script"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec") and "script" in item.callspec.params
    }
    found.prefetch(selected, rewrites=codemod_available() is None)
    yield found
    found.close()


def _needs_codemod() -> None:
    reason = codemod_available()
    if reason:
        pytest.skip(reason)


# --- the lists ----------------------------------------------------------------------------------


def test_corpus_and_lists_agree() -> None:
    assert len(SCRIPTS) >= 20
    assert set(UNMIGRATABLE) <= set(SCRIPTS), set(UNMIGRATABLE) - set(SCRIPTS)
    assert set(PENDING) <= set(MIGRATABLE), set(PENDING) - set(MIGRATABLE)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert [s for s in SCRIPTS if f"`{s}`" not in readme] == [], "describe every script in corpus/README.md"


def test_the_counts_in_rewrite_md_are_the_corpus_and_lists() -> None:
    doc = " ".join((CORPUS.parents[2] / "docs" / "rewrite.md").read_text(encoding="utf-8").split())
    found = re.search(r"(\d+) legacy scripts in the styles of the survey .*?: (\d+) print exactly the same; "
                      r"(\d+) come out marked", doc)
    assert found is not None, "docs/rewrite.md no longer counts the corpus: update this test"
    assert tuple(map(int, found.groups())) == (len(SCRIPTS), len(MIGRATABLE), len(UNMIGRATABLE))


# --- the corpus against the Config face -------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_config_run_is_stable_and_nontrivial(outcomes: Outcomes, script: str) -> None:
    first, second = outcomes.config_runs(script)
    assert first.returncode == 0, first.describe()
    assert first.stderr == "", first.describe()
    lines = [line for line in first.stdout.splitlines() if line.strip()]
    assert len(lines) >= 2 and len(first.stdout) >= 40, f"output too thin to compare:\n{first.stdout}"
    assert second.stdout == first.stdout, "output differs between two runs on a fresh fake"
    strays = [s for s in first.seen if s.face != "config" or not s.routed or s.status == 401]
    assert strays == [], f"requests that missed the Config API:\n{first.describe()}"


# --- the rewrite ---------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_rewrite_parses_and_is_idempotent(outcomes: Outcomes, script: str) -> None:
    _needs_codemod()
    result = outcomes.rewritten(script)
    ast.parse(result.code)
    if result.lookup_module is not None:
        ast.parse(result.lookup_module)
    again = rewrite(result.code, outcomes.ids)
    assert again.code == result.code, "a second rewrite changed the code again"


@pytest.mark.parametrize("script", sorted(UNMIGRATABLE))
def test_unmigratable_is_marked(outcomes: Outcomes, script: str) -> None:
    _needs_codemod()
    result = outcomes.rewritten(script)
    assert result.markers, f"{script} {UNMIGRATABLE[script]}: the rewrite must mark it"
    assert b"# migrator[" in result.code


@pytest.mark.parametrize("script", _params(MIGRATABLE))
def test_equivalent(outcomes: Outcomes, script: str) -> None:
    _needs_codemod()
    expected, _ = outcomes.config_runs(script)
    assert expected.returncode == 0, "the script fails against the Config API already"
    result = outcomes.rewritten(script)
    got = outcomes.public_run(script)
    markers = "".join(f"\n  line {m.line}: [{m.rule}] {m.reason}" for m in result.markers)
    diff = "".join(difflib.unified_diff(
        expected.stdout.splitlines(True), got.stdout.splitlines(True), "Config API", "Public API (rewritten)"))
    report = f"markers:{markers or ' none'}\n{diff}\n{got.describe()}"
    assert got.returncode == 0 and got.stdout == expected.stdout, report
    config_calls = [s for s in got.seen if s.face != "public"]
    assert config_calls == [], f"the rewritten script still calls the Config API\n{report}"
