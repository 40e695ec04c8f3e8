"""The pagination part: query parameters and next-page-token loops."""

from __future__ import annotations

import ast

import pytest
import copy
import textwrap

from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
API = 'API = "https://platform.segmentapis.com/v1beta"\n'


def run(code: str) -> tuple[str, list[str]]:
    result = rewrite_bytes((API + textwrap.dedent(code)).encode(), RULES)
    out = result.code.decode()
    ast.parse(out)
    again = rewrite_bytes(result.code, RULES)
    assert again.code == result.code and not again.changes
    return out, [m.rule for m in result.markers]


def test_names_come_from_the_pagination_row():
    row = RULES.pagination
    out, marks = run("""
        def f(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 7}).json()
    """)
    assert f'"{row.count_param}": 7' in out and not marks


def test_truth_tested_token_reads_next_and_other_uses_keep_the_empty_string():
    out, _ = run("""
        def f(ws):
            token = ""
            while True:
                body = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 2, "page_token": token}).json()
                token = body["next_page_token"]
                if not token:
                    return
    """)
    assert 'token = body["data"]["pagination"].get("next")' in out
    out, _ = run("""
        def f(ws):
            token = ""
            while True:
                body = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 2, "page_token": token}).json()
                token = body["next_page_token"]
                if token == "":
                    return
    """)
    assert 'token = (body["data"]["pagination"].get("next") or "")' in out


def test_missing_page_size_gets_the_default_count():
    row = RULES.pagination
    out, _ = run("""
        def f(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources").json()
    """)
    assert f'params={{"{row.count_param}": {row.default_count}}}' in out


def test_unseen_parameters_and_foreign_cursors_are_marked():
    _, marks = run("""
        def f(ws, **kw):
            return requests.get(f"{API}/workspaces/{ws}/sources", **kw).json()
    """)
    assert marks == ["rewrite.pagination"]
    _, marks = run("""
        def f(ws, cursor):
            return requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 2, "page_token": cursor}).json()
    """)
    assert marks == ["rewrite.pagination"]


def test_page_size_in_the_url_text_is_renamed_and_a_token_there_is_marked():
    out, marks = run("""
        def f():
            return requests.get(API + "/catalog/destinations?page_size=10").json()
    """)
    assert '"/catalog/destinations?pagination.count=10"' in out and not marks
    out, marks = run("""
        def f(token):
            return requests.get(API + "/catalog/destinations?page_size=10&page_token=" + token).json()
    """)
    assert "rewrite.pagination" in marks


def test_a_page_size_in_the_url_text_of_other_digits_than_ascii_is_marked():
    # `\d` matched "٣" (int() reads it as 3): it was renamed unmarked, as a page size in range.
    out, marks = run("""
        def f():
            return requests.get(API + "/catalog/destinations?page_size=٣").json()
    """)
    assert '"/catalog/destinations?page_size=٣"' in out and marks == ["rewrite.pagination"]


def test_endpoints_without_pagination_get_no_count():
    out, _ = run("""
        def f(ws):
            return requests.get(f"{API}/workspaces/{ws}").json()
    """)
    assert "pagination" not in out


# -- lists the Config API answered whole, and helpers that take **params ----------------------

from migrator.idmap import IdMap  # noqa: E402
from migrator.rewrite import render_lookup_module, uses_lookup_module  # noqa: E402

PLANS = IdMap.model_validate({"tracking_plans": {"rs_1": ["tp_1"]}})
CONNECTIONS = 'f"{API}/workspaces/acme/tracking-plans/{plan}/source-connections"'
WHOLE = "answered the whole list in the Config API"


def run_with_lookup(code: str, lookup: str | None = "segment_ids"):  # type: ignore[no-untyped-def]
    code = textwrap.dedent(code).replace("CONNECTIONS", CONNECTIONS)
    result = rewrite_bytes((API + code).encode(), RULES, PLANS, lookup_module=lookup)
    ast.parse(result.code)
    again = rewrite_bytes(result.code, RULES, PLANS, lookup_module=lookup)
    assert again.code == result.code and not again.changes
    return result


