"""The pure core's contract: errors, prefilter, byte preservation, markers,
method detection, the lookup module."""

from __future__ import annotations

import ast

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import (
    RewriteError,
    may_need_rewrite,
    render_lookup_module,
    rewrite_bytes,
    uses_lookup_module,
)
from migrator.ruleset import load_rules

RULES = load_rules()
HOST = "https://platform.segmentapis.com/v1beta"


def rewrite(code: str | bytes, **kwargs):
    data = code.encode("utf-8") if isinstance(code, str) else code
    return rewrite_bytes(data, RULES, **kwargs)


# -- errors and the prefilter ---------------------------------------------------


def test_syntax_error_names_the_line():
    with pytest.raises(RewriteError, match=r"line 2: does not parse"):
        rewrite(f'x = "{HOST}"\ny = (\n')


def test_bad_encoding_names_the_line():
    with pytest.raises(RewriteError, match=r"line 2: not valid utf-8"):
        rewrite(b'x = 1\ny = "\xff"\n')


def test_bad_cookie_is_an_error():
    with pytest.raises(RewriteError):
        rewrite(b"# -*- coding: no-such-codec -*-\nx = 1\n")


def test_prefilter_uses_table_fragments():
    assert may_need_rewrite(b'URL = "https://platform.segmentapis.com/v1beta"')
    assert may_need_rewrite(b"PATH = 'v1beta/workspaces/{}/regulations'")
    assert not may_need_rewrite(b"def f():\n    return 1\n")
    assert may_need_rewrite(b"x", rules=RULES) is False


def test_file_without_config_usage_comes_back_identical():
    data = b"import os\r\n\r\nx = 'v1beta'  # nothing to do\r\n"
    result = rewrite(data)
    assert result.code is data or result.code == data
    assert not result.changed and not result.markers and not result.notes


# -- byte preservation ----------------------------------------------------------


def test_libcst_drift_is_never_written():
    # libcst regenerates `except ValueError :` without the space
    data = f'try:\n    pass\nexcept ValueError :\n    pass\n_BASE = "{HOST}/"\n'
    result = rewrite(data)
    assert result.code.decode() == data.replace(HOST + "/", "https://api.segmentapis.com/")
    only_drift = "try:\n    pass\nexcept ValueError :\n    pass\nV = 'v1beta'\n"
    assert rewrite(only_drift).code == only_drift.encode()


def test_quotes_prefixes_and_comments_are_kept():
    code = (
        "URLS = (\n"
        f"    r'{HOST}/',  # raw\n"
        f"    u'{HOST}/',\n"
        f"    b'{HOST}/',\n"
        ")\n"
    )
    result = rewrite(code)
    assert result.code.decode() == code.replace(HOST, "https://api.segmentapis.com")


def test_eu_region():
    result = rewrite(f'_BASE = "{HOST}/"\n', region="eu")
    assert result.code == b'_BASE = "https://eu1.api.segmentapis.com/"\n'


def test_output_that_would_not_parse_is_never_emitted(monkeypatch):
    from migrator.rewrite import engine

    monkeypatch.setattr(engine, "parses", lambda text: False)
    data = f'_BASE = "{HOST}/"\n'.encode()
    result = rewrite(data)
    assert result.code == data
    assert not result.changes
    assert [m.rule for m in result.markers] == ["rewrite.paths"]


# -- markers --------------------------------------------------------------------


def test_marker_goes_above_the_statement_with_its_indentation_and_once():
    code = (
        "class A:\n"
        "    @property\n"
        "    def token(self, e=requests.post('" + HOST + "/access-tokens')):\n"
        "        if ok: requests.post('" + HOST + "/access-tokens')\n"
    )
    first = rewrite(code)
    text = first.code.decode()
    lines = text.splitlines()
    assert lines[1].startswith("    # migrator[endpoint.access-tokens.create]: ")
    assert lines[2] == "    @property"
    assert lines[4].startswith("        # migrator[endpoint.access-tokens.create]: ")
    second = rewrite(first.code)
    assert second.code == first.code
    assert len(second.markers) == 2  # still reported, not written twice
    assert [(m.line, m.column) for m in first.markers] == [(3, 36), (4, 29)]


