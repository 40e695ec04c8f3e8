"""After `migrator rewrite`, the audit is the to-do list: on each rewrite
fixture's output it finds nothing the rewrite would still change, and,
where the fixture ran with an id map and a lookup module, nothing an id map
would fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import load_rules
from migrator.markers import IDS_ADVICE
from tests.rewrite.test_slugs_unreached import APP

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "expected.py").is_file())
RULES = load_rules()


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    found = Auditor(RULES)
    assert found.codemod is not None
    return found


@pytest.mark.parametrize("case", CASES)
def test_nothing_left_for_the_rewrite(auditor: Auditor, case: str) -> None:
    options = ROOT / case / "options.json"
    given = json.loads(options.read_text(encoding="utf-8")) if options.is_file() else {}
    with_ids = "ids" in given and "lookup_module" in given  # all an id map can do
    result = auditor.scan(f"{case}.py", (ROOT / case / "expected.py").read_bytes())
    left = [
        (f.line, f.rule, f.fix) for f in result.findings
        if f.fix == "rewrite" or (with_ids and f.fix == "rewrite-with-ids")
    ]
    assert left == []


@pytest.mark.parametrize(
    ("case", "fix"),
    [
        ("slugs_lookup", "rewrite-with-ids"),  # literal slugs and slugs in variables: an id map fixes them
        ("paths-call-templates-marked", "manual"),  # the slug is filled in elsewhere: a person passes the id there
    ],
)
def test_slug_markers_say_whether_an_id_map_fixes_them(auditor: Auditor, case: str, fix: str) -> None:
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    fixes = {f.fix for f in result.findings if f.rule == "rewrite.slug-ids"}
    assert fixes == {fix}


def test_markers_a_rewrite_without_ids_left_are_fixable_with_ids(auditor: Auditor) -> None:
    from migrator.rewrite import rewrite_bytes

    rewritten = rewrite_bytes((ROOT / "slugs_lookup" / "input.py").read_bytes(), RULES).code
    markers = [f for f in auditor.scan("slugs_lookup.py", rewritten).findings if f.rule == "rewrite.slug-ids"]
    assert len(markers) == 6 and {(f.kind, f.fix) for f in markers} == {("marker", "rewrite-with-ids")}


def test_the_precise_audit_names_the_fixed_query_of_a_marked_tracking_plan_list(auditor: Auditor) -> None:
    # the marker's text is the finding's: a person working from the to-do list keeps `type=LIVE`
    case = "pagination-fixed-query-marked"
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    said = [(f.line, f.rule) for f in result.findings if f.marker and f.message.endswith(
        "; the Public call must also send `type=LIVE` (the fixed query of `GET /tracking-plans`)"
    )]
    # (line 20's unknown `display_name` is marked alone: its page size and `type=LIVE` are written in)
    assert said == [(12, "rewrite.pagination"), (16, "rewrite.pagination"), (26, "rewrite.pagination")]


def test_the_precise_audit_marks_the_reads_and_page_parameters_of_helper_calls_with_star_arguments(
    auditor: Auditor,
) -> None:
    # `get(url, **extra)["sources"]`: the path moves, so the read moves too (or is marked), never neither
    case = "responses-star-url-unfollowed"
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    said = sorted((f.line, f.rule) for f in result.findings if f.marker)
    assert said == [(20, "rewrite.pagination"), (20, "rewrite.responses"),
                    (24, "rewrite.pagination"), (24, "rewrite.responses")]
    case = "pagination-helper-star-args"
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    reads = sorted(f.line for f in result.findings if f.rule == "envelope.list")
    hidden = sorted(f.line for f in result.findings if f.marker and "rename `page_size` to `pagination.count`" in f.message)
    assert (reads, hidden) == ([19, 23, 27, 31, 35], [19, 23, 27, 35])


def test_the_precise_audit_reports_what_the_rewrite_does_to_streams_and_built_requests_of_a_base_url_client(
    auditor: Auditor,
) -> None:
    # `client.stream("GET", "/catalog/sources")` on `httpx.Client(base_url=API)`: the page size and the list
    # key are the audit's to-do as they are the rewrite's, in the async form and through `.send` too
    case = "httpx-client-stream"
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    said = sorted((f.line, f.rule, f.fix) for f in result.findings)
    assert said == [
        (3, "host.base-url", "rewrite"),
        (8, "pagination.params", "rewrite"), (10, "envelope.list", "rewrite"),
        (15, "pagination.params", "rewrite"), (17, "envelope.list", "rewrite"),
        (22, "pagination.params", "rewrite"), (23, "envelope.list", "rewrite"),
        (28, "pagination.params", "rewrite"), (29, "envelope.list", "rewrite"),
        (42, "envelope.list", "rewrite"), (42, "rewrite.pagination", "manual"),
    ]
    case = "httpx-client-stream-held"
    result = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes())
    said = sorted((f.line, f.rule, f.fix) for f in result.findings)
    assert said == [(3, "rewrite.partial-path", "manual"), (8, "rewrite.partial-path", "manual"),
                    (15, "rewrite.partial-path", "manual")]


TOKENS = b'''import requests


def mint_token(email, password):
    resp = requests.post("https://platform.segmentapis.com/v1beta/access-tokens", auth=(email, password))
    return resp.json()["token"]
'''


def test_a_marker_comment_is_one_finding_with_the_fingerprint_it_had_before_the_rewrite(auditor: Auditor) -> None:
    from migrator.rewrite import rewrite_bytes

    before = auditor.scan("tokens.py", TOKENS).findings
    after = auditor.scan("tokens.py", rewrite_bytes(TOKENS, RULES).code).findings
    # the host and the password on the marked line are that marker's to-do, not findings of their own
    assert [(f.rule, f.kind) for f in after] == [("endpoint.access-tokens.create", "marker")]
    # a baseline written before the rewrite still holds it
    assert {f.fingerprint for f in after} <= {f.fingerprint for f in before}



STACKED = b'''import requests

BASE_URL = "https://platform.segmentapis.com/v1beta/"


def suppress(workspace, body):
    return requests.post(f"{BASE_URL}workspaces/{workspace}/regulations", json=body).json()["regulate_id"]


def source(workspace, slug):
    return requests.get(BASE_URL + "workspaces/" + workspace + "/sources/" + slug).json()
'''
# What a rewrite of it leaves: two markers above the same line.
STACKED_MARKED = STACKED.replace(
    b"    return requests.post(",
    b"    # migrator[rewrite.partial-path]: left on the Config API with the URL part it is joined to\n"
    b"    # migrator[rewrite.responses]: `regulate_id` looks like a Config API field (`regulateId`)\n"
    b"    return requests.post(",
)


def test_markers_stacked_above_one_line_all_point_at_it(auditor: Auditor) -> None:
    """Each of two markers above one code line is that line's to-do (the
    code line gives no finding of its own), fingerprinted by that line."""
    before = auditor.scan("client.py", STACKED).findings
    after = auditor.scan("client.py", STACKED_MARKED).findings
    assert [(f.line, f.rule, f.kind) for f in after if 7 <= f.line <= 9] == [
        (7, "rewrite.partial-path", "marker"),
        (8, "rewrite.responses", "marker"),
    ]
    assert {f.fingerprint for f in after} <= {f.fingerprint for f in before}


SPREAD = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def source(slug):
    resp = requests.get(
        f"{BASE}/workspaces/acme/sources/{slug}",
        timeout=10,
    )
    return resp.json()
'''


def test_a_marker_above_a_statement_spread_over_lines_stands_for_the_codemods_own(auditor: Auditor) -> None:
    """The codemod marks the URL's line; its comment goes above the call's
    first line. After the rewrite the comment is the one finding, tagged as
    the codemod tags its marker (an id map fixes it)."""
    from migrator.rewrite import rewrite_bytes

    before = auditor.scan("client.py", SPREAD).findings
    rewritten = rewrite_bytes(SPREAD, RULES).code
    after = auditor.scan("client.py", rewritten).findings
    slug = [(f.line, f.kind, f.fix) for f in after if f.rule == "rewrite.slug-ids"]
    assert slug == [(8, "marker", "rewrite-with-ids")]  # before: the comment (manual) and the codemod's, line 10
    assert [f.line for f in before if f.rule == "rewrite.slug-ids"] == [8]
    assert {f.said_print for f in after if f.said_print} <= {f.said_print for f in before}


EDITED = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def show():
    for source in requests.get(f"{BASE}/workspaces/acme/sources", params={"page_size": 10}).json()["sources"]:
        print(source["name"], source["write_keys"][0])
'''


def test_a_baseline_written_before_a_rewrite_holds_its_markers_on_lines_it_edited(
    auditor: Auditor,
) -> None:
    """The rewrite migrates part of a line and marks the rest: the line's
    text changed, what the marker says did not."""
    from migrator.audit import baseline
    from migrator.rewrite import rewrite_bytes

    before = auditor.scan("show.py", EDITED).findings
    rewritten = rewrite_bytes(EDITED, RULES).code
    assert b'source["writeKeys"]' in rewritten and b"# migrator[rewrite.responses]" in rewritten
    after = auditor.scan("show.py", rewritten).findings
    markers = [f for f in after if f.kind == "marker"]
    assert markers and {f.fingerprint for f in markers}.isdisjoint({f.fingerprint for f in before})
    recorded = [(f.fingerprint, f.said_print) if f.said_print else (f.fingerprint,) for f in before]
    fresh, known = baseline.new_findings(after, recorded)
    assert (fresh, known) == ([], len(after))


HELD_TOGETHER = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def source(slug):
    return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()


def anything(path):
    return requests.get(f"{BASE}/workspaces/acme/{path}").json()
'''


@pytest.mark.parametrize(("with_other", "fix"), [(False, "rewrite-with-ids"), (True, "manual")])
def test_an_id_marker_kept_with_a_path_a_person_must_fix_needs_a_person(
    auditor: Auditor, with_other: bool, fix: str,
) -> None:
    """The two paths share the base: while the second is left to a person,
    the base stays on the Config API, and with it the first, ids or not."""
    source = HELD_TOGETHER if with_other else HELD_TOGETHER.split(b"\n\n\ndef anything")[0] + b"\n"
    found = auditor.scan("client.py", source).findings
    assert [(f.line, f.fix) for f in found if f.rule == "rewrite.slug-ids"] == [(7, fix)]


SETTINGS = b'''import os

SEGMENT_API = os.environ.get("SEGMENT_API", "https://platform.segmentapis.com/v1beta")
WORKSPACE = os.environ["SEGMENT_WORKSPACE"]
'''
CLIENT = b'''import requests

from pkg.settings import SEGMENT_API, WORKSPACE


def get_source(slug):
    return requests.get(f"{SEGMENT_API}/workspaces/{WORKSPACE}/sources/{slug}").json()


def disable(source, dest):
    return requests.patch(
        "{}/workspaces/{}/sources/{}/destinations/{}".format(SEGMENT_API, WORKSPACE, source, dest),
        json={"destination": {"enabled": False}},
    )
'''


def test_markers_a_run_left_stand_for_what_the_audit_reported_there_and_keep_the_baseline(tmp_path: Path) -> None:
    """The base comes from a settings module: the rewrite of the run marks
    the paths `rewrite.partial-path` where the audit reported them so too
    (the codemod reads a host-less path joined to an unseen base), with their
    endpoint rows (on the statement's first line, or on a line of it below).
    After the rewrite each marker is one finding that stands for those, and
    a baseline written before still holds them all."""
    from migrator.audit import baseline
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    for name, data in {"pkg/__init__.py": b"", "pkg/settings.py": SETTINGS, "pkg/client.py": CLIENT}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    before = audit_paths([tmp_path], RULES, jobs=1).findings
    assert [(Path(f.path).name, f.line, f.rule) for f in before] == [
        ("client.py", 7, "rewrite.partial-path"), ("client.py", 12, "rewrite.partial-path"),
        ("settings.py", 3, "host.base-url")]
    rewritten = driver.run([tmp_path], force=True, jobs=1)
    assert sorted(m.rule for r in rewritten.results for m in r.markers) == [
        "host.base-url", "rewrite.partial-path", "rewrite.partial-path"]
    after = audit_paths([tmp_path], RULES, jobs=1).findings
    assert [(Path(f.path).name, f.line, f.rule, f.stands_for) for f in after] == [
        ("client.py", 7, "rewrite.partial-path", (("endpoint.sources.get", 8),)),
        ("client.py", 12, "rewrite.partial-path", (("rewrite.partial-path", 14), ("endpoint.destinations.update", 14))),
        ("settings.py", 3, "host.base-url", (("host.base-url", 4),))]
    recorded = json.loads(baseline.dump(before))["findings"]
    fresh, known = baseline.new_findings(after, [tuple(e.get(k) for k in ("fingerprint", "said", "about") if e.get(k))
                                                 for e in recorded])
    assert (fresh, known) == ([], 3)


MARKED_BY_A_RUN = b'''import requests

from pkg.settings import SEGMENT_API, WORKSPACE


def disable(source, dest):
    # migrator[rewrite.partial-path]: Config API path joined to a base URL this file does not show
    return requests.patch(
        "{}/workspaces/{}/sources/{}/destinations/{}".format(SEGMENT_API, WORKSPACE, source, dest),
        json={"destination": {"enabled": False}},
    )
'''


def test_a_marker_comment_stands_for_what_the_scanner_sees_in_the_statement_it_points_at(auditor: Auditor) -> None:
    from migrator.audit import baseline

    original = MARKED_BY_A_RUN.replace(MARKED_BY_A_RUN.splitlines(keepends=True)[6], b"")
    before = auditor.scan("client.py", original).findings
    assert [(f.line, f.rule) for f in before] == [(8, "rewrite.partial-path")]
    after = auditor.scan("client.py", MARKED_BY_A_RUN).findings
    assert [(f.line, f.rule, f.stands_for, f.also) for f in after] == [
        (7, "rewrite.partial-path", (("rewrite.partial-path", 9), ("endpoint.destinations.update", 9)),
         ("endpoint.destinations.update", "rewrite.partial-path"))]
    assert baseline.new_findings(after, [(f.fingerprint,) for f in before]) == ([], 1)


def test_a_marker_comment_is_as_grave_as_its_row_and_stands_for_its_statement_without_the_codemod(
    auditor: Auditor,
) -> None:
    """Minting a token has no Public counterpart: an error, found as a path
    or as the marker a rewrite left, read precisely or as text."""
    minted = (b"import requests\n\n"
              b"TOKEN = requests.post(\n    'https://platform.segmentapis.com/v1beta/access-tokens', auth=('a', 'b'))\n")
    marked = minted.replace(b"TOKEN", b"# migrator[endpoint.access-tokens.create]: create a Public API token in the "
                            b"Segment app (Settings > Workspace settings > Access Management > Tokens) and read it "
                            b"from the environment\nTOKEN")
    text = Auditor(RULES, codemod=None)
    for scanner in (auditor, text):
        before = {(f.rule, f.severity) for f in scanner.scan("t.py", minted).findings}
        assert ("endpoint.access-tokens.create", "error") in before
        [after] = scanner.scan("t.py", marked).findings
        assert (after.rule, after.severity, after.line) == ("endpoint.access-tokens.create", "error", 3)
        assert {rule for rule, _ in after.stands_for} >= {"endpoint.access-tokens.create", "host.base-url"}


def test_a_marker_comment_stands_for_a_piece_of_a_config_path_below_it(auditor: Auditor) -> None:
    """A path built from pieces (`plan_url + "/source-connections"`) is
    what the marker above its call is about: pattern rows marked
    `path_piece` in rules/audit.toml count as paths there."""
    source = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta/"


def connect(plan_url, source):
    # migrator[rewrite.partial-path]: the path is built from pieces here: rebuild it as a Public API path
    return requests.post(
        plan_url + "/source-connections",
        json={"source_name": source},
    )
'''
    for scanner in (auditor, Auditor(RULES, codemod=None)):
        found = [f for f in scanner.scan("plans.py", source).findings if f.line > 3]
        assert [(f.line, f.rule, f.stands_for) for f in found] == [
            (7, "rewrite.partial-path", (("audit.config-path-piece", 9),)),
            (10, "source-connection.fields", ()),
        ]


def test_another_request_in_the_statement_a_marker_points_at_is_reported_apart(auditor: Auditor) -> None:
    """The marker stands for the URL of its call, not for a second call in
    the same statement (a hook that deletes a tracking plan)."""
    source = b'''import requests


def get_source(slug):
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`: rewrite with an id map and the generated lookup module, or pass the id
    return requests.get(
        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/" + slug,
        hooks={"response": lambda r, *a: requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/old")},
    ).json()
'''
    for scanner, second in ((auditor, ["rewrite.slug-ids"]), (Auditor(RULES, codemod=None),
                                                             ["host.base-url", "endpoint.tracking-plans.delete"])):
        found = scanner.scan("client.py", source).findings
        assert [(f.line, f.rule) for f in found] == [(5, "rewrite.slug-ids"), *((8, rule) for rule in second)]
        assert {rule for rule, _ in found[0].stands_for} >= {"host.base-url", "endpoint.sources.get"}


def test_a_change_spread_over_lines_is_one_finding_with_what_the_scanner_sees_below_its_first(
    auditor: Auditor,
) -> None:
    """A Black-formatted concatenation: the codemod's change starts at
    `BASE`, the scanner's path is on the line below; one to-do, fixable by
    the rewrite (it was reported twice, once needing a person)."""
    source = (b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta/"\n\n\ndef srcs(ws):\n'
              b'    return requests.get(\n        BASE\n        + "workspaces/%s/sources"\n        % ws\n    )\n')
    found = auditor.scan("client.py", source).findings
    assert [(f.line, f.rule, f.fix) for f in found] == [
        (3, "host.base-url", "rewrite"), (7, "pagination.params", "rewrite"), (8, "endpoint.sources.list", "rewrite")]


@pytest.mark.parametrize("split", [False, True])
def test_a_marker_of_a_read_does_not_stand_for_a_request_in_its_statement(auditor: Auditor, split: bool) -> None:
    """A request added to a statement whose field read a rewrite marked is
    a to-do of its own: the marker names the read, not the request (it hid
    the request, with or without a baseline)."""
    call = b'requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")'
    source = (b"import requests\n\n# migrator[rewrite.responses]: `display_name` looks like a Config API field read off a "
              b"value whose origin this rewrite cannot prove\nprint(x[\"display_name\"]," + (b"\n      " if split else b" ")
              + call + b")\n")
    line = 5 if split else 4
    for scanner, request in ((auditor, ["rewrite.slug-ids"]),
                             (Auditor(RULES, codemod=None), ["host.base-url", "endpoint.sources.delete"])):
        found = scanner.scan("report.py", source).findings
        assert [(f.line, f.rule) for f in found] == [(3, "rewrite.responses"), *((line, rule) for rule in request)]


def test_a_baseline_holds_the_markers_a_rewrite_left_on_reads_in_a_linked_module(tmp_path: Path) -> None:
    """Field reads of another module's response, on lines below the
    statement's first and on lines of the same text: the markers stand for
    them, precise or not."""
    from migrator.audit import baseline
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    client = (b"import requests\n\n\ndef get_source(slug):\n"
              b'    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/" + slug).json()\n')
    report = (b'from client import get_source\n\n\ndef title(slug, other):\n    s = get_source(slug)\n'
              b'    t = get_source(other)\n    return "{} / {} ({})".format(\n        s["display_name"],\n'
              b'        t["display_name"],\n        s["catalog_name"],\n    )\n\n\n'
              b'def title2(slug):\n    s = get_source(slug)\n    return s["display_name"]\n\n\n'
              b'def title3(slug):\n    s = get_source(slug)\n    return s["display_name"]\n')
    for precise in (True, False):
        root = tmp_path / str(precise)
        root.mkdir()
        (root / "client.py").write_bytes(client)
        (root / "report.py").write_bytes(report)
        before = audit_paths([root], RULES, jobs=1, precise=precise).findings
        driver.run([root], force=True, jobs=1)
        after = audit_paths([root], RULES, jobs=1, precise=precise).findings
        assert sum(f.kind == "marker" for f in after) == 5
        recorded = [tuple(e.get(k) for k in ("fingerprint", "said", "about") if e.get(k))
                    for e in json.loads(baseline.dump(before))["findings"]]
        assert baseline.new_findings(after, recorded)[0] == []


def test_a_baseline_holds_the_markers_a_rewrite_left_on_test_doubles_of_calls_kept_on_the_config_api(
    tmp_path: Path,
) -> None:
    """The rewrite of the run keeps a client on the Config API (a slug it
    cannot resolve), and the doubles of its tests with it (`rewrite.partial-path`),
    where the audit of the test file alone would migrate them: each marker
    stands for what the codemod reports on its line and on its URL's line."""
    from migrator.audit import baseline
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    client = (b'import requests\n\nBASE_URL = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def sources():\n    return requests.get(f"{BASE_URL}/workspaces/acme/sources").json()\n\n\n'
              b'def source(slug):\n    return requests.get(f"{BASE_URL}/workspaces/acme/sources/{slug}").json()\n')
    tests = (b'import responses\n\nfrom client import source, sources\n\n\n@responses.activate\ndef test_sources():\n'
             b'    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={})\n'
             b'    assert sources() == {}\n\n\n@responses.activate\ndef test_source():\n    responses.add(\n'
             b'        responses.GET,\n        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web",\n'
             b'        json={},\n    )\n    assert source("web") == {}\n')
    (tmp_path / "client.py").write_bytes(client)
    (tmp_path / "test_client.py").write_bytes(tests)
    before = audit_paths([tmp_path], RULES, jobs=1).findings
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "test_client.py").read_bytes().count(b"# migrator[rewrite.partial-path]") == 2
    after = [f for f in audit_paths([tmp_path], RULES, jobs=1).findings if f.path.endswith("test_client.py")]
    assert [(f.line, f.rule) for f in after] == [(8, "rewrite.partial-path"), (15, "rewrite.partial-path")]
    recorded = [tuple(e.get(k) for k in ("fingerprint", "said", "about") if e.get(k))
                for e in json.loads(baseline.dump(before))["findings"]]
    assert baseline.new_findings(after, recorded)[0] == []