def test_whole_config_lists_are_paginated_get_rows():
    whole = [e for e in RULES.endpoints if e.config_whole_list]
    assert whole
    for endpoint in whole:
        assert endpoint.paginated and endpoint.config.startswith("GET ")


def test_a_whole_config_list_reads_every_page_through_the_lookup_module():
    result = run_with_lookup("""
        def connected(plan):
            resp = requests.get(CONNECTIONS, headers=H)
            return [c["source_name"].split("/")[-1] for c in resp.json()["connections"]]
    """)
    out = result.code.decode()
    assert (
        'resp = segment_ids.all_pages("sources", requests.get, '
        'f"{API}/tracking-plans/{segment_ids.tracking_plan_id(plan)}/sources", headers=H, '
        'params={"pagination.count": 200})'
    ) in out
    assert 'for c in resp["data"]["sources"]' in out and ".json()" not in out
    assert uses_lookup_module(result) and out.count("import segment_ids") == 1
    assert not result.markers


def test_a_whole_config_list_is_followed_whatever_else_the_function_pages():
    result = run_with_lookup("""
        def report(plan):
            token, names = "", []
            while True:
                page = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 2, "page_token": token}).json()
                names += [s["display_name"] for s in page["sources"]]
                token = page["next_page_token"]
                if not token:
                    break
            sources = requests.get(CONNECTIONS, params={"page_size": 5}).json()["connections"]
            return names, len(sources)
    """)
    out = result.code.decode()
    assert (
        'sources = segment_ids.all_pages("sources", requests.get, '
        'f"{API}/tracking-plans/{segment_ids.tracking_plan_id(plan)}/sources", '
        'params={"pagination.count": 5})["data"]["sources"]'
    ) in out
    assert not result.markers


def test_a_whole_config_list_is_marked_when_it_cannot_be_followed():
    # no lookup module
    result = run_with_lookup("""
        def connected():
            return requests.get(f"{API}/workspaces/acme/tracking-plans/rs_1/source-connections").json()
    """, lookup=None)
    assert [m.rule for m in result.markers] == ["rewrite.pagination"] and WHOLE in result.markers[0].reason
    assert '"pagination.count": 200' in result.code.decode()
    # the response is used as a response, not only decoded
    result = run_with_lookup("""
        def connected(plan):
            resp = requests.get(CONNECTIONS)
            resp.raise_for_status()
            return resp.json()["connections"]
    """)
    assert "all_pages" not in result.code.decode()
    assert [m.rule for m in result.markers] == ["rewrite.pagination"] and WHOLE in result.markers[0].reason
    # read by a nested function as a response
    result = run_with_lookup("""
        def connected(plan):
            resp = requests.get(CONNECTIONS)

            def ok():
                return resp.ok
            return resp.json()["connections"] if ok() else []
    """)
    assert "all_pages" not in result.code.decode()
    assert [m.rule for m in result.markers] == ["rewrite.pagination"] and WHOLE in result.markers[0].reason
    # a call all_pages could not repeat with other params (the method comes first)
    result = run_with_lookup("""
        def connected(plan):
            return requests.request("GET", CONNECTIONS).json()["connections"]
    """)
    assert "all_pages" not in result.code.decode()
    assert [m.rule for m in result.markers] == ["rewrite.pagination"] and WHOLE in result.markers[0].reason
    # bound at module level: it may be read anywhere
    result = run_with_lookup("""
        RESP = requests.get(f"{API}/workspaces/acme/tracking-plans/rs_1/source-connections")
        CONNECTED = RESP.json()["connections"]
    """)
    assert "all_pages" not in result.code.decode()
    assert [m.rule for m in result.markers] == ["rewrite.pagination"] and WHOLE in result.markers[0].reason


def test_a_list_the_config_api_paged_keeps_one_page():
    result = run_with_lookup("""
        def first(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]
    """)
    assert "all_pages" not in result.code.decode() and not result.markers
    assert any("reads one page" in n for n in result.notes)


class _Response:
    def __init__(self, body: object) -> None:
        self.body = body

    def json(self) -> object:
        return self.body


