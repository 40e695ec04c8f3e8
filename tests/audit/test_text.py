"""The text scanner on single snippets: what is a finding and what is not."""

from __future__ import annotations

import json

import pytest

from migrator.audit.core import Auditor, audit_text
from migrator.ruleset import RuleSet


def found(auditor: Auditor, source: str, path: str = "x.py") -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.text) for f in auditor.scan(path, source.encode()).findings]


def test_host_alone(text_auditor: Auditor) -> None:
    assert found(text_auditor, 'API = "https://platform.segmentapis.com"\n') == [
        (1, 8, "host.base-url", "https://platform.segmentapis.com")
    ]


@pytest.mark.parametrize(
    "source",
    [
        'x = {"name": "hello", "display_name": "Hello"}\n',
        'url = "https://api.segmentapis.com/sources"\n',
        'url = "https://generativelanguage.googleapis.com/v1beta/models"\n',
        'path = "organizations/acme/workspaces/prod/vars"\n',
        "params = {'page_size': 10, 'page_token': token}\n",
        "# see https://segment.com/docs/api/config-api/\n",
        "VERSION = 'v1beta1'\n",
    ],
)
def test_left_alone(text_auditor: Auditor, source: str) -> None:
    assert found(text_auditor, source) == []


def test_fields_only_in_an_api_context(text_auditor: Auditor) -> None:
    plain = 'print(s["display_name"])\n'
    assert found(text_auditor, plain) == []
    assert found(text_auditor, 'BASE = "https://platform.segmentapis.com/v1beta"\n' + plain) == [
        (1, 9, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (2, 10, "audit.config-field", "display_name"),  # source, workspace or tracking plan: nothing says
    ]


def test_whole_words_only(text_auditor: Auditor) -> None:
    source = 'BASE = "https://platform.segmentapis.com"\nmy_display_name = display_names = 1\n'
    assert [f[2] for f in found(text_auditor, source)] == ["host.base-url"]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ('requests.get(BASE + "/workspaces/" + ws + "/sources/" + src)', "endpoint.sources.get"),
        ('requests.delete(BASE + "/workspaces/" + ws + "/sources/" + src)', "endpoint.sources.delete"),
        ("curl -X DELETE $BASE/workspaces/$WS/sources/$SRC", "endpoint.sources.delete"),
        ('fetch(`${BASE}/workspaces/${ws}/sources`, { method: "POST" })', "endpoint.sources.create"),
        ('http.get(f"{BASE}/workspaces/{ws}/sources")', "endpoint.sources.list"),
        ('http.NewRequest(http.MethodDelete, base+"/workspaces/"+ws+"/sources/"+src, nil)', "endpoint.sources.delete"),
        ('await http.DeleteAsync($"{Base}/workspaces/{ws}/sources/{src}");', "endpoint.sources.delete"),  # C#
        ('await http.PostAsync($"{Base}/workspaces/{ws}/sources", body);', "endpoint.sources.create"),
    ],
)
def test_the_method_on_the_line_picks_the_row(text_auditor: Auditor, line: str, rule: str) -> None:
    assert [f[2] for f in found(text_auditor, line + "\n")] == [rule]


def test_without_a_method_every_row_of_the_path_is_told(text_auditor: Auditor) -> None:
    [finding] = text_auditor.scan("x.py", b'path = BASE + "/workspaces/%s/sources/%s" % (w, s)\n').findings
    assert finding.rule == "endpoint.sources.get"
    assert "GET /sources/{sourceId}" in finding.message and "DELETE /sources/{sourceId}" in finding.message


def test_no_counterpart_is_an_error_with_what_to_do(text_auditor: Auditor) -> None:
    [finding] = text_auditor.scan("x.sh", b"curl -X POST https://example.test/v1beta/access-tokens\n").findings
    assert (finding.rule, finding.severity) == ("endpoint.access-tokens.create", "error")
    assert "create a Public API token in the Segment app" in finding.message


def test_resource_name_versus_path(text_auditor: Auditor) -> None:
    assert found(text_auditor, 'name = "workspaces/acme/sources/js"\n')[0][2] == "source.fields"
    assert found(text_auditor, 'url = BASE + "workspaces/acme/sources/js"\n')[0][2] == "endpoint.sources.get"


def test_an_f_string_joined_to_a_base_is_a_path(text_auditor: Auditor) -> None:
    """Python's `BASE + f"..."` reads as `BASE + "..."` does: a path, its
    method the call's; a string prefix alone does not make a path."""
    source = (
        'BASE = "https://platform.segmentapis.com/v1beta/"\n'
        'requests.delete(BASE + f"workspaces/{ws}/sources/{src}")\n'
        "requests.delete(BASE + rf'workspaces/{ws}/sources/{src}')\n"
        'name = f"workspaces/{ws}/sources/{src}"\n'
        'TFC = "https://app.terraform.io/api/v2/"\n'
        'requests.get(TFC + f"workspaces/{ws}/sources/{src}")\n'
    )
    assert [f[:3] for f in found(text_auditor, source)] == [
        (1, 9, "host.base-url"),
        (2, 26, "endpoint.sources.delete"),
        (3, 27, "endpoint.sources.delete"),
        (4, 10, "source.fields"),
    ]


def test_bare_workspace_name_needs_context(text_auditor: Auditor) -> None:
    assert found(text_auditor, 'parent = "workspaces/acme"\n') == []
    source = 'parent = "workspaces/acme"\nname = "workspaces/acme/sources/js"\n'
    assert [f[2] for f in found(text_auditor, source)] == ["workspace.fields", "source.fields"]


def test_marker_comment_under_its_rule(text_auditor: Auditor) -> None:
    source = "# migrator[endpoint.sources.get]: slug from the caller\nx = 1\n# migrator[no.such-rule]: hm\n"
    findings = text_auditor.scan("a.py", source.encode()).findings
    assert [(f.line, f.rule, f.message, f.kind) for f in findings] == [
        (1, "endpoint.sources.get", "slug from the caller", "marker"),
        (3, "audit.rewrite-marker", "hm", "marker"),
    ]
    # Markers are only looked for in Python files.
    assert text_auditor.scan("a.sh", source.encode()).findings == []


def test_marker_absorbs_the_finding_it_points_at(text_auditor: Auditor) -> None:
    source = '# migrator[endpoint.sources.get]: slug from the caller\nrequests.get(BASE + "/workspaces/a/sources/" + s)\n'
    assert [f[2] for f in found(text_auditor, source)] == ["endpoint.sources.get"]


def test_a_marker_quoting_a_config_path_is_the_marker(text_auditor: Auditor) -> None:
    """What `migrator rewrite` writes in a marker is its own: a Config path
    it quotes is not a finding of its own, and does not hide the marker."""
    source = (
        "def test_sources():\n"
        "    # migrator[endpoint.sources.list]: the test double pins the Config response of "
        "`GET /v1beta/workspaces/{workspace}/sources`: write the Public response instead (`GET /sources`)\n"
        '    responses.add(responses.GET, "https://api.segmentapis.com/sources", json={})\n'
    )
    assert [(f[0], f[1], f[2]) for f in found(text_auditor, source)] == [(2, 5, "endpoint.sources.list")]