def test_the_answer_of_a_test_double_kept_on_the_config_api_is_no_rewrites_to_do(tmp_path: Path) -> None:
    """The rewrite of the run keeps a test's double of an endpoint `b.py`
    keeps (the test imports it), its answer on a line of its own below the
    URL: after the rewrite the audit listed that answer `rewrite.mocks`
    fixable-by-rewrite, though a rewrite changes nothing; the marker above
    the double stands for it, as for its URL, and the baseline knows it."""
    from migrator.audit import baseline
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    (tmp_path / "a.py").write_text('import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
                                   'def web_source():\n    return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]\n')
    (tmp_path / "b.py").write_text('import os\n\nimport requests\n\n\ndef get_source(slug):\n'
                                   '    return requests.get(os.environ["SEGMENT_API"] + f"/workspaces/acme/sources").json()\n')
    (tmp_path / "test_a.py").write_text(
        'import responses\n\nimport a\nimport b\n\n\n@responses.activate\ndef test_web_source():\n'
        '    responses.add(\n        responses.GET,\n        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",\n'
        '        json={"sources": [{"display_name": "Web"}], "next_page_token": ""},\n    )\n'
        '    assert a.web_source()[0]["display_name"] == "Web"\n')
    before = audit_paths([tmp_path], RULES, jobs=1).findings
    driver.run([tmp_path], force=True, jobs=1)
    assert "platform.segmentapis.com" in (tmp_path / "test_a.py").read_text()
    after = [f for f in audit_paths([tmp_path], RULES, jobs=1).findings if f.path.endswith("test_a.py")]
    assert [(f.line, f.rule, f.fix) for f in after if f.fix != "manual" or f.kind == "marker"] == [
        (9, "rewrite.partial-path", "manual"), (15, "rewrite.responses", "manual"),
    ]
    recorded = [tuple(e.get(k) for k in ("fingerprint", "said", "about") if e.get(k))
                for e in json.loads(baseline.dump(before))["findings"]]
    assert baseline.new_findings(after, recorded)[0] == []