def test_a_marker_takes_the_indentation_after_a_form_feed():
    """A form feed at a line's start (a page break) is no indentation: the spaces after it are."""
    code = "def f():\n\x0c    requests.post('" + HOST + "/access-tokens')\n"
    lines = rewrite(code).code.decode().split("\n")  # (`splitlines` also splits at a form feed)
    assert lines[1].startswith("\x0c    # migrator[endpoint.access-tokens.create]: ")
    compile("\n".join(lines), "f.py", "exec")


def test_suppression_comment_leaves_the_line_alone():
    code = f'requests.get("{HOST}/workspaces/acme/sources")  # migrator: ignore\n'
    result = rewrite(code)
    assert result.code == code.encode()
    assert not result.markers


def test_a_suppression_naming_a_prefix_leaves_the_line_alone():
    code = f'requests.get("{HOST}/workspaces/acme/sources")  # migrator: ignore[endpoint, host]\n'
    result = rewrite(code)
    assert result.code == code.encode()
    assert (result.markers, result.notes) == ((), ())


def test_a_suppression_naming_no_rule_leaves_nothing_alone_and_says_so():
    code = f'requests.get("{HOST}/workspaces/acme/sources")  # migrator: ignore[Endpoint]\n'
    result = rewrite(code)
    assert result.code == (
        b'requests.get("https://api.segmentapis.com/sources", params={"pagination.count": 200})'
        b'  # migrator: ignore[Endpoint]\n'
    )
    assert "line 1: `migrator: ignore[...]` names `Endpoint`, no rule id nor the start of one " \
        "(see `migrator rules`): that name covers nothing" in result.notes


SUPPRESSED_JOIN = f'''import requests

BASE = "{HOST}"


def list_sources(ws):
    return requests.get(f"{{BASE}}/workspaces/{{ws}}/sources").json()


def get_source(ws, slug):
    return requests.get(f"{{BASE}}/workspaces/{{ws}}/sources/{{slug}}").json()  # migrator: ignore
'''
KEPT_BY = (
    "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to "
    "on {line}, kept there by a suppression comment ({comment}): migrate them together by hand\n"
)


@pytest.mark.parametrize("comment", ["migrator: ignore", "migrator: ignore[endpoint]"])
def test_paths_joined_to_a_suppressed_path_say_a_suppression_comment_keeps_it(comment: str) -> None:
    """Not "which cannot be migrated": what keeps them is the comment, named
    with its line (in the file as written, marker lines in)."""
    code = SUPPRESSED_JOIN.replace("migrator: ignore", comment)
    marker = KEPT_BY.format(line="line 13", comment=f"`{comment}` at line 13")
    lines = code.splitlines(keepends=True)
    result = rewrite(code)
    assert result.code.decode() == "".join(lines[:2] + [marker] + lines[2:6] + ["    " + marker] + lines[6:])
    assert [(m.line, m.rule) for m in result.markers] == [(3, "rewrite.partial-path"), (7, "rewrite.partial-path")]


def test_paths_joined_to_a_suppressed_base_say_a_suppression_comment_keeps_it() -> None:
    """docs/audit.md's `FAKE = "…"  # migrator: ignore[host.base-url]`, a path joined to it."""
    code = f'''import requests

FAKE = "{HOST}"  # migrator: ignore[host.base-url]


def list_sources(ws):
    return requests.get(f"{{FAKE}}/workspaces/{{ws}}/sources").json()
'''
    marker = KEPT_BY.format(line="line 3", comment="`migrator: ignore[host.base-url]` at line 3")
    lines = code.splitlines(keepends=True)
    result = rewrite(code)
    assert result.code.decode() == "".join(lines[:6] + ["    " + marker] + lines[6:])
    assert [(m.line, m.rule) for m in result.markers] == [(7, "rewrite.partial-path")]


def test_change_positions_are_in_the_original_source():
    code = f'\n\nx = 1; _URL = "{HOST}/"\n'
    (change,) = rewrite(code).changes
    assert (change.rule, change.line, change.column) == ("host.base-url", 3, 14)
    assert change.before == f'"{HOST}/"'
    assert change.after == '"https://api.segmentapis.com/"'