def test_a_marker_absorbs_the_field_name_it_quotes(text_auditor: Auditor) -> None:
    source = (
        'BASE = "https://platform.segmentapis.com/v1beta"\n'
        "# migrator[endpoint.sources.get]: `display_name` looks like a Config API field\n"
        'print(s["display_name"], s["catalog_name"])\n'
    )
    assert [(f[0], f[2], f[3]) for f in found(text_auditor, source)] == [
        (1, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (2, "endpoint.sources.get", "# migrator[endpoint.sources.get]: `display_name` looks like a Config API field"),
        (3, "source.fields", "catalog_name"),
    ]


def test_columns_ignore_a_bom_and_crlf(text_auditor: Auditor) -> None:
    data = '\ufeffAPI = "https://platform.segmentapis.com"\r\nX = "https://platform.segmentapis.com"\r\n'.encode()
    assert [(f.line, f.column, f.text) for f in text_auditor.scan("x.py", data).findings] == [
        (1, 8, "https://platform.segmentapis.com"),
        (2, 6, "https://platform.segmentapis.com"),
    ]


def test_audit_text_is_the_pure_core(pinned_rules: RuleSet) -> None:
    findings = audit_text("a.md", b"see https://platform.segmentapis.com/v1beta\n", pinned_rules)
    assert [(f.path, f.rule) for f in findings] == [("a.md", "host.base-url")]


def test_binary_data_is_skipped(text_auditor: Auditor) -> None:
    result = text_auditor.scan("a.bin", b"\x00\x01https://platform.segmentapis.com")
    assert (result.skipped, result.findings) == ("binary", [])


def test_utf16_text_is_read_not_skipped_as_binary(text_auditor: Auditor) -> None:
    """Windows PowerShell writes UTF-16 with a byte order mark: NUL bytes, but text."""
    source = '$base = "https://platform.segmentapis.com/v1beta"\r\nInvoke-RestMethod -Method Delete "$base/workspaces/$ws/sources/$src"\r\n'
    for encoding in ("utf-16", "utf-16-be"):
        data = source.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + source.encode(encoding)
        result = text_auditor.scan("sync.ps1", data)
        assert (result.skipped, [(f.line, f.column, f.rule, f.text) for f in result.findings]) == (None, [
            (1, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 41, "endpoint.sources.delete", "workspaces/$ws/sources/$src"),
        ])
    # UTF-32 (its mark starts as UTF-16's) is not read.
    assert text_auditor.scan("sync.ps1", source.encode("utf-32")).skipped == "binary"


def test_badly_encoded_text_is_still_read(text_auditor: Auditor) -> None:
    data = b'caf\xe9 = "https://platform.segmentapis.com"\n'
    result = text_auditor.scan("a.py", data)
    assert [(f.column, f.rule) for f in result.findings] == [(9, "host.base-url")]
    assert result.notes == ["not valid UTF-8: read with replacement characters"]


def test_python_is_read_in_the_encoding_it_declares(text_auditor: Auditor) -> None:
    line = 'caf\xe9 = "https://platform.segmentapis.com"\n'.encode("latin-1")
    for cookie in (b"# -*- coding: latin-1 -*-\n", b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\n"):
        result = text_auditor.scan("a.py", cookie + line)
        assert [(f.line, f.column, f.rule) for f in result.findings] == [
            (cookie.count(b"\n") + 1, 9, "host.base-url")
        ]
        assert result.notes == []
    for wrong in (b"# coding: utf-8\n", b"x = 1\n# coding: latin-1\n", b"# coding: no-such-codec\n", b"# coding: rot13\n"):
        assert text_auditor.scan("a.py", wrong + line).notes == ["not valid UTF-8: read with replacement characters"]
    # Other files have no such declaration.
    assert text_auditor.scan("a.txt", b"# coding: latin-1\n" + line).notes == [
        "not valid UTF-8: read with replacement characters"
    ]


def test_the_method_of_a_call_split_over_lines(text_auditor: Auditor) -> None:
    source = 'resp = session.delete(\n    f"{base}/workspaces/{ws}/sources/{src}",\n    timeout=3,\n)\n'
    assert [f[2] for f in found(text_auditor, source)] == ["endpoint.sources.delete"]


HOST = 'BASE = "https://platform.segmentapis.com"\n'


@pytest.mark.parametrize(
    ("path", "line", "words"),
    [
        # keys and reads: findings
        ("x.py", 'label = s["display_name"] or s.get("catalog_name")', ["display_name", "catalog_name"]),
        ("x.py", "q = dict(page_size=100)", ["page_size"]),
        ("x.py", "url = BASE + '?page_token=' + t", ["page_token"]),
        ("x.py", "    display_name: str", ["display_name"]),
        ("x.js", "const body = {display_name: n, write_keys}; f(s.catalog_name, s?.create_time)", ["display_name", "write_keys", "catalog_name", "create_time"]),
        ("x.ts", "const { display_name, write_keys } = source;", ["display_name", "write_keys"]),
        ("x.ts", "const {\n  display_name,\n  write_keys\n} = source;", ["display_name", "write_keys"]),  # as Prettier breaks it
        ("x.js", "await post(url, { body: JSON.stringify({ display_name, catalog_name }) });", ["display_name", "catalog_name"]),
        ("x.js", "report(display_name, write_keys);", []),
        ("x.rb", "name = source[:display_name]", ["display_name"]),
        ("x.go", 'Name string `json:"display_name"`', ["display_name"]),
        # the code's own names: none
        ("x.py", "def tracking_plans(ws, page_token=None, *, page_size: int = 10):", []),
        ("x.py", "page_token = None", []),
        ("x.py", "    if not page_token:  # done", []),
        ("x.py", "print(tracking_plans(ws), display_name)", []),
        ("x.py", 'url = f"{BASE}?page_token={page_token}"', ["page_token"]),
        ("x.py", "class display_name:", []),
        # a method called: the code's own, however it is named; an attribute read stays a key
        ("x.py", 'print(Seg().source_name("abc"), seg.display_name ("abc"), s.display_name)', ["display_name"]),
        ("x.js", "const t = await seg.display_name('web'); f(s.write_keys);", ["write_keys"]),
        ("x.js", "function catalog_name(page_size) { let write_keys = []; }", []),
        # a line starting with `function`: keys of its body are keys; its parameters are not
        ("x.js", 'function create(ws) { return post(u, { body: JSON.stringify({ source: { catalog_name: "c" } }) }); }',
         ["catalog_name"]),
        ("x.js", "function rename(ws) { return put(u, { update_mask: { paths: [] } }); }", ["update_mask"]),
        ("x.ts", "function list(page_token: string, page_size = 10) { return [page_token, page_size]; }", []),
        # far from the start of a long (minified) line
        ("x.js", 'var a="' + "y" * 400 + '";function g(page_size = 10){return post(u,{page_token:g})}', ["page_token"]),
        ("x.go", "page_token := resp.Next", []),
        # spread over lines: an argument of a call is a key, a parameter is not
        ("x.py", "r = client.get(\n    path,\n    page_size=100,\n)", ["page_size"]),
        ("x.py", "def list_sources(\n    self,\n    page_token=None,\n):", []),
        ("x.py", "async def f(\n        page_size=10, *,\n        display_name=''):", []),
        # the later targets of an assignment, a local annotated, a template's value: variables
        ("x.py", "    out, page_token = [], None", []),
        ("x.py", "[out, page_token] = [], None", []),
        ("x.py", "page_token = next_page_token = None", []),
        ("x.py", "def a():\n    if True:\n        page_token: str | None = None", []),
        ("x.py", "page_size: int = 100", []),
        ("x.js", "let next = page_token = '';", []),
        ("x.js", "fetch(`${BASE}/sources?pagination.cursor=${page_token}`)", []),
        # ... not the fields of a class, nor the keywords of a call spread over lines
        ("x.py", "class Page:\n    page_token: str | None = None", ["page_token"]),
        ("x.py", "r = dict(\n    a=b, page_size=1\n)", ["page_size"]),
        ("x.py", "r = dict(\n    a=b, page_size=1)", ["page_size"]),
        # a shell script's variables, assigned and expanded; not its query parameters or command words
        ("x.sh", 'page_token=""\nwhile :; do\n  curl "$BASE?page_size=10&page_token=$page_token"\n'
         '  export page_size=1; [ -z "${page_token}" ] && break\ndone', ["page_size", "page_token"]),
        ("x.sh", "curl -G -d page_size=10 \\\n  page_token=t \"$BASE\"", ["page_size", "page_token"]),
        # a JSON Schema's event properties (a tracking plan's rules) and the reads through them: the user's names
        ("x.py", 'SCHEMA = {"properties": {"display_name": {"type": "string"},\n    "page_size": {"type": "integer"}}}', []),
        ("x.py", 'v = [r["jsonSchema"]["properties"].get("display_name"), r.get("properties", {})["create_time"]]', []),
        ("x.js", "const s = { properties: { page_size: { type: 'integer' } } }; f(x.jsonSchema.properties?.display_name);", []),
        ("x.json", '{"rules": {"properties": {"properties": {"properties": {"create_time": {"type": "string"}}}}}}', []),
        ("x.py", 'body = {"properties": {}, "page_size": 10, "display_name": s["properties"]}', ["page_size", "display_name"]),
        # outside code, every whole word in an API context
        ("x.yaml", "page_size: 100", ["page_size"]),
        ("x.md", "Set display_name first.", ["display_name"]),
    ],
)
def test_field_names_in_code_are_keys_not_the_codes_own_names(
    text_auditor: Auditor, path: str, line: str, words: list[str]
) -> None:
    got = [f[3] for f in found(text_auditor, HOST + line + "\n", path) if f[0] >= 2]
    assert got == words


@pytest.mark.parametrize(
    ("script", "rule"),
    [
        ('curl -s -H "Authorization: Bearer $T" "$BASE/v1beta/workspaces/acme/sources?page_size=100"\n', "endpoint.sources.list"),
        ("curl -s -d @body.json https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.create"),
        ("curl -s \\\n  -d @body.json \\\n  https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.create"),
        ("curl -s \\\n  -X DELETE \\\n  https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web\n", "endpoint.sources.delete"),
        # data on the lines that continue the command
        ("curl -s https://platform.segmentapis.com/v1beta/workspaces/acme/sources \\\n  -d '{\"source\": {}}'\n", "endpoint.sources.create"),
        ("curl -s https://platform.segmentapis.com/v1beta/workspaces/acme/sources\ncurl -d x https://example.com\n", "endpoint.sources.list"),
        # -G sends the data as a query: GET
        ("curl -s -G -d page_size=10 https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.list"),
        ("curl --get --data-urlencode page_size=10 https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.list"),
        # -X attached in a group of short options; a value attached to another option
        ("curl -sXDELETE https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js\n", "endpoint.sources.delete"),
        ("curl -sSX 'DELETE' https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js\n", "endpoint.sources.delete"),
        ("curl -odata.json https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.list"),
        ("curl -sd@body.json https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.create"),
        # a token written out on the line: the method is still on the command's line
        ('curl -X DELETE -H "Authorization: Bearer ' + "x" * 1200 + '" https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js\n', "endpoint.sources.delete"),
        # the command before is another call: its method is not this one's
        ("curl -X POST https://platform.segmentapis.com/v1beta/access-tokens -d '{}'\n"
         "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "endpoint.sources.list"),
        # a script's arguments hold the ids: the path goes on after them
        ('curl -X DELETE "$API/v1beta/workspaces/$WS/sources/$1"\n', "endpoint.sources.delete"),
        ('curl -X DELETE "$API/v1beta/workspaces/$WS/sources/"$1\n', "endpoint.sources.delete"),
        ('curl -X DELETE "$API/v1beta/workspaces/$WS/sources/$@"\n', "endpoint.sources.delete"),
    ],
)
def test_the_method_of_a_curl_command(text_auditor: Auditor, script: str, rule: str) -> None:
    rules = [f[2] for f in found(text_auditor, script, "x.sh") if f[2].startswith("endpoint.")]
    assert rules[-1] == rule


POSTMAN_ITEM = """    {{
      "request": {{
        "method": "{method}",
        "header": [
          {{"key": "Authorization", "value": "Bearer {{{{token}}}}"}}
        ],
        "url": {{
          "raw": "https://platform.segmentapis.com/v1beta/workspaces/{{{{ws}}}}/sources/{{{{src}}}}"
        }}
      }}
    }}"""


def test_the_method_of_a_request_in_a_structured_file(text_auditor: Auditor) -> None:
    """Postman items give the method a few keys before the URL; the item before
    (with a URL of its own) does not lend it its method."""
    items = ",\n".join(POSTMAN_ITEM.format(method=m) for m in ("DELETE", "GET"))
    collection = '{\n  "item": [\n' + items + "\n  ]\n}\n"
    rules = [f[2] for f in found(text_auditor, collection, "x.postman_collection.json") if f[2].startswith("endpoint.")]
    assert rules == ["endpoint.sources.delete", "endpoint.sources.get"]
    connector = (
        "requests:\n  - name: create\n    method: POST\n    headers: {}\n    path: /v1beta/workspaces/<ws>/sources\n"
        "  - name: list\n    path: /v1beta/workspaces/<ws>/sources\n"
    )
    rules = [f[2] for f in found(text_auditor, connector, "c.yaml") if f[2].startswith("endpoint.")]
    assert rules == ["endpoint.sources.create", "endpoint.sources.list"]


def test_a_template_literal_broken_inside_a_placeholder(text_auditor: Auditor) -> None:
    """Prettier breaks long template literals inside `${...}`: the path goes on after it."""
    source = "const url = `${BASE}/v1beta/workspaces/${ws}/sources/${\n  source.slug\n}`;\n"
    assert [(f[0], f[2]) for f in found(text_auditor, source, "x.ts")] == [(1, "endpoint.sources.get")]


CONFIG_LINE = {
    "x.py": 'SEGMENT = "https://platform.segmentapis.com/v1beta"\n',
    "x.sh": "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n",
    "x.js": 'const SEGMENT = "https://platform.segmentapis.com/v1beta";\n',
}


@pytest.mark.parametrize("path", sorted(CONFIG_LINE))
@pytest.mark.parametrize(
    "other",
    [
        'GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent"\n',
        "curl https://generativelanguage.googleapis.com/v1beta/models\n",
        "curl https://app.terraform.io/api/v2/organizations/x/workspaces/prod/vars\n",
        'url = f"https://api.bitbucket.org/2.0/workspaces/{ws}/projects"\n',
        'TFC = "https://app.terraform.io/api/v2"\nurl = f"{TFC}/organizations/{org}/workspaces/{ws}/vars"\n',
        'const TFC = "https://app.terraform.io/api/v2";\nfetch(`${TFC}/organizations/${org}/workspaces/${ws}/vars`);\n',
        'TFC="https://app.terraform.io/api/v2"\ncurl "$TFC/organizations/$ORG/workspaces/$WS/vars"\n',
        'TFC = "https://app.terraform.io/api/v2"\nurl = TFC + "/organizations/x/workspaces/"\n',
    ],
)
def test_pieces_of_another_apis_url_in_a_file_that_uses_the_config_api(
    text_auditor: Auditor, path: str, other: str,
) -> None:
    """A URL of another named host yields no Config path piece nor `v1beta`
    prefix, even where the file uses the Config API."""
    rules = {rule for _, _, rule, _ in found(text_auditor, CONFIG_LINE[path] + other, path)}
    assert not rules & {"audit.v1beta-prefix", "audit.config-path-piece"}


def test_a_whole_config_path_on_another_host_is_still_reported(text_auditor: Auditor) -> None:
    """A proxy of the Config API: its paths are findings, its `v1beta` alone is not."""
    source = CONFIG_LINE["x.py"] + 'A = "https://proxy.acme.com/v1beta/workspaces/acme/sources"\nB = "https://proxy.acme.com/v1beta"\n'
    assert [(line, rule) for line, _, rule, _ in found(text_auditor, source)] == [
        (1, "host.base-url"), (2, "endpoint.sources.list"),
    ]


@pytest.mark.parametrize(
    "other",
    [
        'url = "http://localhost:8080/v1beta/"\n',  # a stand-in for the Config API
        'url = f"{SEGMENT}/v1beta/"\n',
        'url = f"{base}/workspaces/"\n',
        'slug = source["name"].replace("workspaces/", "")\n',
    ],
)
def test_pieces_of_config_urls_are_still_reported(text_auditor: Auditor, other: str) -> None:
    rules = [rule for _, _, rule, _ in found(text_auditor, CONFIG_LINE["x.py"] + other)]
    assert rules[1:] in (["audit.v1beta-prefix"], ["audit.config-path-piece"])


NOTEBOOK = r"""{
 "cells": [
  {"cell_type": "markdown", "metadata": {"tags": ["display_name"]}, "source": ["# Segment audit\n"]},
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["{\"display_name\": \"Web\", \"create_time\": \"2020\"}\n", "https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n"]}
   ],
   "source": ["import requests\n", "r = requests.get(\"https://platform.segmentapis.com/v1beta/workspaces/acme/sources\")\n", "[s[\"display_name\"] for s in r.json()[\"sources\"]]\n"]}
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"},
  "language_info": {"name": "python"}},
 "nbformat": 4, "nbformat_minor": 5
}
"""


def test_a_notebook_is_read_for_its_cells_source_only(real_rules: RuleSet) -> None:
    """Metadata (the kernelspec's `display_name`) and outputs are not code;
    lines and columns are the file's."""
    findings = audit_text("nb.ipynb", NOTEBOOK.encode(), real_rules)
    assert [(f.line, f.rule, f.text) for f in findings] == [
        (7, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (7, "endpoint.sources.list", "/workspaces/acme/sources"),
        (7, "source.fields", "display_name"),  # read off the list of sources the call on its line gets
    ]
    lines = NOTEBOOK.splitlines()
    assert all(lines[f.line - 1][f.column - 1 :].startswith(f.text) for f in findings)
    # Nothing but metadata and outputs: nothing at all.
    source = NOTEBOOK[NOTEBOOK.index('"source": ["import') : NOTEBOOK.index("]}\n ],") + 1]
    without_source = NOTEBOOK.replace(source, '"source": []')
    assert json.loads(without_source)["cells"][1]["source"] == []
    assert audit_text("nb.ipynb", without_source.encode(), real_rules) == []


def test_a_notebooks_cells_are_code(real_rules: RuleSet) -> None:
    """A cell's own names (a parameter `display_name`) are not Config keys, as in a `.py` file."""
    cell = [
        "import requests\n", 'BASE = "https://platform.segmentapis.com/v1beta"\n',
        "def show(display_name):\n", "    print(display_name)\n", 'requests.get(BASE)["display_name"]\n',
    ]
    notebook = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": cell}]}, indent=1)
    findings = audit_text("nb.ipynb", notebook.encode(), real_rules)
    assert [(f.rule, f.text) for f in findings] == [
        ("host.base-url", "https://platform.segmentapis.com/v1beta"), ("audit.config-field", "display_name"),
    ]
    assert notebook.splitlines()[findings[1].line - 1].startswith('    "requests.get(BASE)')


@pytest.mark.parametrize(("between", "rule"), [(0, "source.fields"), (25, "audit.config-field")])
def test_a_notebooks_resource_window_counts_lines_of_code(real_rules: RuleSet, between: int, rule: str) -> None:
    """The resource a field name belongs to is looked for 20 lines of the
    cells' code above it, as in a `.py` file of the same code: the outputs
    and JSON between cells are not counted; 25 lines of code still are."""
    first = [
        "import requests\n", 'BASE = "https://platform.segmentapis.com/v1beta"\n',
        'r = requests.get(f"{BASE}/workspaces/acme/sources")\n', 'srcs = r.json()["sources"]',
    ]
    second = [*(["x = 1\n"] * between), "for s in srcs:\n", '    print(s["display_name"])']
    outputs = [{"name": "stdout", "output_type": "stream", "text": [f"line {n}\n" for n in range(30)]}]
    cells = [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": first},
             {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": outputs, "source": second}]
    notebook = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"
    auditor = Auditor(real_rules, codemod=None)  # the text scan of a `.py` file (`--no-precise`)
    in_notebook = [(f.rule, f.text) for f in auditor.scan("nb.ipynb", notebook.encode()).findings]
    assert in_notebook == [
        ("host.base-url", "https://platform.segmentapis.com/v1beta"),
        ("endpoint.sources.list", "workspaces/acme/sources"),
        (rule, "display_name"),
    ]
    as_python = "".join(first) + "\n" + "".join(second) + "\n"
    assert [(f.rule, f.text) for f in auditor.scan("nb.py", as_python.encode()).findings] == in_notebook


def test_basic_auth_to_another_api_is_no_token_minted_by_password(text_auditor: Auditor) -> None:
    source = (
        'curl -s -u "$WRITE_KEY:" https://api.segment.io/v1/track -d \'{"userId": "1"}\'\n'
        'curl -u "$EMAIL:$PASSWORD" -X POST https://platform.segmentapis.com/v1beta/access-tokens\n'
    )
    found_rules = [(line, rule) for line, _, rule, _ in found(text_auditor, source, "a.sh")]
    assert (1, "audit.token-by-password") not in found_rules
    assert (2, "audit.token-by-password") in found_rules


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        ('u := fmt.Sprintf("%sworkspaces/%s/sources/%s", base, ws, src)\n', "x.go",
         (1, 21, "endpoint.sources.get", "workspaces/%s/sources/%s")),
        ('requests.delete("%sworkspaces/%s/sources/%s" % (BASE, ws, src))\n', "x.py",
         (1, 20, "endpoint.sources.delete", "workspaces/%s/sources/%s")),
    ],
)
def test_a_path_right_after_a_printf_placeholder(
    text_auditor: Auditor, source: str, path: str, expected: tuple[int, int, str, str],
) -> None:
    """`%sworkspaces/...`: the base URL (ending with `/`) is filled in before the path."""
    assert found(text_auditor, source, path) == [expected]


def test_a_github_actions_expression_is_one_placeholder(text_auditor: Auditor) -> None:
    source = (
        "      - run: |\n"
        "          curl -X DELETE \\\n"
        '            "https://platform.segmentapis.com/v1beta/workspaces/${{ vars.WS }}/sources/${{ env.SRC }}"\n'
    )
    assert found(text_auditor, source, ".github/workflows/sync.yml") == [
        (3, 14, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (3, 53, "endpoint.sources.delete", "/workspaces/${{ vars.WS }}/sources/${{ env.SRC }}"),
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ('r = requests.get(BASE + "workspaces/" + ws + "/sources/" + slug).json()\n',
         'workspaces/" + ws + "/sources/" + slug'),
        ('r = requests.get(BASE + "workspaces/" + ws + "/sources/" + ids[slug])\n',
         'workspaces/" + ws + "/sources/" + ids[slug]'),
        ('r = requests.get(BASE + "workspaces/" + ws + "/sources/" + s.get("slug")).json()\n',
         'workspaces/" + ws + "/sources/" + s.get("slug")'),
    ],
)
def test_a_path_ending_with_an_expression_ends_with_it(text_auditor: Auditor, line: str, text: str) -> None:
    """Not with the call around it (`).json()`)."""
    assert found(text_auditor, line) == [(1, 26, "endpoint.sources.get", text)]


def test_the_update_mask_message_says_what_to_do(text_auditor: Auditor) -> None:
    source = (
        "curl -X PATCH https://platform.segmentapis.com/v1beta/workspaces/a/sources/b/destinations/c \\\n"
        """  -d '{"destination": {"enabled": false}, "update_mask": {"paths": ["destination.enabled"]}}'\n"""
    )
    [mask] = [f for f in text_auditor.scan("a.sh", source.encode()).findings if f.rule == "update-mask.partial-body"]
    assert (mask.line, mask.column, mask.message) == (
        2, 44,
        "Config `update_mask`: Public PATCH calls take no mask; send only the fields it lists, a listed field "
        'without a value as its empty value (`""`, `0`, `false`); `migrator translate --request` converts a body',
    )


def test_field_names_on_a_line_of_another_apis_call_are_its(text_auditor: Auditor) -> None:
    """Google's `page_token` sent on a line whose URL is Google's, in a file
    that also uses the Config API."""
    source = (
        'BASE = "https://platform.segmentapis.com/v1beta"\n'
        'r = requests.get("https://www.googleapis.com/drive/v3/files", params={"page_token": t, "page_size": 10})\n'
        'r = requests.get(BASE + "/workspaces/acme/sources", params={"page_token": t})\n'
    )
    assert [(line, rule) for line, _, rule, _ in found(text_auditor, source)] == [
        (1, "host.base-url"), (3, "endpoint.sources.list"), (3, "pagination.params"),
    ]


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        # the colon of a YAML key (OpenAPI paths), of a sentence
        ("paths:\n  /v1beta/workspaces/{workspace}/sources:\n    get: {}\n", "api.yaml",
         [(2, 3, "endpoint.sources.list", "/v1beta/workspaces/{workspace}/sources")]),
        ("Then DELETE /v1beta/workspaces/acme/sources/js: it is gone.\n", "notes.md",
         [(1, 13, "endpoint.sources.delete", "/v1beta/workspaces/acme/sources/js")]),
        # the period that ends a sentence
        ("We called https://platform.segmentapis.com/v1beta/workspaces/acme/sources.\n", "notes.md",
         [(1, 11, "host.base-url", "https://platform.segmentapis.com/v1beta"),
          (1, 50, "endpoint.sources.list", "/workspaces/acme/sources")]),
        ("See /v1beta/workspaces/acme/tracking-plans/rs_1/source-connections.\n", "notes.md",
         [(1, 5, "endpoint.source-connections.create", "/v1beta/workspaces/acme/tracking-plans/rs_1/source-connections")]),
    ],
)
def test_a_path_does_not_end_with_a_colon_or_a_period(
    text_auditor: Auditor, source: str, path: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """`/sources:` and `/sources.` are `/sources`: not a piece of a path, nor a shorter one's row."""
    assert found(text_auditor, source, path) == expected


def test_a_workspace_path_of_another_api_in_a_file_that_uses_the_config_api(text_auditor: Auditor) -> None:
    """`workspaces/x` alone (no Config path of two literal segments) in
    another named host's URL is that API's, written out or joined to a base
    the file assigns such a URL."""
    source = (
        "SEG=https://platform.segmentapis.com/v1beta\n"
        "curl https://app.terraform.io/api/v2/workspaces/ws-123\n"
        'curl "https://api.bitbucket.org/2.0/workspaces/acme"\n'
        "TFC=https://app.terraform.io/api/v2\n"
        'curl "$TFC/workspaces/$WS_ID"\n'
        'curl "$SEG/workspaces/acme"\n'
    )
    assert found(text_auditor, source, "a.sh") == [
        (1, 5, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (6, 12, "endpoint.workspaces.get", "workspaces/acme"),
    ]


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        # the statement before ends with `;`: its method is not this call's
        ('await client(`workspaces/${w}/sources`, { method: "POST" });\n'
         "const plans = await fetch(\n  `${BASE}/workspaces/${w}/sources?page_size=${n}`\n);\n", "a.ts",
         [(1, 15, "endpoint.sources.create"), (3, 12, "endpoint.sources.list"), (3, 36, "pagination.params")]),
        # a resource name between the method and the URL (a Postman request's body) is no other call
        ('"method": "POST",\n"body": {"raw": "{\\"name\\": \\"workspaces/{{ws}}/sources/{{src}}\\"}"},\n'
         '"url": {"raw": "{{base}}/v1beta/workspaces/{{ws}}/sources"}\n', "c.postman_collection.json",
         [(2, 31, "source.fields"), (3, 25, "endpoint.sources.create")]),
    ],
)
def test_the_method_of_another_statement_is_not_this_calls(
    text_auditor: Auditor, source: str, path: str, expected: list[tuple[int, int, str]],
) -> None:
    assert [(line, column, rule) for line, column, rule, _ in found(text_auditor, source, path)] == expected


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ('    url: `workspaces/${ws}/sources/${src}`,', "endpoint.sources.get"),
        ('  "path": "workspaces/{{ws}}/sources/{{src}}",', "endpoint.sources.get"),
        ('client.delete(`workspaces/${w}/sources/${s}`);', "endpoint.sources.delete"),
        ('const r = await fetch("workspaces/acme/sources/js");', "endpoint.sources.get"),
        # C#'s HttpClient, with a relative URI against its BaseAddress
        ('var r = await http.DeleteAsync($"workspaces/{ws}/sources/{src}");', "endpoint.sources.delete"),
        ('var r = await http.GetAsync("workspaces/acme/sources/js");', "endpoint.sources.get"),
        # a resource name
        ('  "name": "workspaces/acme/sources/js",', "source.fields"),
        ('source_name = "workspaces/acme/sources/js"', "source.fields"),
        ('names.append("workspaces/acme/sources/js")', "source.fields"),
    ],
)
def test_a_url_keys_value_and_an_http_calls_argument_are_paths(text_auditor: Auditor, line: str, rule: str) -> None:
    """`workspaces/x/sources/y` in quotes is a resource name, unless a URL
    key or an HTTP call takes it."""
    assert [f[2] for f in found(text_auditor, line + "\n", "a.js")] == [rule]