def test_a_base_kept_only_for_a_path_that_lacks_ids_is_fixable_with_ids(auditor: Auditor) -> None:
    """The base and the paths joined to it stay on the Config API with a
    path whose slug needs an id (`rewrite.partial-path`): `rewrite --ids`
    moves them all, so they are fixable-with-ids; kept with a path a person
    must fix, they are not."""
    source = (b'import requests\n\nBASE_URL = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def sources():\n    return requests.get(f"{BASE_URL}/workspaces/acme/sources").json()\n\n\n'
              b'def source(slug):\n    return requests.get(f"{BASE_URL}/workspaces/acme/sources/{slug}").json()\n')
    found = auditor.scan("client.py", source).findings
    assert [(f.line, f.rule, f.fix) for f in found] == [
        (3, "rewrite.partial-path", "rewrite-with-ids"), (7, "rewrite.partial-path", "rewrite-with-ids"),
        (11, "rewrite.slug-ids", "rewrite-with-ids"),
    ]
    by_hand = source + b'\n\ndef usage():\n    return requests.get(f"{BASE_URL}/workspaces/acme/usage-metrics").json()\n'
    assert {f.fix for f in auditor.scan("client.py", by_hand).findings if f.rule == "rewrite.partial-path"} == {"manual"}


def test_a_base_kept_for_a_path_that_lacks_ids_stays_fixable_with_ids_after_a_rewrite_without_ids(
    auditor: Auditor,
) -> None:
    """The marker comments a run without ids left say what the codemod says:
    they take its tags (`rewrite --ids` moves the base and both paths); with
    a comment only a run with an id map writes in the file, the base is that
    run's to-do for a person."""
    from migrator.rewrite import rewrite_bytes

    source = (b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def sources():\n    return requests.get(f"{BASE}/workspaces/acme/sources").json()["sources"]\n\n\n'
              b'def source(slug):\n    return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()\n')
    rewritten = rewrite_bytes(source, RULES).code
    found = auditor.scan("client.py", rewritten).findings
    assert [(f.line, f.rule, f.kind, f.fix) for f in found] == [
        (3, "rewrite.partial-path", "marker", "rewrite-with-ids"),
        (8, "rewrite.partial-path", "marker", "rewrite-with-ids"),
        (13, "rewrite.slug-ids", "marker", "rewrite-with-ids"),
    ]
    other = rewritten.replace(b"needs the Public id of the source in `slug`: rewrite with an id map and the "
                              b"generated lookup module, or pass the id", b"the id map has no source `web`")
    other = other.replace(IDS_ADVICE.encode(), b"")  # nor does a run with ids advise one
    assert other != rewritten
    assert [(f.line, f.fix) for f in auditor.scan("client.py", other).findings] == [
        (3, "manual"), (8, "manual"), (13, "manual"),
    ]