@pytest.mark.parametrize(
    ("code", "kept"),
    [
        (f'API = "{HOST}"\n', True),  # a settings module: its importers join paths to it
        (f'_API = "{HOST}"\n', False),  # the file's own
        (f'API = "{HOST}"\n\nif __name__ == "__main__":\n    main()\n', False),  # a script's
        (f'API = "{HOST}"\nrequests.get(API + "/catalog/destinations", params={{"page_size": 5}})\n', False),
    ],
)
def test_a_base_the_file_does_not_use_is_kept(code, kept):
    result = rewrite(code)
    assert (HOST in result.code.decode()) is kept
    assert bool([m for m in result.markers if "this file does not use" in m.reason]) is kept


# -- methods and paths ----------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("requests.get(URL)", "/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations"),
        ("session.get(url=URL)", "/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations"),
        ("requests.request('GET', URL)", "/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations"),
        ("self._call('get', URL)", "/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations"),
        ("urllib.request.urlopen(URL)", "/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations"),
        ("requests.post(URL, json=body)", "/destinations"),
        ("urllib.request.Request(URL, data=payload)", "/destinations"),
    ],
)
def test_http_method_decides_between_rows(call, expected):
    ids = IdMap.model_validate({"sources": {"js": "qQEHquLrjRDN9j1ByrChyn"}})
    code = f'URL = "{HOST}/workspaces/acme/sources/js/destinations"\n{call}\n'
    result = rewrite(code, ids=ids)
    assert f'URL = "https://api.segmentapis.com{expected}"' in result.code.decode()


def test_unknown_method_with_disagreeing_rows_is_marked():
    code = f'URL = "{HOST}/workspaces/acme/sources/js/destinations"\nrequests.request(verb, URL)\n'
    result = rewrite(code, ids=IdMap.model_validate({"sources": {"js": "x"}}))
    assert [m.rule for m in result.markers] == ["rewrite.http-method"]
    assert result.code.decode().endswith(code)


def test_value_used_where_it_cannot_be_followed_is_marked_when_unsafe():
    code = f'URL = "{HOST}/workspaces/acme/sources/js/destinations"\nhelper(URL)\n'
    result = rewrite(code, ids=IdMap.model_validate({"sources": {"js": "x"}}))
    assert [m.rule for m in result.markers] == ["rewrite.partial-path"]
    safe = f'URL = "{HOST}/workspaces/acme/regulations"\nhelper(URL)\n'
    assert rewrite(safe).code.decode().startswith('URL = "https://api.segmentapis.com/regulations"')


def test_resource_names_are_not_paths():
    code = 'body = {"source": {"name": "workspaces/acme/sources/js"}}\nrequests.post(url, json=body)\n'
    assert rewrite(code).code == code.encode()


def test_values_filled_in_elsewhere_keep_their_positions():
    code = f'T = "{HOST}/workspaces/{{}}/regulations/{{}}"\nrequests.get(T.format(ws, rid))\n'
    result = rewrite(code)
    assert result.code.decode().startswith('T = "https://api.segmentapis.com/regulations/{1}"')
    assert "format(ws, rid)" in result.code.decode()
    assert "regulations/{1}".format("ws", "rid") == "regulations/rid"


@pytest.mark.parametrize(
    "value", ["(ws := slug)", "next(it)", "ws.pop()", "workspace()", "requests.get('https://x.test/ws').text"],
)
def test_a_dropped_workspace_value_with_an_effect_is_kept_and_marked(value):
    # the workspace segment goes with its value: a binding or a call with an
    # effect would go with it (`ws` unbound below, the iterator not advanced)
    for code in (
        f'requests.delete(f"{HOST}/workspaces/{{{value}}}/regulations/r1")\nprint(ws)\n',
        f'requests.delete("{HOST}/workspaces/{{}}/regulations/r1".format({value}))\n',
        f'requests.delete("{HOST}/workspaces/" + {value} + "/regulations/r1")\n',
    ):
        result = rewrite(code)
        assert result.code.decode() == (
            "# migrator[rewrite.partial-path]: Config API path built from parts this rewrite cannot see "
            "whole, or not in the table: rebuild it as a Public API path by hand (see `migrator rules`) "
            "(a dropped value may have an effect)\n" + code
        )
        assert not result.changes