@pytest.mark.parametrize("path", ["sync.py", "sync.sh"])
def test_a_config_like_path_of_another_api_without_v1beta_is_that_apis(text_auditor: Auditor, path: str) -> None:
    """Postman's `GET /workspaces/{id}/roles` has a Config path's shape: on
    another named host, with no `v1beta/` before it, it is not reported (a
    proxy of the Config API keeps the prefix)."""
    source = (
        'POSTMAN = "https://api.getpostman.com"\n'
        'r = get(f"{POSTMAN}/workspaces/{ws}/sources")\n'
        'r = get("https://api.getpostman.com/workspaces/$WS/sources/$SRC")\n'
        'r = get("https://proxy.acme.com/v1beta/workspaces/acme/sources")\n'
    )
    assert found(text_auditor, source, path) == [(4, 32, "endpoint.sources.list", "/v1beta/workspaces/acme/sources")]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ('curl -X DELETE "$BASE"/workspaces/"$WS"/sources/"$SRC"', 'workspaces/"$WS"/sources/"$SRC"'),
        ("curl -X DELETE \"$BASE/workspaces/\"${WS}\"/sources/\"$(cat src)", 'workspaces/"${WS}"/sources/"$(cat src)'),
        ("curl -X DELETE \"$BASE/workspaces/\"$WS/sources/$SRC", 'workspaces/"$WS/sources/$SRC'),
    ],
)
def test_a_shell_variable_quoted_inside_a_path(text_auditor: Auditor, line: str, text: str) -> None:
    """`"$WS"` quoted on its own in the middle of a word is one placeholder
    of the path; a quote that closes before an expansion, or opens after
    one, does not end the word."""
    assert [(f[2], f[3]) for f in found(text_auditor, HOST + line + "\n", "a.sh")][1:] == [("endpoint.sources.delete", text)]


def test_the_config_host_over_plain_http(text_auditor: Auditor) -> None:
    """The whole URL, from its scheme, not from `//`."""
    assert found(text_auditor, "A=http://platform.segmentapis.com/v1beta/workspaces/acme/sources\n", "a.env") == [
        (1, 3, "host.base-url", "http://platform.segmentapis.com/v1beta"),
        (1, 41, "endpoint.sources.list", "/workspaces/acme/sources"),
    ]


def test_the_config_host_in_capitals(text_auditor: Auditor) -> None:
    """Host names are case-insensitive; in capitals, the byte search finds it too."""
    source = 'SEGMENT_API=HTTPS://PLATFORM.SEGMENTAPIS.COM/v1beta\ncurl -X DELETE "https://PLATFORM.SEGMENTAPIS.COM/v1beta/workspaces/$WS/sources/$SRC"\n'
    assert found(text_auditor, source, "a.sh") == [
        (1, 13, "host.base-url", "HTTPS://PLATFORM.SEGMENTAPIS.COM/v1beta"),
        (2, 17, "host.base-url", "https://PLATFORM.SEGMENTAPIS.COM/v1beta"),
        (2, 56, "endpoint.sources.delete", "/workspaces/$WS/sources/$SRC"),
    ]
    # Alone in its file (no `v1beta` nor `workspaces/` to let the file through).
    assert found(text_auditor, "API=PLATFORM.SEGMENTAPIS.COM\n", "a.env") == [(1, 5, "host.base-url", "PLATFORM.SEGMENTAPIS.COM")]


def test_the_config_host_in_mixed_case(text_auditor: Auditor) -> None:
    """Host names are case-insensitive: in mixed case too, in a file the
    triggers let through, and as a whole host name only, as lowercase."""
    source = ('steps:\n'
              '  - run: curl https://Platform.SegmentAPIs.com/v1beta/workspaces/acme/sources\n'
              '  - run: echo https://PLATFORM.segmentapis.com https://platform.SegmentAPIs.com.\n')
    assert found(text_auditor, source, "ci.yml") == [
        (2, 15, "host.base-url", "https://Platform.SegmentAPIs.com/v1beta"),
        (2, 54, "endpoint.sources.list", "/workspaces/acme/sources"),
        (3, 15, "host.base-url", "https://PLATFORM.segmentapis.com"),
        (3, 48, "host.base-url", "https://platform.SegmentAPIs.com"),
    ]
    python = 'HOST = "https://Platform.SegmentAPIs.com"\nPATH = "/v1beta/workspaces/acme/sources"\n'
    assert found(text_auditor, python) == [
        (1, 9, "host.base-url", "https://Platform.SegmentAPIs.com"),
        (2, 9, "endpoint.sources.list", "/v1beta/workspaces/acme/sources"),
    ]


@pytest.mark.parametrize("host", ["platform.segmentapis.com", "Platform.SegmentAPIs.com", "PLATFORM.SEGMENTAPIS.COM"])
def test_hosts_that_contain_the_config_host_name(text_auditor: Auditor, host: str) -> None:
    """`notplatform.segmentapis.com`, `platform.segmentapis.com.evil.example`: other hosts, in any case."""
    source = f"A=https://{host}.evil.example/v1beta\nB=https://not{host}/v1beta\nC=x-{host}\n"
    assert found(text_auditor, source, "a.env") == []


def test_another_request_above_does_not_lend_its_method() -> None:
    """A call or a `curl` command complete on the line above is another
    request; a YAML item gives its method below its path, not the item above."""
    from migrator.ruleset import load_rules

    text_auditor = Auditor(load_rules(), codemod=None)
    ts = ("export async function sync(ws: string, s: string) {\n"
          "  await axios.delete(`${BASE}/workspaces/${ws}/sources/${s}/destinations/${d}`)\n"
          "  const r = await fetch(`${BASE}/workspaces/${ws}/sources/${s}`)\n}\n")
    shell = ('curl -X DELETE "$API/workspaces/$WS/sources/$SRC"\n'
             'curl -sS "$API/workspaces/$WS/sources/$SRC"\n')
    yaml = ("streams:\n  - name: sources\n    path: /v1beta/workspaces/<w>/sources/<s>\n    method: GET\n"
            "  - name: destinations\n    path: \"workspaces/<w>/sources/<s>/destinations/<d>\"\n    method: DELETE\n"
            "  - path: 'workspaces/:w/tracking-plans/:plan'\n    http_method: PUT\n")
    rules = {name: [f[2] for f in found(text_auditor, text, name) if f[2].startswith("endpoint.")]
             for name, text in (("d.ts", ts), ("t.sh", shell), ("c.yaml", yaml))}
    assert rules == {
        "d.ts": ["endpoint.destinations.delete", "endpoint.sources.get"],
        "t.sh": ["endpoint.sources.delete", "endpoint.sources.get"],
        "c.yaml": ["endpoint.sources.get", "endpoint.destinations.delete", "endpoint.tracking-plans.update"],
    }
    [fetched] = [f for f in text_auditor.scan("d.ts", ts.encode()).findings if f.line == 3]
    # not the DELETE above: fetch's own default, GET
    assert fetched.message == ("`GET /v1beta/workspaces/{workspace}/sources/{source}` is `GET /sources/{sourceId}` "
                               "in the Public API (ids from `migrator ids`)")