@pytest.mark.parametrize(("case", "reads"), [
    ("responses-tied-mapped", 10), ("responses-tied-executor", 9), ("responses-tied-keyed", 6),
])
def test_reads_of_whole_answers_handed_out_are_the_audits_to_do(auditor: Auditor, case: str, reads: int) -> None:
    """Answers of a function of the file handed out by `map`, an executor or
    a dict the code keys: after the rewrite, each line it marked (a read, a
    hand-off) is one finding for a person, and nothing else is left."""
    rewritten = _rewritten(case)
    marked = [n for n, line in enumerate(rewritten.splitlines(), 1) if b"# migrator[rewrite.responses]" in line]
    found = auditor.scan(f"{case}.py", rewritten).findings
    assert len(marked) == reads  # every read whose field has moved, `enabled` and `name` too, and each hand-off
    assert [(f.line, f.rule, f.kind) for f in found] == [(n, "rewrite.responses", "marker") for n in marked]


def test_responses_put_in_containers_are_the_audits_to_do(auditor: Auditor) -> None:
    """A response put in a dict display, given back in a tuple or a list, or
    bound whole in a tuple: after the rewrite, each line it marked is one
    finding a person must act on, and nothing else is left."""
    rewritten = (ROOT / "responses-contained" / "expected.py").read_bytes()  # the fixture test checks it
    marked = [n for n, line in enumerate(rewritten.splitlines(), 1) if b"# migrator[rewrite.responses]" in line]
    found = auditor.scan("responses-contained.py", rewritten).findings
    assert len(marked) == 5
    assert [(f.line, f.rule, f.kind, f.fix) for f in found] == [
        (n, "rewrite.responses", "marker", "manual") for n in marked
    ]


def test_a_property_giving_back_an_answer_leaves_nothing_after_the_rewrite(auditor: Auditor) -> None:
    """Reads of a property whose getter gives back a migrated answer are migrated, as a method's are."""
    rewritten = _rewritten("responses-property")
    assert b'view.data["data"]["source"]["enabled"]' in rewritten
    assert auditor.scan("view.py", rewritten).findings == []


def _rewritten(case: str) -> bytes:
    """What `migrator rewrite` makes of a rewrite fixture's input, with its options."""
    from migrator.idmap import IdMap
    from migrator.rewrite import rewrite_bytes

    given = json.loads((ROOT / case / "options.json").read_text(encoding="utf-8"))
    ids = IdMap.model_validate(given["ids"])
    return rewrite_bytes((ROOT / case / "input.py").read_bytes(), RULES, ids,
                         lookup_module=given["lookup_module"]).code


LISTS = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def list_sources():
    return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
'''


def _marked_in_another_module(tmp_path: Path, read: str, precise: bool = True) -> tuple[list, list, str]:  # type: ignore[type-arg]
    """A module reading the sources `client.py` lists: the audit's findings
    before a rewrite of both, after it, and the reading module rewritten."""
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    (tmp_path / "client.py").write_bytes(LISTS)
    (tmp_path / "report.py").write_text(f"from client import list_sources\n\nfor s in list_sources():\n    {read}\n")
    before = audit_paths([tmp_path], RULES, jobs=1, precise=precise).findings
    driver.run([tmp_path], force=True, jobs=1)
    after = audit_paths([tmp_path], RULES, jobs=1, precise=precise).findings
    return before, after, (tmp_path / "report.py").read_text()


def _recorded(findings: list) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    from migrator.audit import baseline

    entries = json.loads(baseline.dump(findings))["findings"]
    return [tuple(e[k] for k in ("fingerprint", "said", "about") if e.get(k)) for e in entries]


CHANGED = ("# migrator[rewrite.responses]: the Public field `metadata.slug` is not the Config `catalog_name` "
           "(only the `slug` part of the Config value): adapt this use by hand")
DROPPED = ("# migrator[rewrite.responses]: `create_time` cannot be read from the Public API (the Public API does not "
           "return the creation time of a source): remove this read or get the value elsewhere")


@pytest.mark.parametrize(
    ("read", "rewritten"),
    [
        # `display_name` migrated on the line the `catalog_name` marker points at
        ('print(s["display_name"], s["catalog_name"])', [CHANGED, 'print(s["name"], s["catalog_name"])']),
        # the line edited in two places
        ('print(s["display_name"], s["catalog_name"], s["write_keys"])',
         [CHANGED, 'print(s["name"], s["catalog_name"], s["writeKeys"])']),
        # two markers pointing at the line edited
        ('print(s["display_name"], s["catalog_name"], s["create_time"])',
         [CHANGED, DROPPED, 'print(s["name"], s["catalog_name"], s["create_time"])']),
    ],
)
def test_a_baseline_holds_a_marker_naming_its_field_after_the_public_one_on_a_line_the_rewrite_edited(
    tmp_path: Path, read: str, rewritten: list[str],
) -> None:
    """The audit of the module reading another's responses says
    `` `catalog_name` looks like a Config API field…``; the rewrite, which
    follows the response there, marks the same read `` the Public field
    `metadata.slug` is not the Config `catalog_name`…`` and migrates the rest
    of the line: the marker is about the name it quotes that the line holds,
    as the audit's finding was, and a baseline written before still holds it."""
    from migrator.audit import baseline

    before, after, report = _marked_in_another_module(tmp_path, read)
    assert [line.strip() for line in report.splitlines()[3:]] == rewritten
    markers = [(f.line, f.rule) for f in after]
    assert markers == [(4 + i, "rewrite.responses") for i in range(len(rewritten) - 1)]
    assert baseline.new_findings(after, _recorded(before)) == ([], len(markers))


def test_a_config_call_added_on_a_line_a_marker_points_at_is_new_against_the_baseline(tmp_path: Path) -> None:
    from migrator.audit import baseline
    from migrator.audit.run import audit_paths

    before, _, report = _marked_in_another_module(tmp_path, 'print(s["display_name"], s["catalog_name"])')
    call = 'requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")'
    (tmp_path / "report.py").write_text("import requests\n" + report.replace('s["catalog_name"])', f's["catalog_name"], {call})'))
    after = audit_paths([tmp_path], RULES, jobs=1).findings
    fresh, known = baseline.new_findings(after, _recorded(before))
    assert (known, sorted({f.rule for f in fresh})) == (1, ["endpoint.sources.list", "pagination.params"])
    assert {f.rule for f in after} - {f.rule for f in fresh} == {"rewrite.responses"}


SOURCES = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def show():
    for s in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
        print(s["display_name"], s["catalog_name"])
'''

CATALOG_MARKER = ("the Public field `metadata.slug` is not the Config `catalog_name` (only the `slug` part of the "
                  "Config value): adapt this use by hand")


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from migrator.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