def test_a_percent_value_in_its_own_parentheses_is_dropped_with_them():
    code = (
        f'requests.delete("{HOST}/workspaces/%s/regulations/%s" % (ws, (rid)))\n'
        f'requests.delete("{HOST}/workspaces/%s/regulations/%s" % ((ws), (rid)))\n'
    )
    assert rewrite(code).code.decode() == (
        'requests.delete("https://api.segmentapis.com/regulations/%s" % ((rid),))\n' * 2
    )


def test_a_dropped_workspace_value_that_only_reads_goes():
    code = (
        f'requests.delete(f"{HOST}/workspaces/{{cfg[\'ws\'].lower}}/regulations/r1")\n'
        f'requests.delete("{HOST}/workspaces/{{}}/regulations/r1".format(os.getenv("WS", "acme")))\n'
        f'requests.delete("{HOST}/workspaces/" + self.ws + "/regulations/r1")\n'
        f'requests.delete(f"{HOST}/workspaces/{{cfg.get(\'workspace\', \'acme\').strip()}}/regulations/r1")\n'
        f'requests.delete(f"{HOST}/workspaces/{{quote(str(settings.WORKSPACE).lower())}}/regulations/r1")\n'
    )
    assert rewrite(code).code.decode() == (
        'requests.delete("https://api.segmentapis.com/regulations/r1")\n' * 2
        + 'requests.delete("https://api.segmentapis.com" + "/regulations/r1")\n'
        + 'requests.delete("https://api.segmentapis.com/regulations/r1")\n' * 2
    )


# -- the lookup module ----------------------------------------------------------


def test_lookup_module_is_imported_once_and_works(tmp_path):
    ids = IdMap.model_validate(
        {
            "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
            "destinations": {"js/amplitude": ["6334b2ff2c4f2f0b8d5d0c3a"], "js/ga": ["a", "b"]},
        }
    )
    code = (
        '"""Doc."""\n'
        "from __future__ import annotations\n"
        f'def a(ws, s): return requests.get(f"{HOST}/workspaces/{{ws}}/sources/{{s}}")\n'
        f'def b(ws, s, d): return requests.get(f"{HOST}/workspaces/{{ws}}/sources/{{s}}/destinations/{{d}}")\n'
    )
    result = rewrite(code, ids=ids, lookup_module="segment_ids")
    text = result.code.decode()
    assert text.count("import segment_ids") == 1
    assert text.splitlines()[2] == "import segment_ids"
    assert "segment_ids.source_id(s)" in text and "segment_ids.destination_id(s, d)" in text
    assert uses_lookup_module(result)
    module = render_lookup_module(RULES, ids)
    ast.parse(module)
    namespace: dict = {}
    exec(compile(module, "segment_ids.py", "exec"), namespace)
    assert namespace["source_id"]("js") == "qQEHquLrjRDN9j1ByrChyn"
    assert namespace["destination_id"]("js", "amplitude") == "6334b2ff2c4f2f0b8d5d0c3a"
    with pytest.raises(LookupError, match="names 2 objects"):
        namespace["destination_id"]("js", "ga")
    with pytest.raises(LookupError, match="no Public API id for source 'android'"):
        namespace["source_id"]("android")
    again = rewrite(result.code, ids=ids, lookup_module="segment_ids")
    assert again.code == result.code


