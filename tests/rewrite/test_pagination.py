"""The pagination part: query parameters and next-page-token loops."""

from __future__ import annotations

import ast
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


def test_endpoints_without_pagination_get_no_count():
    out, _ = run("""
        def f(ws):
            return requests.get(f"{API}/workspaces/{ws}").json()
    """)
    assert "pagination" not in out