def _new_against(baseline_file: str) -> tuple[int, list[tuple[int, str, str]]]:
    """`migrator audit --no-precise --baseline FILE report.py`: its exit code, and the new findings."""
    code, out = _cli("audit", "--no-precise", "--jobs", "1", "--format", "json", "--baseline", baseline_file, "report.py")
    return code, [(f["line"], f["rule"], f["message"]) for f in json.loads(out)["findings"]]


def _recorded_then_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str = SOURCES) -> str:
    """`report.py` holding `source`, a `--no-precise` baseline of it in
    `baseline.json`, then `migrator rewrite`: the rewritten text."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.py").write_text(source)
    assert _cli("audit", "--no-precise", "--jobs", "1", "--write-baseline", "baseline.json", "report.py")[0] == 0
    assert _cli("rewrite", "--force", "report.py")[0] == 0
    return (tmp_path / "report.py").read_text()


@pytest.mark.parametrize("shift", ["", "# moved down\n\n"])
def test_a_no_precise_baseline_holds_a_marker_of_a_field_on_a_line_the_rewrite_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shift: str,
) -> None:
    """`--no-precise` records the scanner's `catalog_name` by its line,
    `print(s["display_name"], s["catalog_name"])`, which the rewrite edits
    (`display_name` -> `name`) while marking `catalog_name`, naming the
    Public field first: the marker stands for the name, and its baseline
    entry records the name too (`about`), so the gate passes after the
    rewrite, the code moved down or not."""
    rewritten = _recorded_then_rewritten(tmp_path, monkeypatch)
    assert rewritten.splitlines()[7:] == [f"        # migrator[rewrite.responses]: {CATALOG_MARKER}",
                                          '        print(s["name"], s["catalog_name"])']
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [(e["rule"], "about" in e) for e in recorded] == [
        ("host.base-url", False), ("endpoint.sources.list", False), ("source.fields", True), ("source.fields", True)]
    (tmp_path / "report.py").write_text(shift + rewritten)
    assert _new_against("baseline.json") == (0, [])


def test_config_reads_and_calls_added_after_a_no_precise_baseline_are_new_after_the_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second `catalog_name` read, added before the rewrite (so marked
    too) is new, and so are a read and a Config call added after it: the
    baseline's entry of the one `catalog_name` stands for one marker."""
    added = SOURCES + '        label = s["catalog_name"]\n'
    rewritten = _recorded_then_rewritten(tmp_path, monkeypatch)
    (tmp_path / "report.py").write_text(added)
    assert _cli("rewrite", "--force", "report.py")[0] == 0
    call = 'requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js")'
    (tmp_path / "report.py").write_text(
        (tmp_path / "report.py").read_text() + f'        print(s["catalog_name"])\n        other = {call}\n')
    assert (tmp_path / "report.py").read_text().startswith(rewritten)
    assert _new_against("baseline.json") == (1, [
        (10, "rewrite.responses", CATALOG_MARKER),
        (12, "source.fields", "Config field `catalog_name` is `metadata.slug` in the Public API"),
        (13, "host.base-url", "Config API host: use https://api.segmentapis.com (US) or https://eu1.api.segmentapis.com "
                              "(EU), without a version prefix; a Public API token is needed"),
        (13, "endpoint.sources.get",
         "`GET /v1beta/workspaces/{workspace}/sources/{source}` is `GET /sources/{sourceId}` in the Public API "
         "(ids from `migrator ids`)"),
    ])


OLD_BASELINE = {"format": "migrator.audit-baseline", "version": 1, "findings": [
    {"fingerprint": "8d4d68f6e64a2a8dd3865a1158f7e2ef", "rule": "host.base-url", "path": "report.py", "line": 3},
    {"fingerprint": "ea7dbb12793207d5ca7b74da6620dd57", "rule": "endpoint.sources.list", "path": "report.py", "line": 7},
    {"fingerprint": "5f2d75646730b7b900635b0da97caab1", "rule": "source.fields", "path": "report.py", "line": 8},
    {"fingerprint": "24f310faedb20ae98068aa904fedf3ee", "rule": "source.fields", "path": "report.py", "line": 8},
]}
"""What the version before `about` of field names wrote for `SOURCES` with `--no-precise`."""


def test_a_no_precise_baseline_written_before_field_names_had_an_about_matches_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It loads and holds the findings it recorded; it knows nothing of the
    name a marker on an edited line is about, so the marker is new (write
    the baseline again before the rewrite)."""
    (tmp_path / "old.json").write_text(json.dumps(OLD_BASELINE))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.py").write_text(SOURCES)
    assert _new_against("old.json") == (0, [])
    _recorded_then_rewritten(tmp_path, monkeypatch)
    assert _new_against("old.json") == (1, [(8, "rewrite.responses", CATALOG_MARKER)])


PLANS = '''import requests
API = "https://platform.segmentapis.com/v1beta"
def rename_plan(plan_id, new_name):
    body = {"tracking_plan": {"display_name": new_name},
            "update_mask": {"paths": ["tracking_plan.display_name"]}}
    return requests.put(f"{API}/workspaces/acme/tracking-plans/{plan_id}", json=body).json()
'''

PLAN_URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ"

PLAN_DOUBLE = f'''    responses.add(responses.PUT, "{PLAN_URL}",
                  json={{"name": "workspaces/acme/tracking-plans/rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ", "display_name": "Web"}})
'''

TEST_PLANS = f'''import responses, plans
@responses.activate
def test_rename_plan():
{PLAN_DOUBLE}    plans.rename_plan("rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ", "Web")
'''

WEBHOOKS = '''import requests

from settings import SEGMENT_API, WORKSPACE


def get_destination(source_slug, dest_slug):
    return requests.get(f"{SEGMENT_API}/workspaces/{WORKSPACE}/sources/{source_slug}/destinations/{dest_slug}").json()


def create_webhook(source_slug, hook_url):
    name = f"workspaces/{WORKSPACE}/sources/{source_slug}/destinations/webhooks"
    body = {"destination": {"name": name, "enabled": True}}
    resp = requests.post(f"{SEGMENT_API}/workspaces/{WORKSPACE}/sources/{source_slug}/destinations",
                         json=body)
    return resp.json()
'''

IDS = {"format": "migrator.ids", "version": 1, "fetched_at": "2026-11-20T09:00:00Z",
       "api_url": "https://api.segmentapis.com",
       "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme", "name": "Acme Inc."},
       "sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}, "destinations": {}, "source_metadata": {},
       "destination_metadata": {}, "tracking_plans": {"rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ": ["tp_1"]},
       "filters": {}, "functions": {}, "users": {}, "roles": {}}


def _committed_repo(root: Path, files: dict[str, str]) -> None:
    """`files` written and committed in the git repository at `root`."""
    import subprocess

    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _with_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> Path:
    """A committed repository holding `files`, its working directory, and
    its baseline (`b.json`, outside it)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _committed_repo(repo, files)
    monkeypatch.chdir(repo)
    assert _cli("audit", ".", "--jobs", "1", "--write-baseline", str(tmp_path / "b.json"))[0] == 0
    return repo


def _rewrite_with_ids(tmp_path: Path) -> None:
    """`migrator rewrite . --ids FILE --lookup-module segment_ids`."""
    (tmp_path / "ids.json").write_text(json.dumps(IDS))
    assert _cli("rewrite", ".", "--ids", str(tmp_path / "ids.json"), "--lookup-module", "segment_ids")[0] == 0


def _gate(tmp_path: Path) -> tuple[int, list[tuple[str, int, str]]]:
    """`migrator audit . --baseline b.json`: its exit code, and the new findings."""
    code, out = _cli("audit", ".", "--jobs", "1", "--format", "json", "--baseline", str(tmp_path / "b.json"))
    return code, [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]


@pytest.mark.parametrize(("files", "marked"), [
    # the double's URL held a slug (`rewrite.slug-ids`, resource names on the next line): migrated, the body marked
    ({"plans.py": PLANS, "tests/test_plans.py": TEST_PLANS}, ("tests/test_plans.py", 4, "rewrite.mocks")),
    # the base was kept for a path needing ids (`rewrite.partial-path`): with ids migrated, the body marked
    ({"settings.py": 'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\nWORKSPACE = "acme"\n',
      "destinations.py": WEBHOOKS}, ("destinations.py", 14, "rewrite.request-body")),
])
def test_a_baseline_holds_the_marker_a_rewrite_with_ids_writes_on_a_call_whose_lines_it_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], marked: tuple[str, int, str],
) -> None:
    """The marker stands for the findings of the call it marks, which the
    baseline recorded under other rules on lines the rewrite edited: the
    entry's `call` (the call's endpoint row) matches."""
    _with_baseline(tmp_path, monkeypatch, files)
    _rewrite_with_ids(tmp_path)
    code, out = _cli("audit", ".", "--jobs", "1", "--format", "json")
    assert marked in [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]
    assert _gate(tmp_path) == (0, [])