def test_all_pages_merges_the_pages_with_the_same_call():
    namespace: dict = {}
    exec(compile(render_lookup_module(RULES, PLANS), "segment_ids.py", "exec"), namespace)
    all_pages = namespace["all_pages"]
    pages: dict = {
        None: {"data": {"sources": [1, 2], "pagination": {"current": "a", "next": "b"}}},
        "b": {"data": {"sources": [3, 4], "pagination": {"current": "b", "next": "c"}}},
        "c": {"data": {"sources": [5], "pagination": {"current": "c"}}},
    }
    calls = []

    def get(url, params, headers):  # type: ignore[no-untyped-def]
        calls.append((url, dict(params), headers))
        return _Response(copy.deepcopy(pages[params.get("pagination.cursor")]))

    body = all_pages("sources", get, "U", headers={"h": 1}, params={"pagination.count": 2})
    assert body["data"]["sources"] == [1, 2, 3, 4, 5]
    assert body["data"]["pagination"] == {"current": "c"}
    assert calls == [
        ("U", {"pagination.count": 2}, {"h": 1}),
        ("U", {"pagination.count": 2, "pagination.cursor": "b"}, {"h": 1}),
        ("U", {"pagination.count": 2, "pagination.cursor": "c"}, {"h": 1}),
    ]
    # an error page is handed back as it is, first or later
    error = {"errors": [{"message": "nope"}]}
    assert all_pages("sources", lambda url, params: _Response(error), "U", params={}) == error
    pages["b"] = error
    assert all_pages("sources", get, "U", headers=None, params={"pagination.count": 2}) == error


HELPER = """
class Client:
    def _get(self, path, **params):
        return requests.get(API + "/" + path, params=params or None).json()

    def sources(self, ws):
        return self._get(f"workspaces/{ws}/sources"ARGS)
"""


def test_a_helper_sending_its_keywords_as_the_query_gets_page_keywords():
    out, marks = run(HELPER.replace("ARGS", ""))
    assert 'self._get("sources", **{"pagination.count": 200})' in out and not marks
    out, marks = run(HELPER.replace("ARGS", ", page_size=5, timeout=3"))
    assert 'self._get("sources", **{"pagination.count": 5}, timeout=3)' in out and not marks
    out, marks = run(HELPER.replace("ARGS", ", page_size=5, page_token=cursor"))
    assert '**{"pagination.count": 5, "pagination.cursor": cursor}' in out
    assert marks == ["rewrite.pagination"]  # a cursor not proven to be the previous page's token


def test_a_helper_whose_keywords_are_not_only_the_query_is_marked():
    out, marks = run(HELPER.replace("params=params or None", "params=params").replace(
        "    def _get(self, path, **params):\n", "    def _get(self, path, **params):\n        params['x'] = 1\n"
    ).replace("ARGS", ""))
    assert "params['x'] = 1" in out
    assert marks == ["rewrite.pagination"] and "**{" not in out


@pytest.mark.parametrize(
    ("setup", "size", "marked"),
    [
        ("PAGE = 500\n", "PAGE", True),  # a constant
        ("", '"500"', True),  # a string
        ("", "n", True),  # the parameter's default, n=1000
        ("PAGE = 50\n", "PAGE", False),
        ("", '"²"', False),  # not a number, as "abc": str.isdigit() holds for it, int() failed (internal error)
    ],
)
def test_page_sizes_held_in_names_are_checked_too(setup, size, marked):
    out, marks = run(setup + f"""
def f(n=1000):
    return requests.get(API + "/workspaces/acme/sources", params={{"page_size": {size}}}).json()["sources"]
""")
    assert (marks == ["rewrite.pagination"]) is marked
    # renamed either way: the keys are right whatever the size, which alone is marked
    assert f'params={{"pagination.count": {size}}}' in out


