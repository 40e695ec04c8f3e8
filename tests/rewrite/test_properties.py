"""Property: over generated legacy-looking code, the rewrite never produces
code that fails to parse, is idempotent, and never raises on valid input."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    {
        "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"},
        "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
        "destinations": {"js/amplitude": ["6334b2ff2c4f2f0b8d5d0c3a"], "js/ga": ["a", "b"]},
        "tracking_plans": {"rs_1": ["tp_1"]},
        "functions": {"sfnc_1": ["sfnc_1"]},
    }
)

HOSTS = [
    "https://platform.segmentapis.com/v1beta/",
    "https://platform.segmentapis.com/v1beta",
    "https://platform.segmentapis.com/",
    "https://api.segmentapis.com/",
    "https://example.com/v1beta/",
    "v1beta/",
    "/v1beta/",
    "/",
    "",
]
SEGMENTS = [
    "workspaces", "acme", "other", "sources", "js", "destinations", "amplitude", "ga",
    "tracking-plans", "rs_1", "source-connections", "regulations", "suppressed-users",
    "catalog", "access-tokens", "metrics", "metrics:getSummary", "functions", "sfnc_1",
    "filters", "preview", "schema-config", "roles", "invites", "v1beta", "x y", "é",
    "{}", "{0}", "%s", "{{", "}}", "%%", "\\n", "'", '"',
]
HOLES = ["ws", "src", "self.ws", "d['slug']", "name", "BASE", "self.base_url"]


TEMPLATES = sorted({row.config.split(" ", 1)[1][len("/v1beta/"):] for row in RULES.endpoints})
SLUGS = ["acme", "js", "amplitude", "ga", "rs_1", "sfnc_1", "android", "{}", "%s"]


@st.composite
def url_parts(draw):
    """A host and a list of path parts, each literal text or a hole: mostly
    Config templates of the table (filled with slugs or holes), sometimes
    random segments, sometimes with a suffix appended."""
    host = draw(st.sampled_from(HOSTS))
    random_part = st.one_of(
        st.sampled_from(SEGMENTS).map(lambda s: ("lit", s)),
        st.sampled_from(HOLES).map(lambda h: ("hole", h)),
    )
    if draw(st.integers(0, 9)) < 7:
        parts = []
        for segment in draw(st.sampled_from(TEMPLATES)).split("/"):
            if segment.startswith("{"):
                parts.append(
                    draw(
                        st.one_of(
                            st.sampled_from(SLUGS).map(lambda s: ("lit", s)),
                            st.sampled_from(HOLES).map(lambda h: ("hole", h)),
                        )
                    )
                )
            else:
                parts.append(("lit", segment))
        parts.extend(draw(st.lists(random_part, max_size=2)))
    else:
        parts = draw(st.lists(random_part, max_size=7))
    return host, parts


def quote(text: str, q: str) -> str:
    return q + text.replace("\\", "\\\\").replace(q, "\\" + q) + q


@st.composite
def string_expression(draw):
    host, parts = draw(url_parts())
    q = draw(st.sampled_from(['"', "'"]))
    other = "'" if q == '"' else '"'
    form = draw(st.sampled_from(["f", "format", "percent", "plus", "concat", "plain", "urljoin"]))
    pieces = []
    for i, (kind, value) in enumerate(parts):
        sep = "/" if i else ""
        pieces.append((kind, value, sep))
    if form == "f":
        body = host.replace("{", "{{").replace("}", "}}")
        for kind, value, sep in pieces:
            if kind == "lit":
                body += (sep + value).replace("{", "{{").replace("}", "}}")
            else:
                body += sep + "{" + value.replace(q, other) + "}"
        return "f" + quote(body, q).replace("\\\\n", "\\n") if "\\" not in body else "f" + quote(body.replace("\\", ""), q)
    if form in ("format", "percent"):
        marker = "{}" if form == "format" else "%s"
        text = host.replace("{", "{{").replace("}", "}}") if form == "format" else host.replace("%", "%%")
        args = []
        for kind, value, sep in pieces:
            if kind == "lit":
                lit = value.replace("{", "{{").replace("}", "}}") if form == "format" else value.replace("%", "%%")
                text += sep + lit
            else:
                text += sep + marker
                args.append(value)
        if form == "format":
            return f"{quote(text, q)}.format({', '.join(args)})"
        if not args:
            return quote(text, q)
        if len(args) == 1 and draw(st.booleans()):
            return f"{quote(text, q)} % {args[0]}"
        return f"{quote(text, q)} % ({', '.join(args)}{',' if len(args) == 1 else ''})"
    if form == "plus":
        operands = [quote(host, q)] if host else []
        for kind, value, sep in pieces:
            if sep:
                operands.append(quote(sep, q))
            operands.append(quote(value, q) if kind == "lit" else value)
        return " + ".join(operands) or quote("", q)
    text = host + "/".join(value if kind == "lit" else "x" for kind, value, _ in pieces)
    if form == "concat" and len(text) > 2:
        cut = draw(st.integers(min_value=1, max_value=len(text) - 1))
        return f"({quote(text[:cut], q)}\n    {quote(text[cut:], q)})"
    if form == "urljoin":
        return f"urljoin(BASE, {quote(text, q)})"
    return quote(text, q)


@st.composite
def module(draw):
    lines = ["import requests", "from urllib.parse import urljoin", 'BASE = "https://platform.segmentapis.com/v1beta/"']
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        expr = draw(string_expression())
        template = draw(
            st.sampled_from(
                [
                    "url = {e}",
                    "requests.get({e})",
                    "resp = requests.post({e}, json=body)",
                    "session.delete({e})",
                    "requests.request({v}, {e})",
                    "class C:\n    U = {e}\n    def f(self):\n        return self.s.get(self.U)",
                    "def f(ws, src, name, d):\n    return requests.put({e})",
                    "assert {e} == x",
                    "x = [{e}]  # comment",
                    "if ok: requests.get({e})",
                ]
            )
        )
        verb = draw(st.sampled_from(['"GET"', '"post"', "method"]))
        lines.append(template.format(e=expr, v=verb))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join("\n".join(lines).split("\n")) + newline
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data


def check(data: bytes, **kwargs) -> None:
    try:
        ast.parse(data)
    except SyntaxError:
        return  # the generator made invalid Python: not a case
    result = rewrite_bytes(data, RULES, **kwargs)
    ast.parse(result.code)
    again = rewrite_bytes(result.code, RULES, **kwargs)
    assert again.code == result.code
    assert not again.changes
    if not result.changes and not result.markers:
        assert result.code == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(module())
def test_rewrite_parses_and_is_idempotent(data):
    check(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(module(), st.sampled_from(["us", "eu"]))
def test_rewrite_with_ids_parses_and_is_idempotent(data, region):
    check(data, ids=IDS, region=region, lookup_module="segment_ids")