def test_a_notebooks_code_is_read_as_the_code_its_json_strings_hold(real_rules: RuleSet) -> None:
    """Double quotes in a cell are escaped in the file (`\\"/workspaces/\\"`):
    the path joined with `+` is read as in a `.py` file, at the file's columns."""
    cell = ['BASE = "https://platform.segmentapis.com/v1beta"\n',
            'requests.delete(BASE + "/workspaces/" + ws + "/sources/" + slug)\n']
    notebook = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": cell}]}, indent=1)
    text_only = Auditor(real_rules, codemod=None)
    as_python = [(f.rule, f.text) for f in text_only.scan("x.py", "".join(cell).encode()).findings]
    findings = audit_text("nb.ipynb", notebook.encode(), real_rules)
    assert [(f.rule, f.text) for f in findings] == as_python
    assert [f.rule for f in findings] == ["host.base-url", "endpoint.sources.delete"]
    lines = notebook.splitlines()
    assert [lines[f.line - 1][f.column - 1 :][:12] for f in findings] == ["https://plat", 'workspaces/\\']


def test_a_postman_url_given_only_as_arrays_is_read_as_the_url_it_stands_for(real_rules: RuleSet) -> None:
    """`host` and `path` arrays, with no `raw` string: one line or one part a
    line, as Postman writes them; a URL with `raw` is read there only."""
    request = ('{{"method": "POST", "url": {{{raw}"protocol": "https",\n'
               '  "host": ["platform", "segmentapis", "com"],\n'
               '  "path": [\n    "v1beta",\n    "workspaces",\n    "acme",\n    "regulations"\n  ]}}}}')
    raw = '"raw": "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations",\n'
    text_only = Auditor(real_rules, codemod=None)
    # at the arrays' first elements (`platform`, `v1beta`), as a raw string's findings are at their text
    for given, expected in ((request.format(raw=""), [(2, 13, "host.base-url"), (4, 6, "endpoint.regulations.create")]),
                            (request.format(raw=raw), [(1, 78, "host.base-url"), (1, 117, "endpoint.regulations.create")])):
        collection = '{"item": [{"name": "Suppress", "request": ' + given + '}]}\n'
        findings = text_only.scan("s.postman_collection.json", collection.encode()).findings
        assert [(f.line, f.column, f.rule) for f in findings] == expected


SORTED_REQUEST = {
    "body": {"mode": "raw", "raw": "{}"},
    "header": [{"key": "Authorization", "value": "Bearer x"}, {"key": "Content-Type", "value": "application/json"}],
    "method": "DELETE",
    "url": {"host": ["platform", "segmentapis", "com"], "path": ["v1beta", "workspaces", "acme", "sources", "js"],
            "protocol": "https", "query": [{"key": "a", "value": "1"}],
            "raw": "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js?a=1"},
}