@pytest.mark.parametrize(
    "step",
    [
        'params.update(page_token=body["next_page_token"])',  # a key this rewrite cannot rename
        'params.update({"page_token": body["next_page_token"]})',
        'params["page_token"] = body["next_page_token"]\n        if not params.get("page_token"):\n            break',
    ],
)
def test_a_query_dict_changed_by_a_method_or_read_back_is_marked(step):
    out, marks = run(f"""
def f():
    out = []
    params = {{"page_size": 100}}
    while True:
        body = requests.get(API + "/workspaces/acme/sources", params=params).json()
        out += body["sources"]
        if not body["next_page_token"]:
            break
        {step}
    return out
""")
    assert marks == ["rewrite.pagination"]
    assert '"page_token"' in out or "page_token=" in out  # left for a person, with the marker


def test_a_token_kept_under_another_key_keeps_the_config_empty_value():
    out, _ = run("""
def f():
    body = requests.get(API + "/workspaces/acme/sources", params={"page_size": 100}).json()
    meta = {"more": body["next_page_token"]}
    state = {}
    state["token"] = body["next_page_token"]
    return meta["more"] != "", state["token"] == ""
""")
    assert 'meta = {"more": (body["data"]["pagination"].get("next") or "")}' in out
    assert 'state["token"] = (body["data"]["pagination"].get("next") or "")' in out


def test_a_call_this_rewrite_does_not_know_is_marked_for_its_query_and_reads():
    # `get_json` of another module, `getattr(requests, verb)`: the query and
    # the answer cannot be seen; before, the path moved with neither marked
    out, _ = run("""
        from .http import get_json


        def regulations(ws, verb="get"):
            return getattr(requests, verb)(f"{API}/workspaces/{ws}/regulations").json()["regulations"]


        def suppressed(ws):
            return get_json(f"{API}/workspaces/{ws}/suppressed-users")["suppressed_users"]
    """)
    query = (
        "    # migrator[rewrite.pagination]: `GET /v1beta/workspaces/{workspace}/%s` is paginated in the "
        "Public API, which requires `pagination.count` (at most 200): the query parameters of this call "
        "cannot be seen, so add `pagination.count` and `pagination.cursor` by hand\n"
    )
    read = (
        "    # migrator[rewrite.responses]: `%s` is read off what a migrated call gives back through a helper "
        "this rewrite does not see into: the response now has the Public shape (`data` envelope, Public "
        "field names); adapt this read by hand\n"
    )
    assert out == (
        'API = "https://api.segmentapis.com"\n'
        "\n"
        "from .http import get_json\n"
        "\n"
        "\n"
        'def regulations(ws, verb="get"):\n'
        + read % "regulations" + query % "regulations"
        + '    return getattr(requests, verb)(f"{API}/regulations").json()["regulations"]\n'
        "\n"
        "\n"
        "def suppressed(ws):\n"
        + read % "suppressed_users" + query % "suppressed-users"
        + '    return get_json(f"{API}/suppressions")["suppressed_users"]\n'
    )


def test_a_url_only_shown_or_taken_apart_is_no_send():
    out, marks = run("""
        def regulations(ws):
            url = f"{API}/workspaces/{ws}/regulations"
            log.info("GET %s", url)
            host = urlparse(url).netloc
            meta = dict(url=url)
            seen = record(at=url)
            return requests.get(url, params={"page_size": 5}).json()["regulations"]
    """)
    assert marks == []
    assert 'return requests.get(url, params={"pagination.count": 5}).json()["data"]["regulations"]' in out


def test_text_added_after_a_parenthesized_argument_goes_after_its_parentheses():
    # inserted after the value inside its parentheses, the call did not parse
    # and the whole file was left as it was
    out, marks = run("""
        def a(ws):
            return requests.get((f"{API}/workspaces/"
                                 # the workspace
                                 f"{ws}/sources"))


        def b(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources", params={"page_token": (None)})


        class C:
            def _get(self, path, **params):
                return requests.get(API + path, params=params).json()

            def sources(self, ws):
                return self._get(f"/workspaces/{ws}/sources", timeout=(3))

            def page(self, ws, size):
                return self._get(f"/workspaces/{ws}/sources", page_size=(size))
    """)
    assert marks == []
    assert out == (
        'API = "https://api.segmentapis.com"\n'
        "\n"
        "def a(ws):\n"
        '    return requests.get((f"{API}"\n'
        "                         # the workspace\n"
        '                         "/sources"), params={"pagination.count": 200})\n'
        "\n"
        "\n"
        "def b(ws):\n"
        '    return requests.get(f"{API}/sources", params={"pagination.cursor": (None), "pagination.count": 200})\n'
        "\n"
        "\n"
        "class C:\n"
        "    def _get(self, path, **params):\n"
        "        return requests.get(API + path, params=params).json()\n"
        "\n"
        "    def sources(self, ws):\n"
        '        return self._get("/sources", timeout=(3), **{"pagination.count": 200})\n'
        "\n"
        "    def page(self, ws, size):\n"
        '        return self._get("/sources", **{"pagination.count": (size)})\n'
    )