def test_config_calls_added_after_the_baseline_are_new_beside_the_marker_of_a_call_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second double of the same call, added before the rewrite (so marked
    too), is new with what it holds: the baseline's one call of that row
    stands for one marker; so is a Config call of that row added after the
    rewrite."""
    repo = _with_baseline(tmp_path, monkeypatch, {"plans.py": PLANS, "tests/test_plans.py": TEST_PLANS})
    _committed_repo(repo, {"tests/test_plans.py": TEST_PLANS + "\n\n@responses.activate\ndef test_again():\n" + PLAN_DOUBLE})
    _rewrite_with_ids(tmp_path)
    code, fresh = _gate(tmp_path)
    assert (code, fresh) == (1, [("tests/test_plans.py", 12, "rewrite.mocks"),
                                 ("tests/test_plans.py", 14, "tracking-plan.fields"),
                                 ("tests/test_plans.py", 14, "tracking-plan.fields")])
    added = f'\n\ndef rename(plan_id):\n    return requests.put(f"{PLAN_URL.rsplit("/", 1)[0]}/{{plan_id}}", json={{}})\n'
    (repo / "tests/test_plans.py").write_text("import requests\n" + (repo / "tests/test_plans.py").read_text() + added)
    code, more = _gate(tmp_path)
    assert (code, len(more)) == (1, len(fresh) + 1)


SOURCES_404 = APP + '''

def delete(slug):
    return requests.delete(f"{API}/workspaces/acme/sources/{slug}").status_code in (200, 404)
'''
AGAIN_404 = '''

def exists(slug):
    return requests.get(f"{API}/workspaces/acme/sources/{slug}").ok
'''


def test_a_baseline_holds_the_marker_of_a_lookup_put_before_the_codes_404_handling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`rewrite --ids --lookup-module` marks each call whose 404 the code
    handles (`handle LookupError too`); the marker quotes the Config call
    it was, and matches the entry of that call's slug finding (`needs the
    Public id`, its `call`) the baseline recorded before the rewrite."""
    _with_baseline(tmp_path, monkeypatch, {"sources.py": SOURCES_404})
    _rewrite_with_ids(tmp_path)
    assert _gate(tmp_path) == (0, [])
    code, out = _cli("audit", ".", "--jobs", "1", "--format", "json")
    assert [(f["path"], f["line"], f["rule"], f["fix"], re.findall(r"to `([^`]+)`", f["message"]))
            for f in json.loads(out)["findings"]] == [
        ("sources.py", 8, "rewrite.slug-ids", "needs-a-person",
         ["GET /v1beta/workspaces/{workspace}/sources/{source}"]),
        ("sources.py", 16, "rewrite.slug-ids", "needs-a-person",
         ["DELETE /v1beta/workspaces/{workspace}/sources/{source}"]),
    ]


def test_a_config_call_added_after_the_baseline_is_new_as_the_marker_of_its_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A third call handling its 404, added after the baseline (a second of
    the `GET` row, whose one call the baseline holds): its marker is new."""
    repo = _with_baseline(tmp_path, monkeypatch, {"sources.py": SOURCES_404})
    _committed_repo(repo, {"sources.py": SOURCES_404 + AGAIN_404})
    _rewrite_with_ids(tmp_path)
    assert _gate(tmp_path) == (1, [("sources.py", 21, "rewrite.slug-ids")])


TOGGLE_CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def destination(self, source, dest):
        return requests.get(f"{API}/workspaces/acme/sources/{source}/destinations/{dest}").json()
'''
TOGGLE_CLI = '''from client import Client


def cmd_show(client, args):
    print(client.destination(args.source, args.destination)["enabled"])


def main(args):
    client = Client()
    {"show": cmd_show}[args.cmd](client, args)
'''


def test_the_marker_of_a_client_handed_on_in_a_module_the_audit_found_nothing_in_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The documented limit: the audit before the rewrite reported the
    client's slug in `client.py` and nothing in `cli.py`, where the rewrite
    with ids marks the instance handed to a dispatch table; fingerprints
    are of a file, so that marker is new."""
    _with_baseline(tmp_path, monkeypatch, {"client.py": TOGGLE_CLIENT, "cli.py": TOGGLE_CLI})
    _rewrite_with_ids(tmp_path)
    assert _gate(tmp_path) == (1, [("cli.py", 10, "rewrite.responses")])


TOGGLE_ONE_FILE = TOGGLE_CLIENT + "\n\n" + TOGGLE_CLI.split("\n\n\n", 1)[1]