@pytest.mark.parametrize("indent", [None, 2])
def test_a_postman_url_whose_raw_comes_after_its_arrays_is_read_once_with_its_method(
    real_rules: RuleSet, indent: int | None,
) -> None:
    """Keys sorted (`jq -S`, `sort_keys=True`) put `raw` after `host` and
    `path`: the URL is read at `raw` only, as when `raw` comes first, and
    with the request's method, `body` and `header` between them or not."""
    collection = json.dumps({"info": {"name": "x"}, "item": [{"name": "Delete", "request": SORTED_REQUEST}]},
                            indent=indent, sort_keys=True) + "\n"
    lines = collection.splitlines()
    raw = next(i for i, line in enumerate(lines, 1) if '"raw": "https' in line)
    column = lines[raw - 1].index('"raw": "https') + 9
    assert found(Auditor(real_rules, codemod=None), collection, "s.postman_collection.json") == [
        (raw, column, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (raw, column + 39, "endpoint.sources.delete", "/workspaces/acme/sources/js"),
    ]
    [told] = [f for f in Auditor(real_rules, codemod=None).scan("s.postman_collection.json", collection.encode()).findings
              if f.rule.startswith("endpoint.")]
    assert told.message.startswith("`DELETE /v1beta/")


def test_a_method_named_near_a_path_for_something_else_is_not_its_own() -> None:
    from migrator.ruleset import load_rules

    text_auditor = Auditor(load_rules(), codemod=None)
    url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"
    cases = {
        "a.sh": f'METHOD=DELETE\ncurl "{url}"\n',
        "b.sh": f'curl -X DELETE "$OTHER" \\\n  -H "x: y"\ncurl "{url}"\n',
        "c.py": f'kwargs = {{"method": "DELETE", "timeout": 3}}\nu = "{url}"\n',
        "d.yml": f"checks:\n  - url: {url}\n    on_failure:\n      url: https://hooks.example.com/alert\n      method: DELETE\n",
        "e.yml": f"jobs:\n  - url: {url}\n    script: |\n      method: DELETE\n",
        "f.json": ('{"item": [{"request": {"method": "DELETE", "url": "' + url + '"}}, '
                   '{"request": {"method": "GET", "url": "' + url + '"}}]}\n'),
    }
    found = {name: [f.rule for f in text_auditor.scan(name, text.encode()).findings if f.rule.startswith("endpoint.")]
             for name, text in cases.items()}
    assert found == {"a.sh": ["endpoint.sources.get"], "b.sh": ["endpoint.sources.get"],
                     "c.py": ["endpoint.sources.get"], "d.yml": ["endpoint.sources.get"],
                     "e.yml": ["endpoint.sources.get"], "f.json": ["endpoint.sources.delete", "endpoint.sources.get"]}
    # without a method of its own, every method of the path is told
    [told] = [f for f in text_auditor.scan("c.py", cases["c.py"].encode()).findings if f.rule.startswith("endpoint.")]
    assert told.message.startswith("Config path")


@pytest.mark.parametrize(("name", "code"), [
    ("a.py", 'path = "/".join(["workspaces", WORKSPACE, "regulations"])\nrequests.post(API + "/" + path)\n'),
    ("a.ts", 'await fetch([CONFIG_API, "workspaces", ws, "regulations"].join("/"), {method: "POST"});\n'),
    ("a.go", 'p := strings.Join([]string{"workspaces", ws, "regulations"}, "/")\nhttp.Post(base+"/"+p, "", nil)\n'),
])
def test_a_path_joined_from_a_list_of_segments(real_rules: RuleSet, name: str, code: str) -> None:
    text_only = Auditor(real_rules, codemod=None)
    [found] = [f for f in text_only.scan(name, code.encode()).findings if f.rule.startswith("endpoint.")]
    assert found.rule.startswith("endpoint.regulations.") and found.line == 1
    line = code.splitlines()[0]
    # from its first piece to its last: `workspaces", WORKSPACE, "regulations`
    first, last = line.index("workspaces") + 1, line.index("regulations") + len("regulations") + 1
    assert found.text == "workspaces/{}/regulations" and (found.column, found.end()) == (first, (1, last))


TF_PLANS = """\
variable "page_size" {
  default = 100
}
data "http" "tracking_plans" {
  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans?page_size=${var.page_size}"
}
output "display_name" {
  value = jsondecode(data.http.tracking_plans.response_body).tracking_plans[0].display_name
}
"""
TF_OWN = """\
locals {
  page_size = 50
  names     = [for s in local.sources : s.display_name]
  body      = { page_size = local.page_size }
}
data "http" "s" {
  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
}
resource "segment_thing" "display_name" {}
output "x" { value = segment_thing.display_name.id }
module "tracking_plans" { source = "./tp" }
output "y" { value = module.tracking_plans.create_time }
"""

TF_CONFIG_PROVIDER = """\
terraform {
  required_providers {
    segment = { source = "ajbosco/segment" }
  }
}
"""
"""The community provider built on a Config API client: its `segment_*` arguments are Config fields."""

TF_PROVIDERS = """\
resource "restapi_object" "src" {
  path = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
  update_mask = "x"
}
resource "google_service_account" "sa" {
  display_name = "Segment sync"
  labels = {
    create_time = "x"
  }
}
module "sync" { page_size = 10 }
resource "restapi_object" "body" {
  data = jsonencode({
    source = {
      catalog_name = "catalog/sources/js"
    }
  })
}
resource "segment_source" "s" {
  catalog_name = "catalog/sources/javascript"
}
"""

TF_HEREDOCS = """\
data "http" "s" { url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources" }
resource "aws_instance" "web" {
  user_data = <<-EOF
    #!/bin/bash
    IP=$(curl -s http://169.254.169.254/latest/meta-data/local-ipv4)
  EOF
}
resource "aws_instance" "web2" {
  user_data = <<EOT
    case "$1" in
      start) systemctl start app ;;
    esac
EOT
  tags = { display_name = "web" }
}
resource "segment_source" "web" {
  catalog_name = "catalog/sources/javascript"
}
"""


TF_SYNTAX = """\
data "http" "s" { url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources" }
resource google_service_account sa {
  display_name = "Segment sync"
}
resource "google_service_account" "sb" {
  /* was: labels = {
     create_time = "x" */
  display_name = "b"
}
resource "segment_source" "web" {
  catalog_name = "catalog/sources/javascript"
}
/*
resource "google_service_account" "old" {
*/
resource "segment_source" "web2" {
  catalog_name = "catalog/sources/javascript"
}
resource "google_service_account" "sc" {
  description = "${format("%s}", var.x)} $${literal"
  display_name = "c" // a comment with a brace {
  dynamic "setting" {
    for_each = { for k, v in var.m : k => v }
    content {
      display_name = setting.value
    }
  }
  user_data = <<-EOT
    function f() { echo "}"
  EOT
}
resource "segment_source" "web3" {
  catalog_name = "catalog/sources/javascript"
}
"""

TF_JSON = """\
{
  "data": {
    "http": {
      "sources": {
        "url": "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
      }
    }
  },
  "variable": {"page_size": {"default": 100}},
  "locals": {"display_name": "x"},
  "resource": {
    "google_service_account": {
      "sa": {"display_name": "Segment sync", "labels": {"create_time": "x"}}
    },
    "segment_source": {
      "js": {"catalog_name": "catalog/sources/javascript"}
    },
    "restapi_object": {
      "body": [{"data": "${jsonencode({source = {catalog_name = \\"catalog/sources/js\\"}})}"}]
    }
  },
  "module": {"sync": {"source": "./sync", "page_size": 10}},
  "output": {"tracking_plans": {"value": "${segment_source.js.id}"}},
  "terraform": {"required_providers": {"segment": {"source": "registry.terraform.io/ajbosco/segment"}}}
}
"""


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        # block labels and references to them are the configuration's own names; keys of decoded JSON are fields
        ("main.tf", TF_PLANS, [
            (5, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (5, 49, "endpoint.tracking-plans.list", "/workspaces/acme/tracking-plans"),
            (5, 81, "pagination.params", "page_size"),
            (8, 62, "tracking-plan.fields", "tracking_plans"),
            (8, 80, "tracking-plan.fields", "display_name"),
        ]),
        # so are the names of local values, resources and modules
        ("own.tf", TF_OWN, [
            (3, 43, "audit.config-field", "display_name"),
            (4, 17, "pagination.params", "page_size"),
            (7, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (7, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
        ]),
        # and the variables a .tfvars file sets (not the keys of their values)
        ("prod.tfvars", 'api       = "https://platform.segmentapis.com/v1beta"\npage_size = 100\n'
                        'source    = { display_name = "x" }\n', [
            (1, 14, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (3, 15, "audit.config-field", "display_name"),
        ]),
        # a label does not say whose field a key is: the call's path does
        ("a.tf", 'data "http" "sources" {\n  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\n}\n'
                 'output "tracking_plans" {\n  value = [for s in jsondecode(data.http.sources.response_body).sources : '
                 's.display_name]\n}\n', [
            (2, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
            (5, 77, "source.fields", "display_name"),
        ]),
        ("b.tf", 'data "http" "tracking_plans" {\n  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\n}\n'
                 'output "names" {\n  value = [for s in jsondecode(data.http.tracking_plans.response_body).sources : '
                 's.display_name]\n}\n', [
            (2, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
            (5, 84, "source.fields", "display_name"),
        ]),
        # another provider's arguments are its schema, a module's its variables; a jsonencode'd body and a
        # Segment provider's keys are sent as written
        ("c.tf", TF_PROVIDERS + TF_CONFIG_PROVIDER, [
            (2, 11, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 50, "endpoint.sources.list", "/workspaces/acme/sources"),
            (15, 7, "source.fields", "catalog_name"),
            (20, 3, "source.fields", "catalog_name"),
            (24, 27, "audit.config-terraform-provider", "ajbosco/segment"),  # the provider itself is Config API usage
        ]),
        # a heredoc is text of another language: its brackets need not pair
        ("d.tf", TF_HEREDOCS + TF_CONFIG_PROVIDER, [
            (1, 26, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (1, 65, "endpoint.sources.list", "/workspaces/acme/sources"),
            (17, 3, "source.fields", "catalog_name"),
            (21, 27, "audit.config-terraform-provider", "ajbosco/segment"),
        ]),
        # labels may be identifiers; braces in comments (a commented-out block too), in strings and their
        # interpolations, and in heredocs open and close nothing
        ("e.tf", TF_SYNTAX + TF_CONFIG_PROVIDER, [
            (1, 26, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (1, 65, "endpoint.sources.list", "/workspaces/acme/sources"),
            (11, 3, "source.fields", "catalog_name"),
            (17, 3, "source.fields", "catalog_name"),
            (33, 3, "source.fields", "catalog_name"),
            (37, 27, "audit.config-terraform-provider", "ajbosco/segment"),
        ]),
        # the JSON syntax is read the same way: labels, local values, other providers' and modules' arguments
        # are the configuration's; a Segment provider's keys, and those of a jsonencode'd body, are fields
        ("main.tf.json", TF_JSON, [
            (5, 17, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (5, 56, "endpoint.sources.list", "/workspaces/acme/sources"),
            (16, 15, "source.fields", "catalog_name"),
            (19, 50, "source.fields", "catalog_name"),
            (24, 63, "audit.config-terraform-provider", "registry.terraform.io/ajbosco/segment"),
        ]),
        ("prod.tfvars.json", '{\n  "api": "https://platform.segmentapis.com/v1beta",\n  "page_size": 100,\n'
                             '  "source": {"display_name": "x"}\n}\n', [
            (2, 11, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (4, 15, "audit.config-field", "display_name"),
        ]),
    ],
)
def test_terraform_names_its_own_blocks_and_values(real_rules: RuleSet, path: str, source: str, expected: list) -> None:
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


TF_OFFICIAL = """\
terraform {
  required_providers {
    segment = {
      source  = "segmentio/segment"
      version = "1.0.3"
    }
  }
}
resource "segment_function" "enrich" {
  display_name  = "Enrich"
  resource_type = "INSERT_DESTINATION"
}
resource "segment_source_tracking_plan_connection" "c" {
  source_id        = segment_source.web.id
  tracking_plan_id = segment_tracking_plan.tp.id
  schema_settings = {
    forwarding_violations_to = "def"
  }
}
data "http" "legacy" {
  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_size=10"
}
"""
TF_OFFICIAL_JSON = json.dumps({
    "terraform": {"required_providers": {"segment": {"source": "segmentio/segment"}}},
    "resource": {"segment_function": {"enrich": {"display_name": "Enrich"}}},
    "data": {"http": {"legacy": {"url": "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"}}},
}, indent=2) + "\n"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        # the official provider is built on the Public API: its arguments are Public fields in snake_case
        ("main.tf", TF_OFFICIAL, [
            (21, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (21, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
            (21, 74, "pagination.params", "page_size"),
        ]),
        # a file that does not say which provider it uses: its `segment_*` arguments are not told as Config fields
        ("main.tf", TF_OFFICIAL.split("resource", 1)[1].join(("resource", "")), [
            (13, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (13, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
            (13, 74, "pagination.params", "page_size"),
        ]),
        ("main.tf.json", TF_OFFICIAL_JSON, [
            (19, 17, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (19, 56, "endpoint.sources.list", "/workspaces/acme/sources"),
        ]),
    ],
)
def test_terraform_arguments_of_the_official_segment_provider_are_no_config_fields(
    real_rules: RuleSet, path: str, source: str, expected: list,
) -> None:
    """Only the community provider `ajbosco/segment`, built on a Config API
    client, takes Config fields (`TF_CONFIG_PROVIDER`); the Config calls of
    the file are still reported."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


TF_LONG_TAGS = 25
"""More lines between a resource's name and its field than a field is tied to a sign above by."""
TF_LONG = """\
data "http" "s" {
  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
}
resource "segment_source" "js" {
  name = "workspaces/acme/sources/js"
%s  display_name = "js"
}
resource "segment_source" "web" {
%s  display_name = "web"
}
""" + TF_CONFIG_PROVIDER
TF_LONG_JSON = json.dumps({
    "data": {"http": {"s": {"url": "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"}}},
    "resource": {"segment_source": {
        "js": {"name": "workspaces/acme/sources/js", **{f"tag_{i}": "x" for i in range(TF_LONG_TAGS)},
               "display_name": "js"},
        "web": {**{f"tag_{i}": "x" for i in range(TF_LONG_TAGS)}, "display_name": "web"},
    }},
    "terraform": {"required_providers": {"segment": {"source": "ajbosco/segment"}}},
}, indent=2) + "\n"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("main.tf", TF_LONG % (("".join(f'  tag_{i} = "x"\n' for i in range(TF_LONG_TAGS)),) * 2), [
            (2, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
            (5, 11, "source.fields", "workspaces/acme/sources/js"),
            (31, 3, "source.fields", "display_name"),
            (59, 3, "source.fields", "display_name"),  # the block's type, `segment_source`, says so
            (63, 27, "audit.config-terraform-provider", "ajbosco/segment"),
        ]),
        ("main.tf.json", TF_LONG_JSON, [
            (5, 17, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (5, 56, "endpoint.sources.list", "/workspaces/acme/sources"),
            (12, 18, "source.fields", "workspaces/acme/sources/js"),
            (38, 10, "source.fields", "display_name"),
            (66, 10, "source.fields", "display_name"),
            (73, 20, "audit.config-terraform-provider", "ajbosco/segment"),
        ]),
    ],
)
def test_terraform_field_far_below_its_resource_in_its_block(
    real_rules: RuleSet, path: str, source: str, expected: list,
) -> None:
    """A field is the resource's that its block names, however many lines
    below: a body is one resource. A sign in another block above is not
    looked for further than `RESOURCE_LINES` (the `js` source's name): the
    `web` block's type, `segment_source`, is what says it is a source's."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


TF_REFERENCES = """\
terraform { required_providers { segment = { source = "ajbosco/segment" } } }
data "http" "s" { url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources" }
resource "segment_source" "web" {
  source_name  = "web"
  catalog_name = "catalog/sources/javascript"
}
resource "segment_destination" "ga" {
  source_name      = segment_source.web.source_name
  destination_name = "google-analytics"
  connection_mode  = "CLOUD"
}
output "o" { value = restapi_object.src.api_data.display_name }
resource "restapi_object" "src" { path = "/x" }
"""
TF_REFERENCES_JSON = json.dumps({
    "terraform": {"required_providers": {"segment": {"source": "ajbosco/segment"}}},
    "data": {"http": {"s": {"url": "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"}}},
    "resource": {
        "segment_source": {"web": {"source_name": "web"}},
        "segment_destination": {"ga": {"source_name": "${segment_source.web.source_name}"}},
    },
}, indent=2) + "\n"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        # `terraform { required_providers {` on one line is no HCL (a one-line block holds one argument): the
        # provider is reported, its blocks' arguments are not read as Config fields
        ("main.tf", TF_REFERENCES, [
            (1, 56, "audit.config-terraform-provider", "ajbosco/segment"),
            (2, 26, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (2, 65, "endpoint.sources.list", "/workspaces/acme/sources"),
            # the keys of a map attribute (the response restapi read) are no attribute of the resource: a
            # source's, by the path above
            (12, 50, "source.fields", "display_name"),
        ]),
        ("main.tf.json", TF_REFERENCES_JSON, [
            (5, 20, "audit.config-terraform-provider", "ajbosco/segment"),
            (12, 17, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (12, 56, "endpoint.sources.list", "/workspaces/acme/sources"),
            (19, 10, "audit.config-field", "source_name"),
            (24, 10, "audit.config-field", "source_name"),
        ]),
    ],
)
def test_terraform_reference_to_a_resources_attribute(
    real_rules: RuleSet, path: str, source: str, expected: list,
) -> None:
    """`segment_source.web.source_name` reads an attribute of the
    configuration's own resource, its provider's schema: no Config field,
    as the resource's name is not; a `segment_source`'s own `source_name`
    is an argument of the provider, not a source connection's field."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


TYPE_PAD = 24
"""Lines between a type's opening line and a field of it: more than `RESOURCE_LINES`."""
TS_TYPE = """const BASE = "https://platform.segmentapis.com/v1beta";
export interface Source {
  name: string;
%s  display_name: string;
}
export interface Label {
%s  display_name: string;
}
export const list = (ws: string) => fetch(`${BASE}/workspaces/${ws}/sources`);
"""
TS_PAD = "".join(f"  // field {i}\n  extra{i}?: string;\n" for i in range(TYPE_PAD // 2))
# braces in strings, comments, template literals and regular expressions are not the body's
TS_TRICKY_PAD = TS_PAD + '  re?: "/\\{/"; // }\n  /* } */ tpl?: `}${"{"}`;\n'
GO_TYPE = """package seg

const base = "https://platform.segmentapis.com/v1beta"

type Source struct {
\tName string `json:"name"`
%s\tDisplayName string `json:"display_name"`
}

type Label struct {
%s\tDisplayName string `json:"display_name"`
}

func List(ws string) string { return base + "/workspaces/" + ws + "/sources" }
"""
GO_PAD = "".join(f"\t// field {i}\n\tExtra{i} string `json:\"extra{i},omitempty\"` // }}\n"
                 for i in range(TYPE_PAD // 2))
PY_TYPE = """from typing import TypedDict

BASE = "https://platform.segmentapis.com/v1beta"


class Source(TypedDict):
    name: str
%s    display_name: str


class Label(TypedDict):
%s    display_name: str


def sources(ws):
    return requests.get(f"{BASE}/workspaces/{ws}/sources").json()
"""
PY_PAD = "".join(f"    # field {i}\n    extra{i}: str\n" for i in range(TYPE_PAD // 2))


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("api.ts", TS_TYPE % (TS_PAD, TS_PAD), [
            (1, 15, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (28, 3, "source.fields", "display_name"),
            (55, 3, "audit.config-field", "display_name"),
            (57, 52, "endpoint.sources.list", "workspaces/${ws}/sources"),
        ]),
        ("api.ts", TS_TYPE % (TS_TRICKY_PAD, TS_PAD), [
            (1, 15, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (30, 3, "source.fields", "display_name"),
            (57, 3, "audit.config-field", "display_name"),
            (59, 52, "endpoint.sources.list", "workspaces/${ws}/sources"),
        ]),
        ("api.go", GO_TYPE % (GO_PAD, GO_PAD), [
            (3, 15, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (31, 28, "source.fields", "display_name"),
            (59, 28, "audit.config-field", "display_name"),
            (62, 47, "endpoint.sources.list", "workspaces/\" + ws + \"/sources"),
        ]),
        ("api.py", PY_TYPE % (PY_PAD, PY_PAD), [
            (3, 9, "host.base-url", "https://platform.segmentapis.com/v1beta"),
            (32, 5, "source.fields", "display_name"),
            (60, 5, "audit.config-field", "display_name"),
            (64, 34, "endpoint.sources.list", "workspaces/{ws}/sources"),
        ]),
    ],
)
def test_field_far_below_the_type_named_after_its_resource(
    real_rules: RuleSet, path: str, source: str, expected: list,
) -> None:
    """A field in the body of `interface Source`, `type Source struct`,
    `class Source(TypedDict)` is a source's however many lines below the
    type's first line (lines inserted above it change nothing); one in
    another type's body, as far from `Source`, is not."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


GO_JOIN = """\
package seg

func DeleteSource(ws, src string) error {
	u, _ := url.Parse(os.Getenv("SEGMENT_API_URL"))
	u.Path = path.Join(u.Path, "v1beta", "workspaces", ws, "sources", src)
	req, _ := http.NewRequest(http.MethodDelete, u.String(), nil)
}
"""


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("c.go", GO_JOIN, [(5, 30, "endpoint.sources.get", "/v1beta/workspaces/{}/sources/{}")]),
        ("c.go", 'p := path.Join("/v1beta", "workspaces/", ws, "/sources")\n',
         [(1, 18, "endpoint.sources.list", "/v1beta/workspaces/{}/sources")]),
        ("c.go", 'p, _ := url.JoinPath(base, "v1beta", "workspaces", ws, "sources")\nq := u.JoinPath("v1beta", "workspaces", ws)\n',
         [(1, 29, "endpoint.sources.list", "/v1beta/workspaces/{}/sources"),
          (2, 18, "endpoint.workspaces.get", "v1beta/workspaces/{}")]),
        ("c.ts", 'import path from "node:path";\nexport const del = (ws: string, src: string) =>\n'
                 '  fetch(new URL(path.posix.join("v1beta", "workspaces", ws, "sources", src), process.env.API), '
                 '{ method: "DELETE" });\n',
         [(3, 34, "endpoint.sources.delete", "v1beta/workspaces/{}/sources/{}")]),
        ("c.rb", 'def delete_source(ws, src)\n  Faraday.new(url: ENV.fetch("API")).delete(File.join(@base, "v1beta", '
                 '"workspaces", ws, "sources", src))\nend\n',
         [(2, 63, "endpoint.sources.delete", "/v1beta/workspaces/{}/sources/{}")]),
        # not Config paths: a folder, another joiner's segments (`filepath.Join` is the file system's)
        ("c.go", 'p := path.Join(dir, "workspaces", ws, "cache")\nq := filepath.Join("v1beta", "workspaces", ws, "sources")\n', []),
        # the joiners of file paths need the `v1beta` segment: a folder of exported Config data is no call
        ("e.rb", 'BASE = "https://platform.segmentapis.com"\nFile.write(File.join(dir, "workspaces", ws, "sources", id), s)\n',
         [(1, 9, "host.base-url", "https://platform.segmentapis.com")]),
        ("e.js", 'const out = path.join(__dirname, "workspaces", ws, "sources", id);\n', []),
    ],
)
def test_a_path_joined_by_a_path_joiner(text_auditor: Auditor, path: str, source: str, expected: list) -> None:
    """`path.Join` (Go), `path.posix.join` (JS), `File.join` (Ruby) are read
    as the path they build, like a list joined with "/"."""
    assert found(text_auditor, source, path) == expected


CONFIG_BASE = 'BASE = "https://platform.segmentapis.com/v1beta"\n'
BASE_FOUND = (1, 9, "host.base-url", "https://platform.segmentapis.com/v1beta")


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("c.py", CONFIG_BASE + 'r = requests.get(posixpath.join(BASE, "workspaces", ws, "sources"))\n',
         [BASE_FOUND, (2, 40, "endpoint.sources.list", "workspaces/{}/sources")]),
        ("c.py", 'r = requests.get(HOST + posixpath.join("/v1beta", "workspaces", ws, "sources"))\n',
         [(1, 42, "endpoint.sources.list", "/v1beta/workspaces/{}/sources")]),
        # a segment starting with `/` starts the path again (the base before it is dropped)
        ("c.py", 'r = requests.get(HOST + posixpath.join(ROOT, "/v1beta", "workspaces", ws, "sources"))\n',
         [(1, 48, "endpoint.sources.list", "/v1beta/workspaces/{}/sources")]),
        # a file path joiner given a name bound to a URL ending at the version: the URL's path
        ("c.rb", CONFIG_BASE + 'conn.get(File.join(BASE, "workspaces", ws, "sources"))\n',
         [BASE_FOUND, (2, 27, "endpoint.sources.list", "workspaces/{}/sources")]),
        ("c.js", "const " + CONFIG_BASE.replace("\n", ";\n") + 'fetch(path.posix.join(BASE, "workspaces", ws, "sources"));\n'
                 'fetch(path.join(BASE, "workspaces", ws, "sources"));\n',
         [(1, 15, "host.base-url", "https://platform.segmentapis.com/v1beta"),
          (2, 30, "endpoint.sources.list", "workspaces/{}/sources"),
          (3, 24, "endpoint.sources.list", "workspaces/{}/sources")]),
        # folders: below a longer root, or joined to a name bound to no such URL
        ("c.py", CONFIG_BASE + 'p = posixpath.join("/srv/mirror/v1beta", "workspaces", ws, "sources")\n', [BASE_FOUND]),
        ("c.rb", CONFIG_BASE.replace("BASE", "API") + 'DIR = "/srv/mirror"\nFile.join(DIR, "workspaces", ws, "sources")\n',
         [(1, 8, "host.base-url", "https://platform.segmentapis.com/v1beta")]),
    ],
)
def test_a_path_joined_to_a_config_base_by_a_path_joiner(
    text_auditor: Auditor, path: str, source: str, expected: list,
) -> None:
    """Python's `posixpath.join` is read as `path.posix.join` is, and a file
    path joiner (`File.join`, Node's `path.join`) given first a name the file
    binds to a URL ending at the Config version joins that URL's path (both
    were not read)."""
    assert found(text_auditor, source, path) == expected


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("c.go", 'return strings.Join([]string{\n\t"v1beta",\n\t"workspaces",\n\tws,\n\t"sources",\n}, "/") + '
                 '"https://platform.segmentapis.com"\n\nconst u = "https://platform.segmentapis.com/v1beta"\n', [
            (2, 3, "endpoint.sources.list", "v1beta/workspaces/{}/sources"),  # at its first piece
            (6, 12, "host.base-url", "https://platform.segmentapis.com"),
            (8, 12, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        ]),
        ("a.py", 'u = "/".join(["workspaces",\n    ws, "sources"]) + "https://platform.segmentapis.com"\n'
                 'v = "https://platform.segmentapis.com"\n', [
            (1, 16, "endpoint.sources.list", "workspaces/{}/sources"),
            (2, 24, "host.base-url", "https://platform.segmentapis.com"),
            (3, 6, "host.base-url", "https://platform.segmentapis.com"),
        ]),
        # the path is longer than the join's first line: the rest of its last line keeps its columns too
        ("a.py", 'u = "/".join(["workspaces",\n    ws, "sources", s]) + "https://platform.segmentapis.com"\n'
                 'v = "https://platform.segmentapis.com"\n', [
            (1, 16, "source.fields", "workspaces/{}/sources/{}"),
            (2, 27, "host.base-url", "https://platform.segmentapis.com"),
            (3, 6, "host.base-url", "https://platform.segmentapis.com"),
        ]),
    ],
)
def test_a_join_spread_over_lines_keeps_the_lines_below_it(
    text_auditor: Auditor, path: str, source: str, expected: list,
) -> None:
    """The lines after a join read as one string keep their numbers and the
    rest of its last line its columns."""
    assert found(text_auditor, source, path) == expected


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("app.py", '@app.get("/workspaces/{ws}/sources")\ndef list_sources(ws): ...\n'),
        ("views.py", '@router.route("/workspaces/<ws>/sources", methods=["POST"])\ndef plans(ws): ...\n'),
        ("urls.py", 'urlpatterns = [\n    path("workspaces/<ws>/sources", views.sources),\n]\n'),
        ("routes.rb", 'Rails.application.routes.draw do\n  get "/workspaces/:workspace_id/sources", to: "s#index"\nend\n'),
        ("main.go", 'func main() {\n\thttp.HandleFunc("/workspaces/{ws}/sources", sources)\n\trouter.Get("/workspaces/{ws}/sources", h)\n}\n'),
        ("server.js", "app.get('/workspaces/:ws/sources', (req, res) => res.json([]));\n"),
    ],
)
def test_a_route_the_files_own_server_serves_is_no_config_call(text_auditor: Auditor, path: str, source: str) -> None:
    """A Config path's shape in a route definition (a decorator, Django's
    `path`, Rails routes, `HandleFunc`, Express) is served, not called."""
    assert found(text_auditor, source, path) == []


def test_a_bare_workspace_path_is_a_call_elsewhere(text_auditor: Auditor) -> None:
    """The same path given to a client (its base set elsewhere) is reported."""
    source = 'def sources(session, ws):\n    return session.get(f"/workspaces/{ws}/sources").json()\n'
    assert found(text_auditor, source) == [(2, 27, "endpoint.sources.list", "workspaces/{ws}/sources")]


def test_bare_workspace_paths_in_a_file_of_another_apis_workspace_paths_are_its(text_auditor: Auditor) -> None:
    """A file that joins workspace paths to another API's host, with no
    Config host or path of its own: its bare workspace paths (a session of
    that API) are that API's too. With the Config host in the file, they
    are reported."""
    source = (
        'API = "https://api.clockify.me/api/v1"\n\n'
        'def users(ws):\n    return requests.get(f"{API}/workspaces/{ws}/users").json()\n\n'
        'def roles(session, ws):\n    return session.get(f"/workspaces/{ws}/sources").json()\n'
    )
    assert found(text_auditor, source) == []
    with_config = 'SEGMENT = "https://platform.segmentapis.com/v1beta"\n' + source
    assert [f[2] for f in found(text_auditor, with_config)] == ["host.base-url", "endpoint.sources.list"]


@pytest.mark.parametrize(
    ("path", "line", "rule"),
    [
        # Ruby: an instance variable's call is no decorator; a call without parentheses names its method
        ("client.rb", '@conn.get("workspaces/#{ws}/sources")', "endpoint.sources.list"),
        ("client.rb", 'conn.delete "workspaces/#{ws}/sources/#{slug}"', "endpoint.sources.delete"),
        # a curl command inside a quoted string sends the method of its -X
        ("a.sh", 'bash -c "curl -X DELETE https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"',
         "endpoint.sources.delete"),
        ("main.tf", '    command = "curl -X DELETE https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"',
         "endpoint.sources.delete"),
    ],
)
def test_calls_of_other_languages_name_their_path_and_method(text_auditor: Auditor, path: str, line: str, rule: str) -> None:
    assert [f[2] for f in found(text_auditor, line + "\n", path) if not f[2].startswith("host.")] == [rule]


def test_a_marker_comment_above_a_path_does_not_lend_it_a_method(real_rules: RuleSet) -> None:
    """A rewrite's marker names the Public call (`POST /destinations`); the
    path below keeps the rule it had before the rewrite wrote it, so a
    baseline (and the rewrite's next run, which keeps tests with the
    endpoints their code keeps) sees the same finding."""
    auditor = Auditor(real_rules, codemod=None)
    path = 'url = BASE_URL + "/workspaces/" + WORKSPACE + "/sources/" + source + "/destinations"\n'
    marker = ("# migrator[rewrite.partial-path]: Config API path joined to a base URL this file does not show: "
              "migrate that base URL and this path together by hand (Public API: `POST /destinations`)\n")
    [before] = auditor.scan("sync.py", path.encode()).findings
    [after] = auditor.scan("sync.py", (marker + path).encode()).findings
    assert before.rule == "endpoint.destinations.list"
    assert after.stands_for == ((before.rule, 2),)


def test_a_minified_notebooks_cells_give_no_method_to_each_other(real_rules: RuleSet) -> None:
    """A notebook written on one line: the `curl` of another cell does not
    make the Python call of this one a GET, nor the call's method the curl's."""
    cells = [
        'import requests\nBASE = "https://platform.segmentapis.com/v1beta"\n'
        'r = requests.delete(f"{BASE}/workspaces/acme/sources/web")',
        ["curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web\n"],
        ["requests.delete(url)\n", "curl -X DELETE https://platform.segmentapis.com/v1beta/workspaces/acme/regulations/r1"],
        ["curl https://platform.segmentapis.com/v1beta/workspaces/acme/regulations/r2\n"],
    ]
    notebook = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": c} for c in cells]})
    endpoints = [f for f in found(Auditor(real_rules, codemod=None), notebook, "min.ipynb") if f[2].startswith("endpoint.")]
    assert [(rule, text) for _, _, rule, text in endpoints] == [
        ("endpoint.sources.delete", "workspaces/acme/sources/web"),
        ("endpoint.sources.get", "/workspaces/acme/sources/web"),
        ("endpoint.regulations.delete", "/workspaces/acme/regulations/r1"),
        ("endpoint.regulations.get", "/workspaces/acme/regulations/r2"),
    ]


CLOCKIFY_COLLECTION = """{
  "info": {"name": "Clockify"},
  "variable": [{"key": "baseUrl", "type": "string", "value": "https://api.clockify.me/api/v1"}],
  "item": [
    {"name": "Get", "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/workspaces/{{workspaceId}}"}}},
    {"name": "Invite", "request": {"method": "POST", "url": {"raw": "{{baseUrl}}/workspaces/{{workspaceId}}/invites"}}},
    {"name": "Roles", "request": {"method": "GET", "url": {"raw": "{{segment}}/workspaces/{{workspaceId}}/roles"}}}
  ]
}
"""


def test_a_postman_variable_of_another_apis_host_is_that_apis_base(real_rules: RuleSet) -> None:
    """`{{baseUrl}}` set by the collection's own `variable` list to another
    API's URL: its workspace paths are that API's; a variable the collection
    does not set may be the Config API's."""
    auditor = Auditor(real_rules, codemod=None)
    assert found(auditor, CLOCKIFY_COLLECTION, "c.postman_collection.json") == [
        (7, 80, "endpoint.roles.list", "workspaces/{{workspaceId}}/roles"),
    ]


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("inv.go", 'url := fmt.Sprintf("%s/v1/workspaces/%s/invites", base, ws)\n'),
        ("lock.sh", 'curl -X POST "$TFC_ADDR/api/v2/workspaces/$WS_ID/actions/lock"\n'),
        ("ws.sh", 'curl "$TFC_ADDR/api/v2/workspaces/$WS_ID"\n'),
        ("bb.py", 'url = f"{BB}/2.0/workspaces/{ws}/members"\n'),
    ],
)
def test_a_workspace_path_after_another_apis_version_is_that_apis(
    real_rules: RuleSet, path: str, source: str,
) -> None:
    """Config paths start at `/v1beta/`: after `/v1/`, `/api/v2/` or `/2.0/`
    a workspace path, or its piece, is another API's, also in a file with
    an ambiguous workspace path that gives it an API context."""
    auditor = Auditor(real_rules, codemod=None)
    assert found(auditor, source, path) == []
    ambiguous = 'curl "$CLOCKIFY/workspaces/$WS_ID/invites"\n'
    assert [f[2] for f in found(auditor, source + ambiguous, path)] == ["endpoint.invites.list"]
    config = 'fetch("https://platform.segmentapis.com/v1beta/workspaces/acme/invites")\n'
    assert [f[2] for f in found(auditor, source + config, path)] == ["host.base-url", "endpoint.invites.list"]


def test_a_field_several_resources_have_is_reported_under_the_resource_the_file_shows(real_rules: RuleSet) -> None:
    """A Config source object: its `display_name` and `create_time` are the
    source's (`--select source` finds them), and say what they become for a
    source; a key that wraps a resource, or the call's path, says whose a
    field is too; where nothing does, the neutral row lists every outcome."""
    auditor = Auditor(real_rules, codemod=None)
    source = ('{\n  "name": "workspaces/acme/sources/js",\n  "display_name": "JS",\n'
              '  "create_time": "2020-01-01T00:00:00Z"\n}\n')
    fields = [(f.line, f.rule, f.message) for f in auditor.scan("src.json", source.encode()).findings if f.kind == "field"]
    assert fields == [
        (3, "source.fields", "Config field `display_name` of a source is `name` in the Public API"),
        (4, "source.fields", "Config field `create_time` of a source has no Public API counterpart "
                             "(the Public API does not return the creation time of a source)"),
    ]
    code = (
        'BASE = "https://platform.segmentapis.com/v1beta"\n'
        'body = {"tracking_plan": {"display_name": "Web"}}\n'
        'plans = requests.get(f"{BASE}/workspaces/acme/tracking-plans").json()\n'
        'print(plans["tracking_plans"][0]["create_time"])\n'
        'regs = requests.get(f"{BASE}/workspaces/acme/regulations").json()\n'
        'print(regs["display_name"])\n'
    )
    assert [(line, rule, text) for line, _, rule, text in found(auditor, code) if line in (2, 4, 6)] == [
        (2, "tracking-plan.fields", "display_name"),
        (4, "tracking-plan.fields", "tracking_plans"),
        (4, "tracking-plan.fields", "create_time"),
        (6, "audit.config-field", "display_name"),  # no regulation has one: whose is it?
    ]
    [neutral] = [f for f in auditor.scan("x.py", code.encode()).findings if f.line == 6]
    assert neutral.message.startswith("Config field `display_name` is `name` in the Public API (`displayName` for a function")


TYPES = [
    ("seg.go", 'type Source struct {\n\tCatalogName string `json:"catalog_name"`\n\tCreateTime  string `json:"create_time"`\n'
               '\tDisplayName string `json:"display_name"`\n}\n'),
    ("seg.ts", 'export interface Source {\n  catalog_name: string;\n  create_time: string;\n  display_name: string;\n}\n'),
    ("seg2.ts", 'type Source = {\n  catalog_name: string;\n  create_time: string;\n  display_name: string;\n};\n'),
    ("seg.py", 'class Source(TypedDict):\n    catalog_name: str\n    create_time: str\n    display_name: str\n'),
]


@pytest.mark.parametrize(("path", "source"), TYPES)
def test_a_type_named_after_a_resource_says_whose_its_fields_are(real_rules: RuleSet, path: str, source: str) -> None:
    """A Go struct, a TypeScript interface or type, a class named after a
    key that wraps a resource (`Source`, from the rows' `source`) is a sign
    of that resource for the fields inside it, as `"source": {` is: nearer
    than the destinations path above it."""
    auditor = Auditor(real_rules, codemod=None)
    call = ('const base = "https://platform.segmentapis.com/v1beta"\n'
            'url = base + "/workspaces/" + ws + "/sources/" + src + "/destinations"\n\n')
    fields = [(f.line, f.rule, f.message) for f in auditor.scan(path, (call + source).encode()).findings if f.kind == "field"]
    assert fields == [
        (5, "source.fields", "Config field `catalog_name` is `metadata.slug` in the Public API"),
        (6, "source.fields", "Config field `create_time` of a source has no Public API counterpart "
                             "(the Public API does not return the creation time of a source)"),
        (7, "source.fields", "Config field `display_name` of a source is `name` in the Public API"),
    ]


def test_a_type_of_another_name_is_no_sign(real_rules: RuleSet) -> None:
    """`type SourceList struct`, `type Destination` aside: the nearest sign
    above says whose the fields are (the tracking plan's), and a CamelCase
    name of a list key (`Sources`) wraps no one resource."""
    auditor = Auditor(real_rules, codemod=None)
    source = ('const base = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans"\n'
              'type SourceList struct {\n\tDisplayName string `json:"display_name"`\n}\n'
              'type Sources struct {\n\tCreateTime string `json:"create_time"`\n}\n'
              'type TrackingPlan struct {\n\tCreateTime string `json:"create_time"`\n}\n')
    fields = [(f.line, f.rule) for f in auditor.scan("plans.go", source.encode()).findings if f.kind == "field"]
    assert fields == [(3, "tracking-plan.fields"), (6, "tracking-plan.fields"), (9, "tracking-plan.fields")]


def test_a_parent_value_is_its_key_not_the_resource_of_its_siblings(real_rules: RuleSet) -> None:
    """A Config object's `parent` names another resource (its workspace, its
    source): the object's fields stay its own (its `name` says whose), and the
    parent is reported as the key that holds it, with what the rows make of
    it (`workspaceId`, `sourceId`; segment-apis.md §2.2, §2.4); where several
    rows have the key and nothing shows whose it is, each is listed."""
    auditor = Auditor(real_rules, codemod=None)

    def scanned(path: str, text: str) -> list[tuple[int, str, str]]:
        return [(f.column, f.rule, f.message) for f in auditor.scan(path, text.encode()).findings]

    ids = " (ids from `migrator ids`)"
    source = ('{"name": "workspaces/acme/sources/web", "parent": "workspaces/acme", "display_name": "Web", '
              '"create_time": "2020-01-01T00:00:00Z"}\n')
    assert scanned("source.json", source) == [
        (11, "source.fields", "Config resource name of a source (`workspaces/{workspace}/sources/{source}`): "
                              "the Public API identifies objects by id; see rule source.fields"),
        (52, "source.fields", "Config field `parent` of a source holds the resource name of a workspace "
                              "(`workspaces/{workspace}`): it is `workspaceId` in the Public API" + ids),
        (71, "source.fields", "Config field `display_name` of a source is `name` in the Public API"),
        (94, "source.fields", "Config field `create_time` of a source has no Public API counterpart "
                              "(the Public API does not return the creation time of a source)"),
    ]
    destination = ('{"name": "workspaces/acme/sources/web/destinations/amp", "parent": "workspaces/acme/sources/web", '
                   '"display_name": "Amp"}\n')
    assert scanned("destination.json", destination)[1:] == [
        (69, "destination.fields", "Config field `parent` of a destination holds the resource name of a source "
                                   "(`workspaces/{workspace}/sources/{source}`): it is `sourceId` in the Public API" + ids),
        (100, "destination.fields", "Config field `display_name` of a destination is `name` in the Public API"),
    ]
    settings = '{"name": "workspaces/acme/sources/web/schema-config", "parent": "workspaces/acme/sources/web"}\n'
    assert scanned("settings.json", settings)[1:] == [
        (66, "source-settings.fields", "Config field `parent` of a source settings holds the resource name of a "
                                       "source (`workspaces/{workspace}/sources/{source}`): it is `sourceId` in the "
                                       "Public API" + ids),
    ]
    alone = '{"parent": "workspaces/acme/sources/web", "display_name": "Amp"}\n'
    assert scanned("alone.json", alone)[0] == (
        13, "destination.fields", "Config field `parent` of a destination or a source settings holds the resource "
                                  "name of a source (`workspaces/{workspace}/sources/{source}`): it is `sourceId` "
                                  "in the Public API" + ids,
    )


SLUG_MARKER = ("# migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id"
               " of source `js`: run `migrator ids`, then `migrator rewrite --ids FILE`\n")
MARKED_FIRST = (
    "import requests\n\n" + SLUG_MARKER
    + 'a = requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js");'
    ' b = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans")\n'
)
MARKED_SECOND = (
    "import requests\n\n" + SLUG_MARKER
    + 'b = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans");'
    ' a = requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js")\n'
)


@pytest.mark.parametrize(("source", "precise", "expected"), [
    (MARKED_FIRST, True, [(3, 1, "rewrite.slug-ids"), (4, 96, "pagination.params"),
                          (4, 109, "endpoint.tracking-plans.list")]),
    (MARKED_FIRST, False, [(3, 1, "rewrite.slug-ids"), (4, 110, "host.base-url"),
                           (4, 149, "endpoint.tracking-plans.list")]),
    (MARKED_SECOND, True, [(3, 1, "rewrite.slug-ids"), (4, 5, "pagination.params"),
                           (4, 18, "endpoint.tracking-plans.list")]),
    (MARKED_SECOND, False, [(3, 1, "rewrite.slug-ids"), (4, 19, "host.base-url"),
                            (4, 58, "endpoint.tracking-plans.list")]),
])
def test_a_marker_comment_stands_for_its_own_statement_of_a_line_not_the_one_after_a_semicolon(
    real_rules: RuleSet, source: str, precise: bool, expected: list[tuple[int, int, str]],
) -> None:
    """The marker names the source's request (its quoted path); the request
    for tracking plans that `;` puts on the same line is a to-do of its own."""
    auditor = Auditor(real_rules) if precise else Auditor(real_rules, codemod=None)
    assert [(f.line, f.column, f.rule) for f in auditor.scan("a.py", source.encode()).findings] == expected


YAML_MANIFEST = """\
definitions:
  requester:
    url_base: "https://platform.segmentapis.com/v1beta/"
streams:
  - name: tracking_plans
    retriever:
      requester:
        path: "workspaces/{{ config.workspace }}/tracking-plans"
      paginator:
        page_token_option: {field_name: page_token, inject_into: request_parameter}
        pagination_strategy: {cursor_value: "{{ response.next_page_token }}"}
      record_selector: {extractor: {field_path: [tracking_plans]}}
  - name: "display_name"
    labels: [create_time, "catalog_name"]
    update_mask:
      paths:
        - display_name
    jobs:
      - catalog_name
"""


def test_a_yaml_value_is_no_field_unless_its_key_names_one(real_rules: RuleSet) -> None:
    """A stream's name, `- name: tracking_plans`, and other whole values
    (quoted or not, items of lists) are the file's own data; values of keys
    naming fields or parameters (`field_name`, `field_path`, an update
    mask's `paths`) are Config field references, and so are words in a
    template (`{{ response.next_page_token }}`)."""
    assert found(Auditor(real_rules, codemod=None), YAML_MANIFEST, "manifest.yaml") == [
        (3, 16, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (8, 16, "endpoint.tracking-plans.list", "workspaces/{{ config.workspace }}/tracking-plans"),
        (10, 41, "pagination.params", "page_token"),
        (11, 58, "envelope.list", "next_page_token"),
        (12, 50, "tracking-plan.fields", "tracking_plans"),
        (15, 5, "update-mask.partial-body", "update_mask"),
        (17, 11, "tracking-plan.fields", "display_name"),
    ]


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        # fetch's options object on the lines below its URL
        ("export async function createSource(ws: string) {\n  return fetch(`${BASE}/workspaces/${ws}/sources`, {\n"
         '    method: "POST",\n  });\n}\n', "a.ts", [(2, 25, "endpoint.sources.create")]),
        # the URL in the options object itself
        ('const r = await axios({\n  url: `${BASE}/workspaces/${ws}/sources`,\n  method: "post",\n});\n', "a.ts",
         [(2, 17, "endpoint.sources.create")]),
        ('r = requests.request(\n    url=f"{BASE}/workspaces/{ws}/sources/{src}",\n    method="DELETE",\n)\n', "a.py",
         [(2, 18, "endpoint.sources.delete")]),
        # a call nested in the options, a header, a body: another call's, no method of this one
        ('return fetch(`${BASE}/workspaces/${ws}/sources`, {\n  headers: await auth.post("token"),\n});\n', "a.ts",
         [(1, 23, "endpoint.sources.list")]),
        ('return fetch(`${BASE}/workspaces/${ws}/sources`, {\n  headers: {"X-HTTP-Method-Override": "DELETE"},\n});\n',
         "a.ts", [(1, 23, "endpoint.sources.list")]),
        ('return fetch(`${BASE}/workspaces/${ws}/sources`, {\n  body: JSON.stringify({ method: "DELETE" }),\n});\n',
         "a.ts", [(1, 23, "endpoint.sources.list")]),
        # the call closes on the URL's line: the next call's method is not its
        ('calls = [\n    fetch(f"{BASE}/workspaces/{ws}/sources", timeout=3),\n    requests.delete(other),\n]\n',
         "a.py", [(2, 20, "endpoint.sources.list")]),
        ('const r = await client.request({\n  "url": `${BASE}/workspaces/${ws}/sources`,\n  "method": "post",\n});\n',
         "a.ts", [(2, 19, "endpoint.sources.create")]),
        # a function's body given to a call is no options object
        ('foo(() => {\n  const u = `${BASE}/workspaces/${ws}/sources`;\n  bar({ method: "DELETE" });\n});\n', "a.ts",
         [(2, 22, "endpoint.sources.list")]),
        # a list of URLs is no call
        ('const ENDPOINTS = {\n  list: `${BASE}/workspaces/${ws}/sources`,\n  remove: "DELETE",\n};\n', "a.ts",
         [(2, 18, "endpoint.sources.list")]),
    ],
)
def test_the_method_in_the_brackets_of_the_call_a_path_is_given_to_is_its_own(
    text_auditor: Auditor, source: str, path: str, expected: list[tuple[int, int, str]],
) -> None:
    """A method named after the path, on the lines below, inside the
    brackets of the call it is an argument of (or of an options object
    among them) is that call's; not one in a call nested in them."""
    assert [(line, column, rule) for line, column, rule, _ in found(text_auditor, source, path)] == expected


GO_DELETE = (
    "func remove(base, ws, src, dst string) error {\n"
    '\turl := fmt.Sprintf("%s/workspaces/%s/sources/%s/destinations/%s", base, ws, src, dst)\n'
    "\treq, _ := http.NewRequest(http.MethodDelete, url, nil)\n"
    "\t_, err := http.DefaultClient.Do(req)\n\treturn err\n}\n"
)
PY_PATH = 'url = f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources/{src}/destinations/{dst}"\n'


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        (GO_DELETE, "a.go", [(2, 25, "endpoint.destinations.delete")]),
        (PY_PATH + 'requests.request("DELETE", url)\n', "a.py", [(1, 48, "endpoint.destinations.delete")]),
        (PY_PATH + "log.info(url)\n\nrequests.delete(url)\n", "a.py", [(1, 48, "endpoint.destinations.delete")]),
        ('const url = `${BASE}/workspaces/${ws}/sources`;\nconst res = await fetch(url, {\n  method: "POST",\n});\n',
         "a.ts", [(1, 22, "endpoint.sources.create")]),
        # two methods: which is this line's is not told
        (PY_PATH + "requests.get(url)\nrequests.delete(url)\n", "a.py", [(1, 48, "endpoint.destinations.get")]),
        # a message, a method held in a variable, another value, the end of the block: none is the call's
        (PY_PATH + 'log.info("would DELETE %s", url)\n', "a.py", [(1, 48, "endpoint.destinations.get")]),
        (PY_PATH + "requests.request(method, url)\n", "a.py", [(1, 48, "endpoint.destinations.get")]),
        (PY_PATH + 'url = url + "?force=true"\nrequests.delete(url)\n', "a.py", [(1, 48, "endpoint.destinations.get")]),
        ("def f(ws, src, dst):\n    " + PY_PATH + "    return url\n\n\nrequests.delete(url)\n", "a.py",
         [(2, 52, "endpoint.destinations.get")]),
    ],
)
def test_the_method_of_the_call_the_paths_variable_is_passed_to_is_its_own(
    real_rules: RuleSet, source: str, path: str, expected: list[tuple[int, int, str]],
) -> None:
    """A path assigned to a variable in a statement of its own, which the
    next lines of its block pass to calls that all name one method: that
    method is the path's; none where they name several or none."""
    assert [(line, column, rule) for line, column, rule, _ in found(Auditor(real_rules, codemod=None), source, path)
            if rule.startswith("endpoint.")] == expected


def _postman_request(method: str, headers: int, body: bool, path: str) -> dict[str, object]:
    """A request as Postman v2.1 exports it: `method`, `header`, `body`, then `url`."""
    request: dict[str, object] = {
        "method": method,
        "header": [{"key": f"X-Header-{i}", "value": "v", "type": "text"} for i in range(headers)],
    }
    if body:
        request["body"] = {"mode": "raw", "raw": '{"enabled": false}', "options": {"raw": {"language": "json"}}}
    request["url"] = {"raw": f"https://platform.segmentapis.com/v1beta/{path}", "protocol": "https",
                      "host": ["platform", "segmentapis", "com"], "path": ["v1beta", *path.split("/")]}
    return request


_ALL_METHODS = ("Config path `/v1beta/workspaces/{workspace}/sources/{source}`: GET → `GET /sources/{sourceId}`; "
                "PATCH → `PATCH /sources/{sourceId}`; DELETE → `DELETE /sources/{sourceId}` (ids from `migrator ids`)")


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_request_without_a_method_takes_none_of_its_neighbours(real_rules: RuleSet, indent: int | None) -> None:
    """The method of a JSON object whose `url` holds the path is only ever
    its own: one with no `method` has no known method (every method's
    message), not the one named before it on its line (a minified file's
    other request) or a few keys above."""
    base = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
    source = json.dumps([{"method": "DELETE", "url": f"{base}/a"}, {"url": f"{base}/b"}], indent=indent) + "\n"
    findings = [(f.rule, f.message, f.text) for f in Auditor(real_rules, codemod=None).scan("calls.json", source.encode())
                .findings if f.rule.startswith("endpoint.")]
    assert findings == [
        ("endpoint.sources.delete",
         "`DELETE /v1beta/workspaces/{workspace}/sources/{source}` is `DELETE /sources/{sourceId}` in the Public API"
         " (ids from `migrator ids`)", "/workspaces/acme/sources/a"),
        ("endpoint.sources.get", _ALL_METHODS, "/workspaces/acme/sources/b"),
    ]


def test_a_postman_request_without_a_method_takes_none_of_its_neighbours(real_rules: RuleSet) -> None:
    """Neither does a Postman request whose `url` is an object, also minified."""
    base = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
    collection = json.dumps({"info": {"name": "Config"}, "item": [
        {"name": "drop", "request": {"method": "DELETE", "url": {"raw": f"{base}/a"}}},
        {"name": "read", "request": {"header": [], "url": {"raw": f"{base}/b"}}},
    ]}) + "\n"
    findings = [(f.line, f.column, f.rule, f.message) for f in Auditor(real_rules, codemod=None)
                .scan("c.postman_collection.json", collection.encode()).findings if f.rule.startswith("endpoint.")]
    a, b = (collection.index(f"/workspaces/acme/sources/{x}") + 1 for x in "ab")
    assert findings == [(1, a, "endpoint.sources.delete",
                         "`DELETE /v1beta/workspaces/{workspace}/sources/{source}` is `DELETE /sources/{sourceId}`"
                         " in the Public API (ids from `migrator ids`)"),
                        (1, b, "endpoint.sources.get", _ALL_METHODS)]


@pytest.mark.parametrize("indent", [None, "\t"])
def test_the_method_of_a_postman_request_however_far_above_its_url(real_rules: RuleSet, indent: str | None) -> None:
    """Postman writes a request's headers and body between its method and
    its URL: the method of the request object whose `url` holds the path is
    its own, whatever their number (also minified)."""
    requests = [("PATCH", 3, True, "workspaces/acme/sources/web"), ("POST", 3, True, "workspaces/acme/sources"),
                ("POST", 1, False, "workspaces/acme/sources"), ("POST", 2, False, "workspaces/acme/sources"),
                ("POST", 3, False, "workspaces/acme/sources"), ("DELETE", 4, True, "workspaces/acme/sources/web")]
    collection = json.dumps({
        "info": {"_postman_id": "3c1f", "name": "Config",
                 "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": f"r{i}", "request": _postman_request(*r), "response": []} for i, r in enumerate(requests)],
    }, indent=indent) + "\n"
    rules = [f.rule for f in Auditor(real_rules, codemod=None).scan("c.postman_collection.json", collection.encode())
             .findings if f.rule.startswith("endpoint.")]
    assert rules == ["endpoint.sources.update", "endpoint.sources.create", "endpoint.sources.create",
                     "endpoint.sources.create", "endpoint.sources.create", "endpoint.sources.delete"]


_DEST = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/ga"'


@pytest.mark.parametrize(
    ("script", "found_"),
    [
        # `-X` two or more `\` lines above the URL, or below it
        (f'curl -sS -X PATCH \\\n  -H "Authorization: Bearer $T" \\\n  -H "Content-Type: application/json" \\\n'
         f'  {_DEST} \\\n  -d "{{}}"\n', [(4, 43, "endpoint.destinations.update")]),
        (f'curl -sS \\\n  -H "A: b" \\\n  -H "C: d" \\\n  {_DEST} \\\n  -X PATCH -d "{{}}"\n',
         [(4, 43, "endpoint.destinations.update")]),
        ("curl -sS -X DELETE \\\n" + "  -s \\\n" * 40
         + '  "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"\n', [(42, 43, "endpoint.sources.delete")]),
        ("curl -sS \\\n" + "  -s \\\n" * 40 + f"  {_DEST} \\\n" + "  -s \\\n" * 40 + "  -X DELETE\n",
         [(42, 43, "endpoint.destinations.delete")]),
        # a header naming another method is no option of the command
        (f'curl -X PATCH \\\n  -H "X-Note: DELETE" \\\n  {_DEST}\n', [(3, 43, "endpoint.destinations.update")]),
        # each `curl` of the joined lines has its own options; the command before is another
        (f"curl -X DELETE {_DEST} && \\\n  curl -s \\\n  -H 'A: b' \\\n  {_DEST}\n",
         [(1, 56, "endpoint.destinations.delete"), (4, 43, "endpoint.destinations.get")]),
        (f"curl -X DELETE \\\n  {_DEST}\ncurl -s \\\n  -H 'A: b' \\\n  -H 'C: d' \\\n  {_DEST}\n",
         [(2, 43, "endpoint.destinations.delete"), (6, 43, "endpoint.destinations.get")]),
    ],
)
def test_the_options_of_a_curl_command_joined_over_lines(
    real_rules: RuleSet, script: str, found_: list[tuple[int, int, str]],
) -> None:
    """The whole command that `\\` joins counts, however many lines it spans."""
    got = [f[:3] for f in found(Auditor(real_rules, codemod=None), script, "x.sh") if f[2].startswith("endpoint.")]
    assert got == found_


def test_a_long_joined_curl_command_is_read_in_linear_time(real_rules: RuleSet) -> None:
    """Each `curl` of a file of long joined commands is read once."""
    script = ("curl -X DELETE \\\n" + f"  {_DEST} \\\n" * 3000 + "  -s\n") * 2
    got = [f[2] for f in found(Auditor(real_rules, codemod=None), script, "x.sh") if f[2].startswith("endpoint.")]
    assert got == ["endpoint.destinations.delete"] * 6000


def test_fetch_with_no_method_sends_a_get(real_rules: RuleSet) -> None:
    """fetch's default is GET: with no options, or an options literal with
    no `method` key; options it cannot see (a variable, a spread), another
    object's `fetch`: every method."""
    calls = [
        "fetch(`${BASE}/workspaces/${ws}/sources`)",
        "fetch(`${BASE}/workspaces/${ws}/sources`, { headers: { Authorization: `Bearer ${T}` } })",
        'fetch(`${BASE}/workspaces/${ws}/sources`, { method: "POST", body: "{}" })',
        "fetch(`${BASE}/workspaces/${ws}/sources`, opts)",
        "fetch(`${BASE}/workspaces/${ws}/sources`, { ...opts, headers: {} })",
        'fetch(`${BASE}/workspaces/${ws}/sources`, {\n    headers: { "Content-Type": "application/json" },\n  })',
        "client.fetch(`${BASE}/workspaces/${ws}/sources`)",
    ]
    source = 'const BASE = "https://platform.segmentapis.com/v1beta";\n' + "".join(
        f"const r{i} = await {call};\n" for i, call in enumerate(calls)
    )
    findings = Auditor(real_rules, codemod=None).scan("x.js", source.encode()).findings
    # a message starting "Config path" lists every method of the path
    got = [(f.line, f.rule, f.message.startswith("Config path")) for f in findings if f.rule.startswith("endpoint.")]
    assert got == [
        (2, "endpoint.sources.list", False),
        (3, "endpoint.sources.list", False),
        (4, "endpoint.sources.create", False),
        (5, "endpoint.sources.list", True),
        (6, "endpoint.sources.list", True),
        (7, "endpoint.sources.list", False),
        (10, "endpoint.sources.list", True),
    ]


FETCH_BASE = 'const BASE = "https://platform.segmentapis.com/v1beta";\n'
PRETTIER_POST = (  # a fetch as Prettier lays it out: the URL and the options each on their own lines
    "function connect(ws, planId) {\n  return fetch(\n"
    "    `${BASE}/workspaces/${ws}/tracking-plans/${planId}/source-connections`,\n"
    '    {\n      method: "POST",\n      body: "{}",\n    },\n  );\n}\n'
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the call above ends within the lines read for this one's brackets
        (FETCH_BASE + "\n" + PRETTIER_POST + "\n\n\nfunction suppressUser(ws) {\n"
         '  return fetch(`${BASE}/workspaces/${ws}/regulations`, {\n    method: "POST",\n  });\n}\n',
         [(5, "endpoint.tracking-plans.connect-source", False), (16, "endpoint.regulations.create", False)]),
        # a wrapper spreading its options above, a Prettier-split POST below
        (FETCH_BASE + "\nasync function segmentFetch(path, opts = {}) {\n"
         "  const res = await fetch(`${BASE}/${path}`, {\n    ...opts,\n    headers: { Authorization: T },\n  });\n"
         "  if (!res.ok) throw new Error(`Segment ${res.status}`);\n  return res.json();\n}\n\n" + PRETTIER_POST,
         [(14, "endpoint.tracking-plans.connect-source", False)]),
        # options it cannot see: every method, not the one a call above names
        (FETCH_BASE + 'async function f(ws, other, opts) {\n  const r = await fetch(other, { method: "POST",\n'
         "    headers })\n  const s = await fetch(`${BASE}/workspaces/${ws}/regulations`, opts)\n}\n",
         [(5, "endpoint.regulations.list", True)]),
    ],
)
def test_the_method_of_a_fetch_is_its_own_options_whatever_the_calls_around_it(
    real_rules: RuleSet, source: str, expected: list[tuple[int, str, bool]],
) -> None:
    """A `fetch` call's method is read from its own options object, however
    the calls above it are laid out; none other lends it one."""
    findings = Auditor(real_rules, codemod=None).scan("x.js", source.encode()).findings
    # a message starting "Config path" lists every method of the path
    got = [(f.line, f.rule, f.message.startswith("Config path")) for f in findings if f.rule.startswith("endpoint.")]
    assert got == expected


def test_the_method_of_a_terraform_http_data_source(real_rules: RuleSet) -> None:
    """A `data "http"` block's `method` argument is its URL's; with none,
    the provider sends GET; a method held in a variable is not known."""
    url = '  url    = "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations"\n'
    source = (
        'data "http" "mk" {\n' + url + '  method = "POST"\n'
        '  request_body = jsonencode({ regulation_type = "Suppress", attributes = { name = "userId" } })\n}\n\n'
        'data "http" "list" {\n' + url + '  request_headers = {\n    Authorization = "Bearer ${var.token}"\n  }\n}\n\n'
        'data http rm {\n  method = "DELETE"\n'
        '  url    = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"\n}\n\n'
        'data "http" "v" {\n' + url + "  method = var.verb\n}\n"
    )
    findings = Auditor(real_rules, codemod=None).scan("main.tf", source.encode()).findings
    got = [(f.line, f.rule, f.message.startswith("Config path")) for f in findings if f.rule.startswith("endpoint.")]
    assert got == [
        (2, "endpoint.regulations.create", False),
        (8, "endpoint.regulations.list", False),
        (16, "endpoint.sources.delete", False),
        (20, "endpoint.regulations.list", True),
    ]


NAME_SPLIT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def tag(image):
    return image.name.split("/")[-1]


def slugs():
    body = requests.get(f"{API}/workspaces/acme/sources").json()
    return [s["name"].split("/")[-1] for s in body["sources"]]
'''


def test_a_resource_name_split_is_reported_by_the_text_scan_and_left_to_the_codemod_in_python(
    text_auditor: Auditor, real_rules: RuleSet,
) -> None:
    """Read as text, a `name` split on `/` in a Config file is reported off a
    value named after a Config resource (`s`), not `image.name`; the codemod
    reports only the Config response's (as the change it makes), knowing
    `image.name`'s value is no Config response."""
    text = text_auditor.scan("app.py", NAME_SPLIT).findings
    assert [(f.line, f.column, f.rule, f.text) for f in text if f.rule == "audit.resource-name-split"] == [
        (12, 14, "audit.resource-name-split", '["name"].split("/"'),
    ]
    precise = Auditor(real_rules).scan("app.py", NAME_SPLIT).findings
    assert [(f.line, f.column, f.rule, f.fix) for f in precise if f.line in (7, 12)] == [
        (12, 13, "source.fields", "rewrite"), (12, 47, "envelope.list", "rewrite"),
    ]


SPRING = '''public class Client {
    @Value("${segment.config.base-url:https://platform.segmentapis.com/v1beta}")
    private String base;

    public Map destination(String ws, String src, String dst) {
        return rest.getForObject(base + "/workspaces/{ws}/sources/{src}/destinations/{dst}", Map.class, ws, src, dst);
    }

    public void create(String ws, Map body) {
        rest.postForObject(base + "/workspaces/" + ws + "/sources", body, Map.class);
    }

    public void remove(String ws, String src, String dst) {
        rest.exchange(base + "/workspaces/" + ws + "/sources/" + src + "/destinations/" + dst,
            HttpMethod.DELETE, null, Void.class);
    }

    public String plans(String ws) throws Exception {
        HttpRequest req = HttpRequest.newBuilder()
            .uri(URI.create(base + "/workspaces/" + ws + "/tracking-plans"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
        return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    public void regulate(String ws, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder()
            .uri(URI.create(String.format("%s/workspaces/%s/regulations", base, ws)))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    }

    public void update(String ws, String src, RequestBody body) {
        Request req = new Request.Builder()
            .url(base + "/workspaces/" + ws + "/sources/" + src)
            .method("PATCH", body)
            .build();
    }

    public String raw(String ws, String src) {
        return fetchAll(base + "/workspaces/" + ws + "/sources/" + src)
            .delete()
            .join();
    }
}
'''


def test_spring_and_java_request_builders_give_their_method(real_rules: RuleSet) -> None:
    """rt4 #11: Spring's `getForObject`/`postForObject`, `exchange(...,
    HttpMethod.DELETE, ...)` over lines, and a request builder's `.GET()`,
    `.POST(` or `.method("PATCH", ...)` after its `.uri(...)`, up to
    `build()`; a chain that builds nothing gives none (every row told)."""
    findings = Auditor(real_rules, codemod=None).scan("Client.java", SPRING.encode()).findings
    assert [(f.line, f.rule, f.message.split(" is ")[0]) for f in findings if f.rule.startswith("endpoint.")] == [
        (6, "endpoint.destinations.get",
         "`GET /v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}`"),
        (10, "endpoint.sources.create", "`POST /v1beta/workspaces/{workspace}/sources`"),
        (14, "endpoint.destinations.delete",
         "`DELETE /v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}`"),
        (20, "endpoint.tracking-plans.list", "`GET /v1beta/workspaces/{workspace}/tracking-plans`"),
        (29, "endpoint.regulations.create", "`POST /v1beta/workspaces/{workspace}/regulations`"),
        (36, "endpoint.sources.update", "`PATCH /v1beta/workspaces/{workspace}/sources/{source}`"),
        (42, "endpoint.sources.get", "Config path `/v1beta/workspaces/{workspace}/sources/{source}`: GET → "
         "`GET /sources/{sourceId}`; PATCH → `PATCH /sources/{sourceId}`; DELETE → `DELETE /sources/{sourceId}`"
         " (ids from `migrator ids`)"),
    ]


@pytest.mark.parametrize(
    ("source", "path", "rule"),
    [
        ('<?php\n$http->delete("https://platform.segmentapis.com/v1beta/workspaces/$ws/sources/$src");\n', "del.php",
         "endpoint.sources.delete"),
        ('<?php\n$client->post("workspaces/{$ws}/sources", ["json" => $body]);\n', "a.php", "endpoint.sources.create"),
        ('my $res = $ua->delete("$base/workspaces/$ws/sources/$src");\n', "a.pl", "endpoint.sources.delete"),
        ('my $res = $ua->post("$base/workspaces/$ws/sources", Content => $body);\n', "a.pl", "endpoint.sources.create"),
    ],
)
def test_an_arrow_method_call_gives_its_method(real_rules: RuleSet, source: str, path: str, rule: str) -> None:
    """rt4 #11: PHP's and Perl's `->delete(`, `->post(` as `.delete(`."""
    assert [f.rule for f in Auditor(real_rules, codemod=None).scan(path, source.encode()).findings if f.rule.startswith("endpoint.")] == [rule]