def test_a_call_whose_value_nothing_binds_gets_its_query_migrated_too():
    # before, only calls whose value was bound, returned or read by key were
    # seen: these kept `page_size` (or no count), which the Public API refuses
    out, marks = run("""
        def check(ws):
            requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 2}).raise_for_status()
            requests.get(f"{API}/workspaces/{ws}/regulations")
            if not requests.get(f"{API}/workspaces/{ws}/tracking-plans", params={"page_size": 1}).ok:
                raise SystemExit(1)
    """)
    assert out == (
        'API = "https://api.segmentapis.com"\n'
        "\n"
        "def check(ws):\n"
        '    requests.get(f"{API}/sources", params={"pagination.count": 2}).raise_for_status()\n'
        '    requests.get(f"{API}/regulations", params={"pagination.count": 200})\n'
        '    if not requests.get(f"{API}/tracking-plans", params={"pagination.count": 1, "type": "LIVE"}).ok:\n'
        "        raise SystemExit(1)\n"
    )
    assert marks == []


def test_urls_in_a_list_given_to_a_call_this_rewrite_does_not_know_are_marked():
    out, marks = run("""
        def fetch(ws):
            return [r.json() for r in map(requests.get, [f"{API}/workspaces/{ws}/regulations"])]


        def ordered(ws):
            return sorted([f"{API}/workspaces/{ws}/regulations"]), first([])
    """)
    assert out == (
        'API = "https://api.segmentapis.com"\n'
        "\n"
        "def fetch(ws):\n"
        "    # migrator[rewrite.pagination]: `GET /v1beta/workspaces/{workspace}/regulations` is paginated in the "
        "Public API, which requires `pagination.count` (at most 200): the query parameters of this call cannot be "
        "seen, so add `pagination.count` and `pagination.cursor` by hand\n"
        '    return [r.json() for r in map(requests.get, [f"{API}/regulations"])]\n'
        "\n"
        "\n"
        "def ordered(ws):\n"
        '    return sorted([f"{API}/regulations"]), first([])\n'
    )
    assert marks == ["rewrite.pagination"]


def test_a_page_size_out_of_range_is_marked_and_the_page_keys_renamed_all_the_same():
    # the keys were kept: following the marker (500 → 200) left a call with no Public page parameters
    out, marks = run("""
        def sources():
            out, token = [], ""
            while True:
                body = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 500, "page_token": token}).json()
                out += body["sources"]
                token = body["next_page_token"]
                if not token:
                    return out
    """)
    assert out == (
        'API = "https://api.segmentapis.com"\n'
        "\n"
        "def sources():\n"
        '    out, token = [], ""\n'
        "    while True:\n"
        "        # migrator[rewrite.pagination]: `pagination.count` must be between 1 and 200 in the Public API: "
        "change the page size\n"
        '        body = requests.get(f"{API}/sources", params={"pagination.count": 500, '
        '**({"pagination.cursor": token} if token else {})}).json()\n'
        '        out += body["data"]["sources"]\n'
        '        token = body["data"]["pagination"].get("next")\n'
        "        if not token:\n"
        "            return out\n"
    )
    assert marks == ["rewrite.pagination"]
    out, marks = run(HELPER.replace("ARGS", ", page_size=500, timeout=3"))
    assert 'self._get("sources", **{"pagination.count": 500}, timeout=3)' in out
    assert marks == ["rewrite.pagination"]