def test_lookup_module_says_why_a_key_was_left_out(tmp_path, monkeypatch):
    import importlib

    ids = IdMap.model_validate(
        {
            "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
            "skipped": {
                "sources/s5": "it names 2 objects in the Public API (src_5, src_dup)",
                "destinations/s5/ga": "its source slug s5 is left out",
            },
        }
    )
    (tmp_path / "segment_ids_left_out.py").write_text(render_lookup_module(RULES, ids), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("segment_ids_left_out")
    assert module.source_id("js") == "qQEHquLrjRDN9j1ByrChyn"
    with pytest.raises(LookupError) as left:
        module.source_id("s5")
    assert str(left.value) == (
        "no Public API id for source 's5': `migrator ids` left it out of the id map (it names 2 objects in "
        "the Public API (src_5, src_dup)), and a new `migrator ids` would leave it out too; put the right id "
        "in by hand"
    )
    with pytest.raises(LookupError) as dest:
        module.destination_id("s5", "ga")
    assert str(dest.value) == (
        "no Public API id for destination 's5/ga': `migrator ids` left it out of the id map (its source slug "
        "s5 is left out), and a new `migrator ids` would leave it out too; put the right id in by hand"
    )
    with pytest.raises(LookupError) as unknown:
        module.source_id("android")
    assert str(unknown.value) == (
        "no Public API id for source 'android' in the id map; run `migrator ids` again if the object was "
        "created since"
    )


def test_lookup_module_says_when_the_id_map_could_not_read_a_map_in_full(tmp_path, monkeypatch):
    import importlib

    ids = IdMap.model_validate(
        {
            "functions": {"sfnc_1": ["sfnc_1"]},
            "skipped": {"functions": "functions of type SOURCE: HTTP 403", "tracking_plans": "tracking plans: HTTP 404"},
        }
    )
    (tmp_path / "segment_ids_unread.py").write_text(render_lookup_module(RULES, ids), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("segment_ids_unread")
    assert module.function_id("sfnc_1") == "sfnc_1"
    with pytest.raises(LookupError) as partly:
        module.function_id("sfnc_2")
    assert str(partly.value) == (
        "no Public API id for function 'sfnc_2': the id map could not read them all (functions of type SOURCE: "
        "HTTP 403), and a new `migrator ids` with the same token could not either; put the right id in by hand"
    )
    with pytest.raises(LookupError) as wholly:
        module.tracking_plan_id("rs_1")
    assert str(wholly.value) == (
        "no Public API id for tracking-plan 'rs_1': the id map could not read them all (tracking plans: HTTP "
        "404), and a new `migrator ids` with the same token could not either; put the right id in by hand"
    )
    with pytest.raises(LookupError) as unknown:
        module.source_id("android")
    assert str(unknown.value) == (
        "no Public API id for source 'android' in the id map; run `migrator ids` again if the object was "
        "created since"
    )


def test_without_lookup_module_variables_are_marked():
    code = f'def a(ws, s): return requests.get(f"{HOST}/workspaces/{{ws}}/sources/{{s}}")\n'
    result = rewrite(code, ids=IdMap())
    assert [m.rule for m in result.markers] == ["rewrite.slug-ids"]
    assert not uses_lookup_module(result)


def test_notes_once_per_file():
    code = f'_A = "{HOST}/"\n_B = "{HOST}"\n'
    notes = rewrite(code).notes
    assert len(notes) == 1 and "Public API token" in notes[0]


def test_private_use_characters_in_literals_are_not_holes():
    code = f'X = "\ue000/workspaces/\ue001/sources"\n_BASE = "{HOST}/"\nrequests.get(X)\n'
    result = rewrite(code)
    assert result.code.decode() == code.replace(HOST, "https://api.segmentapis.com")


def test_changed_means_the_code_changed():
    marked = f'requests.post("{HOST}/access-tokens", auth=(e, p))\n'
    first = rewrite(marked)
    assert first.changed and not first.changes and first.markers
    second = rewrite(first.code)
    assert not second.changed and second.markers


# -- a base and the paths joined to it move together ---------------------------


def test_a_path_that_stays_keeps_its_base_and_the_other_paths():
    code = (
        f'API = "{HOST}"\n'
        'def a(ws): return requests.get(f"{API}/workspaces/{ws}/sources")\n'
        'def b(item): return requests.get(API + item["name"])\n'
    )
    result = rewrite(code)
    text = result.code.decode()
    assert HOST in text and "api.segmentapis.com" not in text
    assert not result.changes
    lines = sorted(m.line for m in result.markers)
    assert lines == [1, 2, 3]
    assert not result.notes, "nothing migrated: no token or response notes"


def test_reverted_calls_lose_their_method_and_body_markers():
    code = (
        f'API = "{HOST}"\n'
        'def a(ws, body): return requests.post(f"{API}/workspaces/{ws}/sources", json=body)\n'
        'def b(item): return requests.get(API + item["name"])\n'
    )
    rules = {m.rule for m in rewrite(code).markers}
    assert rules == {"rewrite.partial-path"}


def test_hostless_path_needs_a_base_in_the_file():
    marked = rewrite('P = "v1beta/workspaces/{}/regulations"\nrequests.get(urljoin(cfg["url"], P.format(w)))\n')
    assert not marked.changes and [m.rule for m in marked.markers] == ["rewrite.partial-path"]
    assert "GET /regulations" in marked.markers[0].reason
    proven = rewrite(
        'B = "https://platform.segmentapis.com/"\nP = "v1beta/workspaces/{}/regulations"\n'
        "requests.get(urljoin(B, P.format(w)))\n"
    )
    assert "P = \"regulations\"" in proven.code.decode() and not proven.markers


def test_a_path_filled_from_starred_values_says_they_cannot_be_told():
    code = (
        'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
        "def d(src):\n"
        '    url = "{api}/workspaces/acme/sources/{src}".format(**locals(), api=API)\n'
        "    return requests.get(url).json()\n"
    )
    result = rewrite(code)
    assert [m.reason for m in result.markers if m.line == 7] == [
        "Config API path whose values come from `**locals()`: which values fill it, its base URL among them, "
        "cannot be told here: give them by name, or migrate this path by hand (Public API: `GET /sources/{sourceId}`)"
    ]


def test_a_path_filled_from_a_mapping_by_percent_says_its_values_cannot_be_told():
    code = (
        'import requests\n\nHOST = "https://platform.segmentapis.com"\n\n\n'
        "def d(ws):\n"
        "    host = HOST\n"
        '    return requests.get("%(host)s/v1beta/workspaces/%(ws)s/sources" % locals()).json()\n'
    )
    result = rewrite(code)
    assert [(m.line, m.reason) for m in result.markers] == [
        (8, "Config API path whose values come from `% locals()`: which values fill it, its base URL among them, "
            "cannot be told here: give them by name, or migrate this path by hand (Public API: `GET /sources`)"),
        (3, "left on the Config API together with the Config URL part it is joined to on line 8, which cannot be "
            "migrated: migrate them together by hand"),
    ]


def test_a_path_in_a_self_documenting_fstring_is_marked_not_rewritten():
    code = (
        f'import requests\n\nAPI = "{HOST}"\n'
        "print(f\"{requests.get(API + '/workspaces/acme/sources').status_code=}\")\n"
    )
    result = rewrite(code)
    assert result.code.decode() == code.replace("API =", (
        "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined "
        "to on line 7, which cannot be migrated: migrate them together by hand\nAPI ="
    )).replace("print(", (
        "# migrator[rewrite.paths]: `{requests.get(API + '/workspaces/acme/sources').status_code=}` prints the text "
        "of this expression with its value: rewriting the expression would change what is printed, so it is left as "
        "it is: migrate it by hand, writing the text out if it must stay "
        "(`requests.get(API + '/workspaces/acme/sources').status_code={...!r}`)\n"
        "# migrator[rewrite.partial-path]: Config API path built from parts this rewrite cannot see whole, or not in "
        "the table: rebuild it as a Public API path by hand (see `migrator rules`)\nprint("
    ))
    assert not result.changes


def test_a_query_string_is_not_more_path():
    code = f'URL = "{HOST}/catalog/sources"\nrequests.get(URL + "?" + urlencode(q))\nrequests.get(f"{{URL}}?x=1")\n'
    result = rewrite(code)
    assert result.code.decode().startswith('URL = "https://api.segmentapis.com/catalog/sources"')
    # the paths moved; the first call's query is a value the pagination kind cannot add a count to,
    # the second's a parameter the table does not know (the Public API may ignore it): marked, its
    # page size added all the same
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.pagination", 2), ("endpoint.catalog.sources.list", 3)]
    assert result.code.decode().endswith('requests.get(f"{URL}?x=1", params={"pagination.count": 200})\n')


def test_host_followed_by_an_unknown_value_is_marked_not_migrated():
    code = f'def get(path):\n    return requests.get(f"{HOST}/{{path}}")\n'
    result = rewrite(code)
    assert not result.changes
    assert [m.rule for m in result.markers] == ["rewrite.partial-path"]


def test_lookup_module_header_without_fetch_time():
    module = render_lookup_module(RULES, IdMap())
    assert "\n. " not in module and "`migrator ids`.\n" in module


def test_markers_tell_the_line_in_the_new_code():
    code = (
        '"""Doc."""\n'
        f'def a(ws, s): return requests.get(f"{HOST}/workspaces/{{ws}}/sources/{{s}}")\n'
        f'def b(ws): return requests.get(f"{HOST}/workspaces/{{ws}}/sources/js")\n'
        "def c(): return requests.get(f\"{HOST}/access-tokens\")\n"
    )
    result = rewrite(code, ids=IdMap.model_validate({"sources": {}}), lookup_module="segment_ids")
    lines = result.code.decode().splitlines()
    assert [m.line for m in result.markers] == [3, 4]
    for marker in result.markers:
        assert marker.new_line is not None
        assert lines[marker.new_line - 1] == code.splitlines()[marker.line - 1]
        assert lines[marker.new_line - 2].startswith(f"# migrator[{marker.rule}]")


def test_marker_comments_hold_no_control_characters():
    from migrator.markers import MARKER, marker_comment

    comment = marker_comment("rewrite.request-body", "no id for '\x00' here,\nthen\tmore")
    assert comment == "# migrator[rewrite.request-body]: no id for '\\x00' here, then more"
    assert comment.isprintable()
    assert MARKER.search(comment).group("rule") == "rewrite.request-body"


def test_the_edit_index_agrees_with_comparing_every_pair() -> None:
    import random

    from migrator.rewrite.context import Edits, _overlap
    from migrator.rewrite.edits import Edit

    rng = random.Random(3)
    for _ in range(200):
        taken = Edits()
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 2000)
            taken.append(Edit(start, start + rng.choice([0, 0, 1, 5, 300, 700]), ""))
            if rng.random() < 0.1:
                taken.overlaps(Edit(0, 0, ""))  # index what is there, then change the list
                del taken[rng.randint(0, len(taken)) :]
        for _ in range(20):
            start = rng.randint(0, 2100)
            edit = Edit(start, start + rng.choice([0, 1, 3, 256, 900]), "")
            assert taken.overlaps(edit) == any(_overlap(edit, t) for t in taken)


def test_a_suppression_inside_a_string_is_no_comment():
    url = f'"{HOST}/workspaces/acme/sources # migrator: ignore"'
    inside = rewrite(f"requests.get({url}, headers=H)\n")
    assert inside.changes or inside.markers  # read as any other Config URL
    real = rewrite(f'requests.get("{HOST}/workspaces/acme/sources", headers=H)  # migrator: ignore\n')
    assert not real.changes and not real.markers


def test_a_base_shown_logged_or_inside_other_text_moves_with_its_paths():
    code = (
        f'API = "{HOST}"\n\n\ndef remove():\n'
        '    url = API + "/workspaces/acme/sources"\n'
        '    requests.get(url, headers={"User-Agent": f"bot ({API})"})\n'
        '    print("listed", url)\n    log.info("listed %s", url)\n'
        '    body = requests.get(url, headers={}).json() or {}\n'
        '    return body.get("sources", [])\n'
    )
    result = rewrite(code)
    assert not result.markers
    out = result.code.decode()
    assert 'url = API + "/sources"' in out and 'return body.get("data", {}).get("sources", [])' in out


@pytest.mark.parametrize(
    "holder",
    [
        f'class Settings:\n    base_url = "{HOST}"\n\n\ndef sources(settings):\n    holder = settings\n',
        f'class Client:\n    @property\n    def base_url(self):\n        return "{HOST}"\n\n\ndef sources(client):\n    holder = client\n',
    ],
)
def test_a_base_stays_with_a_path_joined_to_a_base_the_file_does_not_show(holder):
    # `settings.base_url` may be that class attribute: both stay on the Config API
    code = "import requests\n\n\n" + holder + '    return requests.get(f"{holder.base_url}/workspaces/acme/sources", params={"page_size": 10})\n'
    result = rewrite(code)
    assert HOST in result.code.decode() and "workspaces/acme/sources" in result.code.decode()
    assert not result.changes


def test_a_subclass_that_gives_the_base_attribute_another_value_holds_the_paths_back():
    # `Proxy().sources(ws)` joins the path to the proxy's Config URL: before,
    # the path moved with `Base.api` alone
    code = (
        "class Base:\n"
        f'    api = "{HOST}"\n'
        "\n"
        "    def regulation(self, rid):\n"
        '        return requests.get(f"{self.api}/workspaces/acme/regulations/{rid}")\n'
        "\n"
        "\n"
        "class Proxy(Base):\n"
        '    api = "http://localhost:8080/segment/v1beta"\n'
    )
    result = rewrite(code)
    assert result.code.decode() == code.replace(
        "    api = ",
        "    # migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is "
        "joined to on line 7, which cannot be migrated: migrate them together by hand\n    api = ",
        1,
    ).replace(
        "        return requests",
        "        # migrator[rewrite.partial-path]: Config API path joined to a base URL this rewrite cannot trace: "
        "this file's Config base URL on line 3 may be it, and stays on the Config API with this path; migrate them "
        "together by hand (Public API: `GET /regulations/{regulation}`)\n        return requests",
    )
    # the report names the lines of the file as it was read; the comment, those of the file written
    marker = next(m for m in result.markers if m.line == 2)
    assert "on line 5, which" in marker.reason and "on line 7, which" in (marker.new_reason or "")
    same = code.replace("http://localhost:8080/segment/v1beta", HOST)
    assert rewrite(same).code.decode() == same.replace(HOST, "https://api.segmentapis.com").replace(
        "/workspaces/acme/regulations/", "/regulations/"
    )


def test_a_base_a_function_rebinds_with_global_holds_the_paths_back():
    # `configure(url)` may set any base: before, its assignment was the
    # function's own, and the path moved with the module's Config URL
    code = (
        f'API = "{HOST}"\n'
        "\n"
        "\n"
        "def configure(url):\n"
        "    global API\n"
        "    API = url\n"
        "\n"
        "\n"
        "def regulation(rid):\n"
        '    return requests.get(f"{API}/workspaces/acme/regulations/{rid}")\n'
    )
    result = rewrite(code)
    assert not result.changes
    assert [(m.rule, m.line) for m in result.markers] == [
        ("rewrite.partial-path", 10), ("rewrite.partial-path", 5), ("rewrite.partial-path", 1)
    ]
    local = code.replace("    global API\n", "")
    assert rewrite(local).code.decode().startswith('API = "https://api.segmentapis.com"\n')


def test_a_rewrite_that_would_not_parse_leaves_the_file_and_says_only_that(monkeypatch):
    from migrator.rewrite import engine

    monkeypatch.setattr(engine, "_splice_checked", lambda *args, **kwargs: None)  # as if the edits broke the file
    code = (
        "import requests\n\n\ndef mint(email, password):\n"
        f'    return requests.post("{HOST}/access-tokens", auth=(email, password)).json()\n\n\n'
        f'def sources():\n    return requests.get("{HOST}/workspaces/acme/sources").json()["sources"]\n'
    )
    result = rewrite(code)
    assert result.code == code.encode()
    assert result.changes == () and result.notes == ()
    assert [(m.rule, m.line, m.reason) for m in result.markers] == [(
        "rewrite.paths", 9,
        "the rewrite of this file would not parse, so nothing was changed: migrate it by hand",
    )]


def test_the_legacy_scripts_readme_names_the_one_marker_left():
    """docs/examples/legacy-scripts/README.md: with the bundled id map every script
    migrates but for one marker, on line 19 of update_destination_mask.py."""
    from pathlib import Path

    from migrator.idmap import load_idmap

    docs = Path(__file__).resolve().parents[2] / "docs" / "examples"
    ids = load_idmap(docs / "segment-ids.json")
    found = []
    for script in sorted((docs / "legacy-scripts").glob("*.py")):
        result = rewrite_bytes(script.read_bytes(), RULES, ids)
        assert result.changes, script.name
        found += [(script.name, m.line, m.rule) for m in result.markers]
    assert found == [("update_destination_mask.py", 19, "rewrite.responses")]
    readme = (docs / "legacy-scripts" / "README.md").read_text(encoding="utf-8")
    assert "One marker stays, above line 19 of `update_destination_mask.py` (line 20 of the\nrewritten file" in readme