def test_a_client_of_the_file_handed_to_a_dispatch_table_is_reported_and_in_the_baseline(
    auditor: Auditor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The class, the function reading what its method gives back and the
    dispatch table in one file: the audit reports the marker `rewrite --ids
    --lookup-module` writes on the instance handed on, a person's, and a
    baseline written before the rewrite holds it after."""
    found = auditor.scan("cli.py", TOGGLE_ONE_FILE.encode()).findings
    assert [(f.line, f.column, f.rule, f.fix) for f in found] == [
        (3, 7, "rewrite.partial-path", "rewrite-with-ids"),
        (8, 29, "rewrite.slug-ids", "rewrite-with-ids"),
        (17, 34, "rewrite.responses", "manual"),
    ]
    assert found[2].message.startswith("`client` has functions or methods that give back migrated responses")
    _with_baseline(tmp_path, monkeypatch, {"cli.py": TOGGLE_ONE_FILE})
    _rewrite_with_ids(tmp_path)
    assert _gate(tmp_path) == (0, [])


HTTPX_SLUG = b'''import httpx

client = httpx.Client(base_url="https://platform.segmentapis.com/v1beta/")


def get_source(ws, src):
    return client.get(f"workspaces/{ws}/sources/{src}")
'''


def test_a_resource_name_the_marked_path_carried_is_the_marker_comments_after_the_rewrite(
    auditor: Auditor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before the rewrite, the codemod's slug marker carries the scanner's
    resource name in `workspaces/{ws}/sources/{src}`; after it, the marker
    comment the rewrite left stands for both: no new finding against a
    baseline written before (exit 0), and no needs-a-person finding where
    `rewrite --ids` moves the path."""
    from click.testing import CliRunner

    from migrator.cli import cli
    from migrator.rewrite import rewrite_bytes

    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_bytes(HTTPX_SLUG)
    runner = CliRunner()
    written = runner.invoke(cli, ["audit", "--no-cache", "--write-baseline", "b.json", "app.py"])
    assert (written.exit_code, written.output.strip()) == (0, "migrator audit: baseline of 2 findings written to b.json")
    (tmp_path / "app.py").write_bytes(rewrite_bytes(HTTPX_SLUG, RULES).code)
    after = auditor.scan("app.py", (tmp_path / "app.py").read_bytes()).findings
    assert [(f.line, f.kind, f.rule, f.fix) for f in after] == [
        (3, "marker", "rewrite.partial-path", "rewrite-with-ids"), (8, "marker", "rewrite.slug-ids", "rewrite-with-ids")]
    gated = runner.invoke(cli, ["audit", "--no-cache", "--baseline", "b.json", "app.py"])
    assert (gated.exit_code, gated.output.splitlines()[0]) == (0, "0 findings (1 file read, 2 in the baseline).")


SHOW = b'''import requests

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js/destinations/google-analytics"


def show():
    dest = requests.get(URL).json()
    settings = {c["name"].split("/")[-1]: c["value"] for c in dest["config"]}
    print(settings)
'''
MASKED = ("settings read from the Public API come with secret values masked (`\u2022\u2022\u2022\u2022` and the last "
          "characters): the values read here hold that text for secrets; do not write them back (that overwrites "
          "the secret), and get a secret this code needs elsewhere")


def test_a_marker_only_the_rewrite_with_ids_writes_is_a_persons_and_in_the_baseline(auditor: Auditor) -> None:
    """The settings a call reads once an id map moves it come masked: the
    audit reports the marker that rewrite writes there, needing a person,
    and the baseline recorded before the rewrite knows it after."""
    from migrator.audit import baseline
    from migrator.idmap import IdMap
    from migrator.rewrite import rewrite_bytes

    before = auditor.scan("show.py", SHOW).findings
    assert [(f.line, f.column, f.rule, f.fix, f.message if f.rule == "rewrite.responses" else "") for f in before] == [
        (3, 7, "rewrite.slug-ids", "rewrite-with-ids", ""),
        (8, 16, "destination.fields", "rewrite-with-ids", ""),
        (8, 16, "rewrite.responses", "manual", MASKED),
    ]
    ids = IdMap.model_validate({
        "format": "migrator.ids", "version": 1, "fetched_at": "2026-11-20T09:00:00Z",
        "api_url": "https://api.segmentapis.com", "workspace": {"id": "W1", "slug": "acme", "name": "A"},
        "sources": {"js": "S1"}, "destinations": {"js/google-analytics": ["D1"]}, "source_metadata": {},
        "destination_metadata": {}, "tracking_plans": {}, "filters": {}, "functions": {}, "users": {}, "roles": {},
    })
    after = auditor.scan("show.py", rewrite_bytes(SHOW, RULES, ids).code).findings
    assert [(f.line, f.rule, f.kind, f.message) for f in after] == [(8, "rewrite.responses", "marker", MASKED)]
    assert baseline.new_findings(after, _recorded(before)) == ([], 1)


SPREAD_CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def list_sources():
    return requests.get(API + "/workspaces/acme/sources?page_size=10").json()["sources"]
'''
SPREAD_TEST = '''import responses

from client import list_sources

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


@responses.activate
def test_list():
{doubles}
    assert list_sources() == []
'''
ONE_LINE = '    responses.add(responses.GET, BASE + "{path}", json={json}, status=404)'
SPREAD_DOUBLE = '    responses.add(\n        responses.GET,\n        BASE + "{path}",\n        json={json},\n        status=404,\n    )'
ERROR = '{"error": "x", "code": 5}'
LIST = '{"sources": [], "next_page_token": ""}'


def _doubles(*doubles: tuple[str, str, str]) -> str:
    return SPREAD_TEST.replace("{doubles}", "\n".join(
        form.replace("{path}", path).replace("{json}", answer) for form, path, answer in doubles))


@pytest.mark.parametrize(("doubles", "markers"), [
    # the map lacks `gone`: its double, whose URL is on its third line, stays apart on the Config API (the
    # base ends at the workspace and moves with the other double): `rewrite.slug-ids` and
    # `rewrite.partial-path` above its first line
    (_doubles((ONE_LINE, "/sources", LIST), (SPREAD_DOUBLE, "/sources/gone", ERROR)),
     [(11, "rewrite.slug-ids"), (12, "rewrite.partial-path")]),
    # the doubles spread over lines move (the map resolves the destination's); the one-line `gone` stays apart
    (_doubles((SPREAD_DOUBLE, "/sources", LIST), (ONE_LINE, "/sources/web/destinations/google-analytics", ERROR),
              (ONE_LINE, "/sources/gone", ERROR)),
     [(17, "rewrite.slug-ids"), (18, "rewrite.partial-path")]),
    (_doubles((ONE_LINE, "/sources", LIST), (SPREAD_DOUBLE, "/sources/web/destinations/google-analytics", ERROR),
              (ONE_LINE, "/sources/gone", ERROR)),
     [(17, "rewrite.slug-ids"), (18, "rewrite.partial-path")]),
    # a workspace base built on a Config base holds every double when one cannot move: the slug marker above
    # the double spread over lines stands for the finding on its URL's line
    (_doubles((ONE_LINE, "/sources", LIST), (SPREAD_DOUBLE, "/sources/gone", ERROR)).replace(
        'BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"',
        'API = "https://platform.segmentapis.com/v1beta"\nBASE = f"{API}/workspaces/acme"'),
     [(5, "rewrite.partial-path"), (7, "rewrite.partial-path"), (13, "rewrite.partial-path"),
      (15, "rewrite.slug-ids")]),
])
def test_a_baseline_holds_what_a_rewrite_with_ids_marked_above_a_statement_spread_over_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doubles: str, markers: list[tuple[int, str]],
) -> None:
    """`audit --write-baseline`, `rewrite --ids`, `audit --baseline`: the
    marker above a double spread over lines stands for what the audit reported
    on its URL's line below (`needs the Public id of source gone`), which the
    rewrite with the map says otherwise (`the id map has no source`) or marks
    under another row (`rewrite.partial-path`), as on one line: the run with
    the baseline finds nothing new, and the audit lists the markers alone
    (not also the finding below as fixable-with-ids: `--ids` ran)."""
    ids = Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "client.py").write_text(SPREAD_CLIENT)
    (repo / "test_client.py").write_text(doubles)
    monkeypatch.chdir(repo)
    assert _cli("audit", "--jobs", "1", "--no-cache", "--write-baseline", "../baseline.json", ".")[0] == 0
    assert _cli("rewrite", "--force", "--jobs", "1", "--ids", str(ids), "--lookup-module", "segment_ids", ".")[0] == 0
    code, out = _cli("audit", "--jobs", "1", "--no-cache", "--format", "json", "--baseline", "../baseline.json", ".")
    assert (code, json.loads(out)["findings"]) == (0, [])
    code, out = _cli("audit", "--jobs", "1", "--no-cache", "--format", "json", ".")
    assert code == 1
    assert [(f["path"], f["line"], f["rule"], f["fix"]) for f in json.loads(out)["findings"]
            if f["rule"] != "envelope.list"] == [("test_client.py", line, rule, "needs-a-person") for line, rule in markers]


def test_a_path_given_to_a_decorator_holds_its_base_in_the_audit_before_and_after_the_rewrite(
    auditor: Auditor,
) -> None:
    # `@on_failure_ping(API + "/workspaces/...")`: the base stays with the path, and the audit says so both times
    case = "paths-decorator-held"

    def said(name: str) -> list[tuple[str, str, str]]:
        found = auditor.scan(f"{case}.py", (ROOT / case / name).read_bytes()).findings
        # the lines a marker names move down by the markers written above them
        return sorted((f.rule, f.fix, re.sub(r"\d+", "N", f.message)) for f in found if f.rule.startswith("rewrite."))

    before = said("input.py")
    assert [(rule, fix) for rule, fix, _ in before] == [
        ("rewrite.http-method", "manual"), ("rewrite.partial-path", "manual"), ("rewrite.partial-path", "manual"),
        ("rewrite.responses", "manual"), ("rewrite.slug-ids", "manual"),
    ]
    assert said("expected.py") == before


def test_a_response_object_of_a_migrated_call_on_one_path_only_is_marked_before_and_after_the_rewrite(
    auditor: Auditor,
) -> None:
    # `try: r = requests.get(<config>) except ...: r = requests.get(BACKUP)`, then `r.json()["sources"]`
    case = "responses-response-joined"

    def said(name: str) -> list[tuple[int, str, str]]:
        found = auditor.scan(f"{case}.py", (ROOT / case / name).read_bytes()).findings
        return [(f.line, f.fix, f.message) for f in found if f.rule == "rewrite.responses"]

    before, after = said("input.py"), said("expected.py")
    assert [line for line, _, _ in before] == [14, 22, 26, 35]
    assert [line for line, _, _ in after] == [14, 23, 28, 38]  # the marker comments, above the reads
    assert [(fix, message) for _, fix, message in before] == [(fix, message) for _, fix, message in after]
    assert {fix for _, fix, _ in after} == {"manual"}


PUBLIC_LOOP = b'''import requests

PUB = "https://api.segmentapis.com"
CFG = "https://platform.segmentapis.com/v1beta"


def public_sources():
    out, page_token = [], None
    while True:
        params = {"pagination.count": 200}
        if page_token:
            params["pagination.cursor"] = page_token
        data = requests.get(f"{PUB}/sources", params=params).json()["data"]
        out.extend(data["sources"])
        page_token = data["pagination"].get("next")
        if not page_token:
            return out


def typed():
    page_token: str | None = None
    page_token = next_page_token = None
    return page_token, next_page_token


def legacy_source():
    return requests.get(f"{CFG}/workspaces/acme/sources/gone").json()["display_name"]
'''


def test_the_codes_own_names_are_no_to_do_before_nor_after_the_rewrite(tmp_path: Path) -> None:
    """A local variable named as a Config parameter (`page_token` of a
    Public loop: a tuple's, an annotated, a chained target) is not a key:
    the rewrite leaves it alone, so the audit reports it neither before
    nor after (only the Config call and its read are to-dos)."""
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    (tmp_path / "loop.py").write_bytes(PUBLIC_LOOP)
    before = audit_paths([tmp_path], RULES, jobs=1).findings
    assert [(f.line, f.rule) for f in before] == [
        (4, "rewrite.partial-path"), (27, "rewrite.responses"), (27, "rewrite.slug-ids")]
    driver.run([tmp_path], force=True, jobs=1)
    after = audit_paths([tmp_path], RULES, jobs=1).findings
    assert [(f.line, f.rule) for f in after] == [
        (4, "rewrite.partial-path"), (28, "rewrite.slug-ids"), (29, "rewrite.responses")]


DESTINATIONS_API = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def list_destinations():
    r = requests.get(f"{API}/workspaces/acme/sources/web/destinations")
    r.raise_for_status()
    return r.json()["destinations"]
'''
WHOLE_ITEMS = '''from dataclasses import dataclass

from pydantic import BaseModel

import api


class Destination(BaseModel):
    name: str
    display_name: str
    enabled: bool


@dataclass
class Dest:
    name: str
    display_name: str
    enabled: bool


def load():
    return [Destination(**d) for d in api.list_destinations()]


def load_dc():
    return [Dest(**d) for d in api.list_destinations()]


def load_validate():
    return [Destination.model_validate(d) for d in api.list_destinations()]
'''
LOCAL_STORE = '''def list_destinations():
    return [{"name": "ga", "display_name": "GA", "enabled": True}]
'''
AS_KEYWORDS = (
    "an item of a migrated call's response is used as a whole dict here (`**` into keyword arguments): it now has "
    "the Public shape (`data` envelope, Public field names); check this use by hand"
)
VALIDATED = (
    "an item of a migrated call's response is handed to `model_validate` whole: it now has the Public shape "
    "(`data` envelope, Public field names); check what `model_validate` does with it"
)


MIDDLE = "import api\n\n\ndef dests():\n    return api.list_destinations()\n"


@pytest.mark.parametrize("middle", [False, True])
def test_whole_items_of_a_response_only_a_rewrite_with_ids_moves_are_its_markers_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, middle: bool,
) -> None:
    """models.py imports the client (or middle.py, whose function gives back
    the client's) and builds models of its items whole (`Destination(**d)`,
    `Dest(**d)`, `Destination.model_validate(d)`); the client's call moves
    only with ids (its path takes a slug), and the rewrite with ids marks
    those uses: the audit before it reported none of them. Now they are its
    markers, needs-a-person, and the baseline holds them after that rewrite;
    the same models over a module of the project that calls no API
    (store.py) are nothing."""
    local = WHOLE_ITEMS.replace("import api\n", "import store\n").replace("api.list_", "store.list_")
    models = WHOLE_ITEMS.replace("import api\n", "import middle\n").replace("api.list_destinations", "middle.dests") \
        if middle else WHOLE_ITEMS
    _with_baseline(tmp_path, monkeypatch, {"api.py": DESTINATIONS_API, "models.py": models,
                                           "store.py": LOCAL_STORE, "local.py": local,
                                           **({"middle.py": MIDDLE} if middle else {})})
    code, out = _cli("audit", ".", "--jobs", "1", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["rule"], f["fix"], f["message"])
            for f in json.loads(out)["findings"] if f["path"] != "api.py"] == [
        ("models.py", 22, 13, "rewrite.responses", "needs-a-person", AS_KEYWORDS),
        ("models.py", 26, 13, "rewrite.responses", "needs-a-person", AS_KEYWORDS),
        ("models.py", 30, 40, "rewrite.responses", "needs-a-person", VALIDATED),
    ]
    _rewrite_with_ids(tmp_path)
    assert "# migrator[rewrite.responses]" not in Path("local.py").read_text()
    assert _gate(tmp_path) == (0, [])