def test_a_query_rewritten_in_its_function_is_not_marked_again_for_a_caller_analysis():
    # `list_plans(token)` gives the function a second analysis (its argument a page
    # token): its call was marked there as if its query could not be seen,
    # "add pagination.count and pagination.cursor by hand", keys just renamed
    out, marks = run("""
        import requests


        def list_plans(cursor=None):
            params = {"page_size": 50}
            if cursor:
                params["page_token"] = cursor
            return requests.get(f"{API}/workspaces/acme/tracking-plans", params=params).json()


        token = None
        while True:
            page = list_plans(token)
            print(len(page["tracking_plans"]))
            token = page.get("next_page_token")
            if not token:
                break
    """)
    assert out == '''API = "https://api.segmentapis.com"

import requests


def list_plans(cursor=None):
    params = {"pagination.count": 50, "type": "LIVE"}
    if cursor:
        # migrator[rewrite.pagination]: `pagination.cursor` must be the `next` value of the previous page; the value sent here cannot be proven to be one: check the loop by hand
        params["pagination.cursor"] = cursor
    return requests.get(f"{API}/tracking-plans", params=params).json()


token = None
while True:
    page = list_plans(token)
    print(len(page["data"]["trackingPlans"]))
    token = (page.get("data", {}).get("pagination", {}).get("next") or "")
    if not token:
        break
'''
    assert marks == ["rewrite.pagination"]


def test_a_page_size_given_to_a_parameter_is_followed_to_its_constant_or_callers():
    # `size=PAGE` (a default naming a constant), `destinations(500)` and
    # `regulations(..., size=PAGE)` (arguments of the file's calls) were renamed
    # unmarked; `size` of `kept`, given 50 and 20, is within 1-200
    out, marks = run("""
        import requests

        PAGE = 500
        SMALL = 50


        def sources(size=PAGE):
            return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": size}).json()["sources"]


        def destinations(size=10):
            return requests.get(f"{API}/catalog/destinations", params={"page_size": size}).json()["destinations"]


        def regulations(ws, *, size=10):
            return requests.get(f"{API}/workspaces/{ws}/regulations", params={"page_size": size}).json()["regulations"]


        def kept(size=10):
            return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": size}).json()["sources"]


        print(len(sources()), len(destinations(500)), len(regulations("acme", size=PAGE)))
        print(len(kept(SMALL)), len(kept(size=20)))
    """)
    size = ("    # migrator[rewrite.pagination]: `pagination.count` must be between 1 and 200 in the Public API: "
            "change the page size\n")
    assert out == f'''API = "https://api.segmentapis.com"

import requests

PAGE = 500
SMALL = 50


def sources(size=PAGE):
{size}    return requests.get(f"{{API}}/sources", params={{"pagination.count": size}}).json()["data"]["sources"]


def destinations(size=10):
{size}    return requests.get(f"{{API}}/catalog/destinations", params={{"pagination.count": size}}).json()["data"]["destinationsCatalog"]


def regulations(ws, *, size=10):
{size}    return requests.get(f"{{API}}/regulations", params={{"pagination.count": size}}).json()["data"]["regulations"]


def kept(size=10):
    return requests.get(f"{{API}}/sources", params={{"pagination.count": size}}).json()["data"]["sources"]


print(len(sources()), len(destinations(500)), len(regulations("acme", size=PAGE)))
print(len(kept(SMALL)), len(kept(size=20)))
'''
    assert marks == ["rewrite.pagination"] * 3


def test_a_page_size_keyword_of_a_keywords_helper_is_followed_to_its_constant():
    # only an integer literal was checked at such a call: `page_size=PAGE` was renamed unmarked
    out, marks = run("PAGE = 500\n" + HELPER.replace("ARGS", ", page_size=PAGE"))
    assert out == '''API = "https://api.segmentapis.com"
PAGE = 500

class Client:
    def _get(self, path, **params):
        return requests.get(API + "/" + path, params=params or None).json()

    def sources(self, ws):
        # migrator[rewrite.pagination]: `pagination.count` must be between 1 and 200 in the Public API: change the page size
        return self._get("sources", **{"pagination.count": PAGE})
'''
    assert marks == ["rewrite.pagination"]


