"""Page parameters an `httpx.MockTransport` handler reads off the request
of a migrated list call: renamed when the Public value answers alike,
otherwise marked (rt3 #2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json").read_text())
)
CONFIG = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources"'
PUBLIC = '"https://api.segmentapis.com/sources"'
PAGE = '{"data": {"sources": [], "pagination": {"next": None}}}'
GET = 'request.url.copy_with(query=None) == URL and request.method == "GET"'


def _handler(inner: str, url: str = CONFIG, test: str = GET, before: str = "") -> str:
    return f'''import httpx

URL = {url}


def handler(request):
{before}    if {test}:
        {inner}
        return httpx.Response(200, json={PAGE})
    return httpx.Response(404)


def make():
    return httpx.Client(transport=httpx.MockTransport(handler))
'''


@pytest.mark.parametrize(
    ("config", "public"),
    [
        ('if request.url.params.get("page_token") == "p2":', 'if request.url.params.get("pagination.cursor") == "p2":'),
        ("if request.url.params.get('page_token') != 'p2':", "if request.url.params.get('pagination.cursor') != 'p2':"),
        ('if not request.url.params.get("page_token"):', 'if not request.url.params.get("pagination.cursor"):'),
        ('if request.url.params.get("page_token") and x:', 'if request.url.params.get("pagination.cursor") and x:'),
        ('assert request.url.params.get("page_token", "") in ("", "p2")',
         'assert request.url.params.get("pagination.cursor", "") in ("", "p2")'),
        ('assert int(request.url.params["page_size"]) == 2', 'assert int(request.url.params["pagination.count"]) == 2'),
        ('assert request.url.params.get("page_size") == "2"',
         'assert request.url.params.get("pagination.count") == "2"'),
    ],
)
def test_a_read_that_answers_alike_with_the_public_parameter_is_renamed(config: str, public: str) -> None:
    inner = config + ("\n            pass" if config.startswith("if") else "")
    result = rewrite_bytes(_handler(inner).encode(), RULES, IDS)
    assert result.code.decode() == _handler(inner.replace(config, public), PUBLIC)
    assert not result.markers
    assert [c.rule for c in result.changes if "page" in c.before] == ["pagination.params"]
    assert rewrite_bytes(result.code, RULES, IDS).code == result.code


TOKEN = ("it sends `pagination.cursor` where it sent `page_token`; the first page may send no `pagination.cursor`, "
         "where the Config call sent an empty `page_token`: change this read by hand")
SIZE = ("it sends `pagination.count` where it sent `page_size`; it sends one on every page (200 when the code gives "
        "none): change this read by hand")
TEXT = ("it sends `pagination.cursor` where it sent `page_token`; look for `pagination.cursor=` in the query: change "
        "this read by hand")


def _marker(reason: str, indent: str = "        ") -> str:
    return (f"{indent}# migrator[rewrite.mocks]: the query this test pins must match what the migrated call to "
            f"`GET /sources` sends ({reason})\n")


@pytest.mark.parametrize(
    ("inner", "reason"),
    [
        ('assert request.url.params["page_token"] == ""', TOKEN),
        ('token = request.url.params.get("page_token")', TOKEN),
        ('assert "page_token" in request.url.params', TOKEN),
        ('assert request.url.params.get("page_token") == ""', TOKEN),
        ('assert request.url.params.get("page_size") == "200"', SIZE),
        ('assert request.url.params.get("page_size", "50") == "50"', SIZE),
        ('if b"page_token=p2" in request.url.query:\n            pass', TEXT),
        ('if "page_token=p2" in str(request.url):\n            pass', TEXT),
    ],
)
def test_a_read_that_may_answer_otherwise_is_marked_and_marked_again_by_a_later_run(inner: str, reason: str) -> None:
    result = rewrite_bytes(_handler(inner).encode(), RULES, IDS)
    expected = _handler(inner, PUBLIC).replace("        " + inner, _marker(reason) + "        " + inner)
    assert result.code.decode() == expected
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 8)]
    again = rewrite_bytes(result.code, RULES, IDS)
    assert again.code == result.code
    moved = [(m.rule, m.line + 1, m.reason) for m in result.markers]  # below the marker comment
    assert [(m.rule, m.line, m.reason) for m in again.markers] == moved


def test_a_read_under_no_test_of_the_url_is_marked() -> None:
    before = '    seen.append(request.url.params.get("page_token"))\n'
    result = rewrite_bytes(_handler("pass", before=before).encode(), RULES, IDS)
    reason = ("it sends `pagination.cursor` where it sent `page_token`; this read is under no test of that call's "
              "URL: change this read by hand")
    assert result.code.decode() == _handler("pass", PUBLIC, before=_marker(reason, "    ") + before)


def test_a_handler_of_a_call_that_is_no_list_and_of_another_api_are_left_alone() -> None:
    inner = 'assert request.url.params.get("page_token") == "p2"'
    web = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"'
    result = rewrite_bytes(_handler(inner, web).encode(), RULES, IDS)
    assert result.code.decode() == _handler(inner, '"https://api.segmentapis.com/sources/qQEHquLrjRDN9j1ByrChyn"')
    other = _handler(inner, '"https://example.com/v1beta/workspaces/acme/sources"')
    assert rewrite_bytes(other.encode(), RULES, IDS).code.decode() == other


def test_a_handler_not_showing_the_method_reads_the_one_list_call_of_its_path() -> None:
    """List and create share the path; only the list call sends a page parameter."""
    inner = 'if request.url.params.get("page_token"):\n            pass'
    result = rewrite_bytes(_handler(inner, test="request.url.copy_with(query=None) == URL").encode(), RULES, IDS)
    assert 'if request.url.params.get("pagination.cursor"):' in result.code.decode()
    assert [m.reason[:28] for m in result.markers] == ["the test double pins a Confi"]


CLIENT = '''import httpx

API = "https://platform.segmentapis.com/v1beta"


def slugs(transport=None):
    out, token = [], ""
    with httpx.Client(transport=transport) as http:
        while True:
            r = http.get(API + "/workspaces/acme/sources", params={"page_size": 1, "page_token": token})
            body = r.json()
            out += [s["name"].split("/")[-1] for s in body["sources"]]
            token = body["next_page_token"]
            if not token:
                return out
'''
TEST = '''import httpx

import client

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


def handler(request):
    if request.url.copy_with(query=None) == URL and request.method == "GET":
        if request.url.params.get("page_token") == "p2":
            return httpx.Response(200, json={"sources": [{"name": "workspaces/acme/sources/ios"}], "next_page_token": ""})
        return httpx.Response(200, json={"sources": [{"name": "workspaces/acme/sources/web"}], "next_page_token": "p2"})
    return httpx.Response(404)


def test_slugs():
    assert client.slugs(httpx.MockTransport(handler)) == ["web", "ios"]
'''


def test_the_rewritten_test_with_its_payloads_written_public_as_marked_passes(tmp_path: Path, source: str = TEST) -> None:
    """The client sends `pagination.cursor`: the handler reads it, and the
    test ends (before, it served the first page forever)."""
    pytest.importorskip("httpx")
    from migrator.rewrite import driver

    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(source)
    driver.run([tmp_path], force=True, jobs=1)
    test = (tmp_path / "tests" / "test_client.py").read_text()
    test = test.replace('{"sources": [{"name": "workspaces/acme/sources/ios"}], "next_page_token": ""}',
                        '{"data": {"sources": [{"slug": "ios"}], "pagination": {"next": None}}}')
    test = test.replace('{"sources": [{"name": "workspaces/acme/sources/web"}], "next_page_token": "p2"}',
                        '{"data": {"sources": [{"slug": "web"}], "pagination": {"next": "p2"}}}')
    (tmp_path / "tests" / "test_client.py").write_text(test)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the rewritten test serves the first page forever")
    assert done.returncode == 0, done.stdout + done.stderr
    assert '.get("pagination.cursor")' in test and 'page_token")' not in test


def test_the_audit_reports_the_rename_and_the_marker_of_the_codemod() -> None:
    from migrator.audit.core import audit_text

    found = [(f.line, f.column, f.rule, f.fix) for f in audit_text("tests/test_client.py", TEST.encode(), RULES)]
    assert found == [
        (5, 7, "endpoint.sources.list", "rewrite"),
        (10, 35, "pagination.params", "rewrite"),
        (11, 20, "rewrite.mocks", "manual"),
        (12, 16, "rewrite.mocks", "manual"),
        (12, 97, "envelope.list", "manual"),
    ]
    marked = _handler('token = request.url.params.get("page_token")').encode()
    found = [(f.line, f.rule, f.fix, f.message) for f in audit_text("tests/test_client.py", marked, RULES)][1:]
    assert found == [(8, "rewrite.mocks", "manual", _marker(TOKEN).split(": ", 1)[1].rstrip("\n"))]


def test_a_read_under_the_test_of_another_call_of_a_handler_answering_a_list_is_left_alone() -> None:
    """The innermost `if` comparing the URL tells the call: here one source, no list."""
    web = '''
    if request.url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web" and request.method == "GET":
        assert request.url.params.get("page_token") is None
        return httpx.Response(404)
'''
    code = _handler("pass", before=web.lstrip("\n"))
    result = rewrite_bytes(code.encode(), RULES, IDS)
    public_web = web.replace("platform.segmentapis.com/v1beta/workspaces/acme/sources/web",
                             "api.segmentapis.com/sources/qQEHquLrjRDN9j1ByrChyn")
    assert result.code.decode() == _handler("pass", PUBLIC, before=public_web.lstrip("\n"))
    assert not result.markers


MATCH = '''match request.url.params.get("page_token"):
            case {case}:
                pass
            case _:
                pass'''
ALIAS = "    params = request.url.params\n"


@pytest.mark.parametrize(
    ("inner", "before", "public"),
    [
        ('if params.get("page_token") == "p2":\n            pass', ALIAS,
         'if params.get("pagination.cursor") == "p2":\n            pass'),
        ('assert "page_size" not in params or params["page_size"] == "2"', ALIAS,
         'assert "page_size" not in params or params["pagination.count"] == "2"'),
        (MATCH.format(case='"p2" | "p3"'), "",
         MATCH.format(case='"p2" | "p3"').replace("page_token", "pagination.cursor")),
    ],
)
def test_a_read_through_a_name_bound_to_the_parameters_or_a_match_on_it_is_renamed_when_it_answers_alike(
    inner: str, before: str, public: str,
) -> None:
    """`params = request.url.params` then `params.get(...)`, and `match` on a
    read with non-empty string cases, are read as the direct `==` forms
    (rt5 #3: they were neither renamed nor marked). The membership test is
    marked as before."""
    result = rewrite_bytes(_handler(inner, before=before).encode(), RULES, IDS)
    expected = _handler(public, PUBLIC, before=before)
    if "not in params" in inner:
        expected = expected.replace("        assert", _marker(SIZE) + "        assert")
    assert result.code.decode() == expected
    assert rewrite_bytes(result.code, RULES, IDS).code == result.code


BOUND_AGAIN = ("it sends `pagination.cursor` where it sent `page_token`; the handler binds `params` to something else "
               "too: change this read by hand")


def _marked_once(inner: str, before: str, reason: str) -> None:
    """The handler's line `inner` is marked for `reason`, the rest migrated;
    a second run changes nothing and finds the same marker."""
    result = rewrite_bytes(_handler(inner, before=before).encode(), RULES, IDS)
    expected = _handler(inner, PUBLIC, before=before).replace("        " + inner, _marker(reason) + "        " + inner)
    assert result.code.decode() == expected
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 8 + before.count("\n"))]
    again = rewrite_bytes(result.code, RULES, IDS)
    assert again.code == result.code
    assert [m.reason for m in again.markers] == [m.reason for m in result.markers]


@pytest.mark.parametrize(
    ("inner", "before", "reason"),
    [
        ('if params.get("page_token") == "p2":\n            pass',
         ALIAS + "    if not params:\n        params = {}\n", BOUND_AGAIN),
        ('token = params.get("page_token")', ALIAS, TOKEN),
        (MATCH.format(case='""'), "", TOKEN),
        (MATCH.format(case="None"), "", TOKEN),
        (MATCH.format(case="str() as token"), "", TOKEN),
    ],
)
def test_a_read_through_a_name_or_a_match_that_may_answer_otherwise_is_marked(
    inner: str, before: str, reason: str,
) -> None:
    _marked_once(inner, before, reason)


ASSERTED = '''def handler(request):
    assert request.url.copy_with(query=None) == URL
    match request.url.params.get("page_token"):
        case "p2":
            return httpx.Response(200, json={"sources": [{"name": "workspaces/acme/sources/ios"}], "next_page_token": ""})
        case _:
            return httpx.Response(200, json={"sources": [{"name": "workspaces/acme/sources/web"}], "next_page_token": "p2"})
'''
ALIASED = TEST.replace("    if request.url.copy_with", "    params = request.url.params\n    if request.url.copy_with").replace(
    "if request.url.params.get(", "if params.get(")


@pytest.mark.parametrize("aliased", [False, True])
def test_a_rewritten_handler_reading_through_a_name_or_a_match_under_an_assert_ends(
    tmp_path: Path, aliased: bool,
) -> None:
    """rt5 #3: the read was left as it was, unmarked: the test then served
    the first page forever."""
    handler = TEST[TEST.index("def handler(request):"):TEST.index("\n\n\ndef test_slugs")] + "\n"
    test = ALIASED if aliased else TEST.replace(handler, ASSERTED)
    from migrator.audit.core import audit_text

    found = [(f.line, f.rule, f.fix) for f in audit_text("tests/test_client.py", test.encode(), RULES)][:2]
    assert found == [(5, "endpoint.sources.list", "rewrite"), (11 if aliased else 10, "pagination.params", "rewrite")]
    test_the_rewritten_test_with_its_payloads_written_public_as_marked_passes(tmp_path, test)


COPY = "    params = dict(request.url.params)\n"


@pytest.mark.parametrize(
    ("config", "before"),
    [
        ('if dict(request.url.params).get("page_token") == "p2":', ""),
        ('assert dict(request.url.params)["page_size"] == "2"', ""),
        ('if request.url.params.get_list("page_token") == ["p2"]:', ""),
        ('assert request.url.params.get_list("page_size") != ["2", "3"]', ""),
        ('if "p2" == request.url.params.get("page_token"):', ""),
        ('if "2" != request.url.params.get("page_size"):', ""),
        ('if params.get("page_token") == "p2":', COPY),
    ],
)
def test_a_copy_of_the_parameters_a_list_of_them_or_a_reversed_comparison_is_renamed_as_the_direct_form(
    config: str, before: str,
) -> None:
    """rt6 #3, #6: `dict(...)` of the parameters and `.get_list(name)` were
    neither renamed nor marked; `"p2" == ....get("page_token")` was marked
    "the first page may send no cursor" while the forward form was renamed."""
    inner = config + ("\n            pass" if config.startswith("if") else "")
    result = rewrite_bytes(_handler(inner, before=before).encode(), RULES, IDS)
    public = inner.replace('"page_token"', '"pagination.cursor"').replace('"page_size"', '"pagination.count"')
    assert result.code.decode() == _handler(public, PUBLIC, before=before)
    assert not result.markers
    assert rewrite_bytes(result.code, RULES, IDS).code == result.code


QUERY = ("it sends `pagination.cursor` where it sent `page_token` (none on the first page) and `pagination.count` "
         "where it sent `page_size`; this rewrite does not follow this read of the query: change it by hand")


@pytest.mark.parametrize(
    ("inner", "before", "reason"),
    [
        ('if parse_qs(request.url.query.decode()).get("page_token") == ["p2"]:\n            pass', "", QUERY),
        ('if urllib.parse.parse_qs(request.url.query).get(b"page_token") == [b"p2"]:\n            pass', "", QUERY),
        ('if httpx.QueryParams(request.url.query).get("page_token") == "p2":\n            pass', "", QUERY),
        ('assert dict(request.url.params) == {"page_size": "1", "page_token": ""}', "", QUERY),
        ('for key, value in request.url.params.items():\n            pass', "", QUERY),
        ('assert request.url.query == b"page_size=1&page_token="', "", QUERY),
        ('seen.append(params)', ALIAS, QUERY),
        ('if request.url.params.get_list("page_token"):\n            pass', "", TOKEN),
        ('assert request.url.params.get_list("page_token") == [""]', "", TOKEN),
        ('assert "page_token" in dict(request.url.params)', "", TOKEN),
        ('if "" == request.url.params.get("page_token"):\n            pass', "", TOKEN),
    ],
)
def test_another_read_of_the_query_or_a_list_that_may_answer_otherwise_is_marked(
    inner: str, before: str, reason: str,
) -> None:
    """rt6 #3: with these the rewritten test served the first page forever, unmarked."""
    _marked_once(inner, before, reason)


@pytest.mark.parametrize(
    "inner",
    [
        'assert request.url.params.get("debug") is None',
        'assert "debug" not in dict(request.url.params) and request.url.params["kind"] == "web"',
        'assert b"debug=1" not in request.url.query',
    ],
)
def test_a_read_of_another_parameter_by_name_is_left_alone(inner: str) -> None:
    result = rewrite_bytes(_handler(inner).encode(), RULES, IDS)
    assert result.code.decode() == _handler(inner, PUBLIC)
    assert not result.markers


@pytest.mark.parametrize(
    "form",
    ['if dict(request.url.params).get("page_token") == "p2":', 'if "p2" == request.url.params.get("page_token"):'],
)
def test_a_rewritten_handler_reading_a_copy_or_reversed_ends(tmp_path: Path, form: str) -> None:
    test = TEST.replace('if request.url.params.get("page_token") == "p2":', form)
    assert test != TEST
    test_the_rewritten_test_with_its_payloads_written_public_as_marked_passes(tmp_path, test)


def test_the_audit_reports_the_marker_on_a_parsed_query() -> None:
    from migrator.audit.core import audit_text

    test = TEST.replace('request.url.params.get("page_token") == "p2"',
                        'httpx.QueryParams(request.url.query).get("page_token") == "p2"')
    found = [(f.line, f.rule, f.fix, f.message) for f in audit_text("tests/test_client.py", test.encode(), RULES)]
    assert (10, "rewrite.mocks", "manual", _marker(QUERY).split(": ", 1)[1].rstrip("\n")) in found
    assert not [f for f in found if f[1] == "pagination.params" and f[2] == "rewrite"]