def test_a_config_type_put_on_a_migrated_response_stays_on_the_to_do_list(auditor: Auditor) -> None:
    """`src: Source = r.json()`, `def get_web() -> Source`, with `Source`
    declaring Config fields: before the rewrite the audit notes the fields
    and the codemod's markers of the annotations; after it the file calls the
    Public API only (its class bodies are no longer read near Config usage),
    and the markers the rewrite wrote are the to-do, one per annotation."""
    case = "responses-typed"
    before = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes()).findings
    after = auditor.scan(f"{case}.py", (ROOT / case / "expected.py").read_bytes()).findings
    assert [(f.line, f.rule, f.kind) for f in before if f.rule in ("source.fields", "rewrite.responses")] == [
        (12, "source.fields", "field"), (13, "source.fields", "field"), (18, "source.fields", "field"),
        (28, "rewrite.responses", "rewrite"), (30, "rewrite.responses", "rewrite"),
        (34, "rewrite.responses", "rewrite"), (38, "rewrite.responses", "rewrite"),
    ]
    assert [(f.line, f.rule, f.kind, f.fix) for f in after] == [
        (28, "rewrite.responses", "marker", "manual"), (31, "rewrite.responses", "marker", "manual"),
        (36, "rewrite.responses", "marker", "manual"), (41, "rewrite.responses", "marker", "manual"),
    ]
    assert all(f.message.startswith("`Source` (line 10) declares Config fields, `display_name` (`name`; "
                                    "`displayName` for a function) and `write_keys` (`writeKeys`), and types ")
               for f in after[:3])


def test_a_config_type_on_a_parameter_given_a_migrated_response_stays_on_the_to_do_list(auditor: Auditor) -> None:
    """`def show(src: Source)` called with a migrated response (and the
    private functions given one or a list or item of one, a method given
    one): before the rewrite
    the audit lists the codemod's markers of the annotations, a person's;
    after it, the markers the rewrite wrote, one per annotation (`Plain`,
    with no Config field, and `unrelated`, given no response, have none)."""
    case = "responses-typed-params"
    typed = "`Source` (line 13) declares Config fields"
    before = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes()).findings
    after = auditor.scan(f"{case}.py", (ROOT / case / "expected.py").read_bytes()).findings
    assert [(f.line, f.kind, f.fix) for f in before if f.message.startswith(typed)] == [
        (25, "rewrite", "manual"), (29, "rewrite", "manual"), (33, "rewrite", "manual"), (37, "rewrite", "manual"),
        (50, "rewrite", "manual"),
    ]
    assert [(f.line, f.kind, f.fix) for f in after if f.message.startswith(typed)] == [
        (25, "marker", "manual"), (31, "marker", "manual"), (36, "marker", "manual"), (41, "marker", "manual"),
        (56, "marker", "manual"),
    ]
    assert ["types the response" in f.message for f in after if f.message.startswith(typed)] == [
        True, True, False, False, True]  # a list, an item


def test_web_routes_giving_back_migrated_responses_are_the_audits_to_do(auditor: Auditor) -> None:
    """A route (FastAPI, Flask, one made in an app factory) giving back a
    migrated response, or its list, answers its own clients with the Public
    shape: before and after the rewrite, its decorator is a finding for a
    person, as `jsonify(r.json())` is; nothing else is left after it."""
    case = "responses-decorated-routes"
    before = auditor.scan(f"{case}.py", (ROOT / case / "input.py").read_bytes()).findings
    after = auditor.scan(f"{case}.py", (ROOT / case / "expected.py").read_bytes()).findings
    assert [(f.line, f.column) for f in before if f.rule == "rewrite.responses"] == [
        (15, 1), (22, 1), (27, 1), (35, 20), (47, 5),  # `@login_required` under `@web.route` is not marked
    ]
    assert [(f.line, f.rule, f.kind, f.fix) for f in after] == [
        (n, "rewrite.responses", "marker", "manual") for n in (15, 23, 29, 38, 51)
    ]
    assert [f.message.split(", which")[0] for f in after if f.line != 38] == [
        "`@app.get` is given `sources`", "`@web.route` is given `flask_sources`",
        "`@web.route` is given `flask_list`", "`@inner.route` is given `catalog`",
    ]


@pytest.mark.parametrize(("case", "before", "after"), [
    # `listed` (public: other modules may enter it), `_held` (entered through a name), a method; the read
    # through `_held`'s name; not `_session` and `_fetched`, whose `with` statements are followed
    ("responses-decorated-managers", [11, 47, 55, 59], [11, 48, 57, 62]),
    # click and typer drop a command's value; `taken` is also passed to `ctx.invoke`
    ("responses-decorated-commands", [45], [45]),
    ("responses-decorated-commands-taken", [8], [8]),
])
def test_context_managers_and_commands_are_the_audits_to_do_only_where_their_value_is_not_followed(
    auditor: Auditor, case: str, before: list[int], after: list[int],
) -> None:
    for name, lines in (("input.py", before), ("expected.py", after)):
        found = auditor.scan(f"{case}.py", (ROOT / case / name).read_bytes()).findings
        assert [(f.line, f.fix) for f in found if f.rule == "rewrite.responses"] == [(n, "manual") for n in lines]