# -- a cursor that starts empty -------------------------------------------------------------

LOOP = """
def f(ws):
    found, token = [], START
    while True:
        body = LIB.get(f"{API}/workspaces/{ws}/sources", params=QUERY).json()
        found += body["sources"]
        token = body["next_page_token"]
        if not token:
            return found
"""
SENT_ONCE_SET = '**({"pagination.cursor": token} if token else {})'


@pytest.mark.parametrize(
    ("start", "lib", "query", "sent"),
    [
        ('""', "requests", '{"page_size": 2, "page_token": token}', '{"pagination.count": 2, ' + SENT_ONCE_SET + "}"),
        ('""', "httpx", '{"page_token": token or "", "page_size": 2}', "{" + SENT_ONCE_SET + ', "pagination.count": 2}'),
        ("None", "httpx", '{"page_size": 2, "page_token": token}', '{"pagination.count": 2, ' + SENT_ONCE_SET + "}"),
        # requests leaves a None parameter out: nothing is sent empty
        ("None", "requests", '{"page_size": 2, "page_token": token}', '{"pagination.count": 2, "pagination.cursor": token}'),
    ],
)
def test_a_cursor_that_starts_empty_is_sent_only_once_set(start, lib, query, sent):
    out, marks = run(LOOP.replace("START", start).replace("LIB", lib).replace("QUERY", query))
    assert out.splitlines()[5] == f'        body = {lib}.get(f"{{API}}/sources", params={sent}).json()'
    assert not marks


def test_a_cursor_that_starts_empty_set_outside_a_test_of_it_is_marked():
    code = LOOP.replace("START", '""').replace("LIB", "requests").replace("QUERY", "params").replace(
        "    while True:\n", '    while True:\n        params = {"page_size": 2}\n        params["page_token"] = token\n'
    )
    out, marks = run(code)
    assert out.splitlines()[6:8] == [
        "        # migrator[rewrite.pagination]: the first request sends an empty `pagination.cursor` (the token "
        "starts empty): the Public API takes a `next` value of a previous page as the cursor, and an empty one "
        "is not documented to read the first page: send `pagination.cursor` only once there is a token",
        '        params["pagination.cursor"] = token',
    ]
    assert marks == ["rewrite.pagination"]
    guarded = run(code.replace('        params["page_token"]', '        if token:\n            params["page_token"]'))
    assert '            params["pagination.cursor"] = token' in guarded[0] and not guarded[1]


def test_a_cursor_that_starts_empty_given_to_a_keywords_helper_is_sent_only_once_set():
    out, marks = run(HELPER.replace(
        '        return self._get(f"workspaces/{ws}/sources"ARGS)\n',
        '        found, token = [], ""\n'
        "        while True:\n"
        '            page = self._get(f"workspaces/{ws}/sources", page_size=5, page_token=token)\n'
        '            found += page["sources"]\n'
        '            token = page["next_page_token"]\n'
        "            if not token:\n"
        "                return found\n",
    ))
    assert 'self._get("sources", **{"pagination.count": 5, ' + SENT_ONCE_SET + "})" in out and not marks


def _sent(code: str) -> str:
    """The URL the rewritten `failed()` sends through httpx (a mock transport)."""
    import httpx

    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json={"data": {"regulations": []}})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    out, _ = run(code)
    scope: dict[str, object] = {}
    exec(compile(out, "<rewritten>", "exec"), scope)  # noqa: S102 - the rewritten fixture code
    scope["failed"](client)  # type: ignore[operator]
    return sent[0]


def test_a_query_in_an_httpx_url_is_still_sent_with_the_added_page_size():
    # httpx sends `params=` in place of the URL's query: the count goes into the URL text
    url = _sent("""
        import httpx
        def failed(client: httpx.Client):
            return client.get(API + "/workspaces/acme/regulations?status=FAILED").json()["regulations"]
    """)
    assert url == "https://api.segmentapis.com/regulations?status=FAILED&pagination.count=200"
