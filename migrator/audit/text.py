"""The text scanner: findings in a file of any type.

Three tiers; a later one never reports text an earlier one covers:
1. strong: the Config host, `v1beta/` paths that match an endpoint row, and
   Config resource paths (`workspaces/x/sources/...`); these give the file an
   *API context*;
2. weak, kept only in an API context: bare workspace names (`workspaces/x`)
   and pattern rows with `context = true`, such as path pieces;
3. Config-only field and parameter names (`display_name`, `page_token`,
   `update_mask`), also only in an API context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from migrator.audit.base_urls import (
    RIGHT_AFTER, after_other_segment, makefile, after_other_version, joined_base, line_of_other_apis, of_other_api, of_proxy, url_host,
)
from migrator.audit.declared import declared, retrofit_http
from migrator.audit.field_names import config_provider_context, references, words
from migrator.audit.folders import (
    file_path, in_file_path, in_folder_value, joined_to_path, names_config_base, workspace_folder,
)
from migrator.audit.model import Finding, Kind
from migrator.audit.openapi import config_version_key, document_version, openapi_route
from migrator.audit.paths import read_path, segments
from migrator.audit.statements import absorbed
from migrator.audit.table import Catalog, host_name, row_severity
from migrator.audit.text_routes import match_names, match_routes, route_on, template_literals
from migrator.audit.text_scan import Base, Hit, Lines, NEAR, Scan
from migrator.imports import language


def scan_text_in_context(
    path: str, text: str, catalog: Catalog, lines: Lines | None = None,
    after_base: Mapping[int, str | Base] | None = None, quiet: Callable[[int, str], bool] | None = None,
) -> tuple[list[Finding], bool]:
    """The findings, and whether the file has an API context (it uses the
    Config API); `after_base`: the paths joiners build after a base (`Scan.after_base`);
    `quiet`: whether a suppression comment covers a rule on a line (a Config
    URL quoted on purpose gives no context to the names around it)."""
    assert catalog.occurrences is not None
    scan = Scan(path, text, catalog, lines or Lines(text), fold_hosts(text, catalog, catalog.occurrences(text)),
                after_base=after_base or {}, quiet=quiet)
    # First the markers `migrator rewrite` left: the Config paths they quote are theirs.
    _patterns(scan, False, markers=True)
    _strong(scan)
    if scan.other_workspaces and not any(h.strong and not h.bare for h in scan.hits if h.kind != "marker"):
        scan.keep([h for h in scan.hits if not h.bare])  # no Config host or path of its own: the bare ones are that API's
    context = any(h.strong and h.kind != "marker" and not (quiet and quiet(scan.lines.locate(h.start)[0], h.rule))
                  for h in scan.hits) or config_provider_context(scan, quiet)
    if not context:  # weak hits alone do not make a finding (strong ones here are suppressed: counted so)
        scan.keep([h for h in scan.hits if h.kind == "marker" or h.strong])
    _patterns(scan, context, markers=False)
    if context:
        references(scan)
        words(scan)
    return _findings(path, scan), context


def fold_hosts(text: str, catalog: Catalog, found: dict[str, list[int]]) -> dict[str, list[int]]:
    """`found`, with the Config hosts written in mixed case (`Platform.SegmentAPIs.com`:
    host names are case-insensitive) found where the lowercase ones would be."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two (`İ`): offsets would shift
        lowered = "".join(c if c.isascii() else "?" for c in text).lower()
    for name in catalog.host_names:
        if name not in lowered:
            continue
        known = {*found.get(name, ()), *found.get(name.upper(), ())}
        at = lowered.find(name)
        while at >= 0:
            if at not in known:
                found.setdefault(name, []).append(at)
            at = lowered.find(name, at + 1)
        if name in found:
            found[name].sort()
    return found


def _strong(scan: Scan) -> None:
    text = scan.text
    # at one offset, the longer start first: `workspaces/` reads its path, `workspaces` only the list's
    found = sorted((at, -len(needle), needle) for needle in scan.catalog.starts for at in scan.found.get(needle, ()))
    pos = 0
    for start, _, token in found:
        if start < pos:
            continue
        if token == scan.catalog.names_start:
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-") and not _after_printf(text, start):
                continue
            pos = _workspace_path(scan, start)
        elif token == scan.catalog.version_start:
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-."):
                continue
            begin = start - 1 if start > 0 and text[start - 1] == "/" else start
            pos = max(start + len(token), _api_path(scan, begin, start + len(token)))
        elif token in scan.catalog.based_starts:
            if start > 0 and text[start - 1] not in "/\"'`}" and not _after_printf(text, start):
                continue
            pos = _based_path(scan, start)
        else:
            pos = _host(scan, start)


def _after_printf(text: str, start: int) -> bool:
    """`%sworkspaces/...`: a base URL ending with `/` is filled in before the path."""
    return text.endswith(("%s", "%v"), 0, start) and not text.endswith("%%", 0, start - 1)


def _host(scan: Scan, netloc_start: int) -> int:
    text = scan.text
    if not _whole_host(text, netloc_start, scan.catalog.host_names):
        return netloc_start + 1
    line_start, _ = scan.lines.bounds(netloc_start)
    for host in scan.catalog.hosts:
        # The host regex allows a scheme before the netloc: try from there.
        for begin in (netloc_start - 8, netloc_start - 7, netloc_start - 6, netloc_start - 2, netloc_start):
            if begin < line_start:
                continue
            m = host.regex.match(text, begin)
            if m and m.end() > netloc_start:
                scan.add(Hit(m.start(), m.end(), host.rule, "warning", host.message, "host"))
                end = m.end()
                if text.endswith(scan.catalog.version_start[:-1], 0, end) and text.startswith("/", end):
                    return max(end + 1, _api_path(scan, end, end + 1))
                return end
    return netloc_start + 1


def _whole_host(text: str, at: int, names: tuple[str, ...]) -> bool:
    """The Config host's name at `at` is a whole host name: not part of
    `notplatform.segmentapis.com` nor of `platform.segmentapis.com.evil.example`
    (a dot ending a sentence is no label)."""
    if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "._-"):
        return False
    name = next((n for n in names if text[at : at + len(n)].lower() == n), None)
    if name is None:
        return True
    after = text[at + len(name) : at + len(name) + 2]
    if after[:1].isalnum() or after[:1] in "_-":
        return False
    return not (after[:1] == "." and (after[1:].isalnum() or after[1:] in "_-"))


def _api_path(scan: Scan, begin: int, path_start: int) -> int:
    """A path after `v1beta/`; a finding when it matches an endpoint row."""
    line_start, line_end = scan.lines.bounds(path_start)
    line = _logical_line(scan, line_start, line_end)
    raw, end = read_path(line, path_start - line_start)
    segs = segments(raw)[: scan.catalog.longest + 1]
    routes, _ = match_routes(scan.catalog, segs)
    if routes and _served(scan, line, line_start, begin - line_start, end):
        scan.clear(begin, line_start + end)
        return line_start + end  # a route the file's own server serves: `@app.get("/v1beta/workspaces/{ws}/sources")`
    if routes:
        host = url_host(scan, begin)
        other = host is not None and scan.catalog.other_api(host)
        if other and segs[0] not in scan.catalog.path_heads:
            return line_start + end  # on another host, only a path a Config head starts: not `v1beta/{install+}/token`
        rule, severity, message = route_on(scan, routes, line, line_start, begin)
        scan.add(Hit(begin, line_start + end, rule, severity, message, "endpoint"))
        if other:
            scan.proxy_hosts.add(host_name(host))  # `https://segment-proxy.internal/v1beta/workspaces/...`
    return line_start + end


def _based_path(scan: Scan, start: int) -> int:
    """A Config path outside workspaces (`catalog/destinations`) right after a
    base the file assigns a URL ending at the Config version, on any host
    (`${PROXY}/catalog/destinations`, `PROXY = "https://segment-proxy.internal/v1beta"`):
    whole, as a workspace path after it is (`of_other_api`); a finding when it
    matches an endpoint row; also one given to a client built with a Config
    base (`api.get("catalog/destinations")`, `Scan.after_base`). Elsewhere it is none: a catalog entry's name
    (`catalog/sources/javascript`), the Public `/catalog/sources` after its host.
    So is a key of the `paths` of an OpenAPI document whose server is the
    Config host and version (`basePath: /v1beta`, then `/catalog/destinations:`),
    and a path given to a declarative client's annotation (`_client_path`)."""
    line_start, line_end = scan.lines.bounds(start)
    base = None
    if start in scan.after_base or _may_follow_a_base(scan.text, start, makefile(scan.path)):
        base = joined_base(scan, start, RIGHT_AFTER, right_after=True)
    if base is not None and base.versioned:
        line = _logical_line(scan, line_start, line_end)
        raw, end = read_path(line, start - line_start)
    elif scan.path.lower().endswith(_DOCUMENTS):
        base, line = None, scan.text[line_start:line_end]
        raw, end = read_path(line, start - line_start)
        if not config_version_key(scan, line, line_start, start - line_start, end):
            return _client_path(scan, start)
    else:
        return _client_path(scan, start)
    routes, _ = match_routes(scan.catalog, segments(raw)[: scan.catalog.longest + 1])
    if not routes:
        return start
    rule, severity, message = route_on(scan, routes, line, line_start, start)
    scan.add(Hit(start, line_start + end, rule, severity, message + _kept_base(scan, base), "endpoint"))
    if base is not None and scan.catalog.other_api(base.host):
        scan.proxies.add((base.start, base.end))  # its `v1beta` is the path's prefix
        scan.proxy_hosts.add(host_name(base.host))
    return line_start + end


def _client_path(scan: Scan, start: int) -> int:
    """A Config path outside workspaces given whole to a declarative client's
    annotation (`@POST("access-tokens")`, `@GET("catalog/destinations")`,
    Retrofit's `@HTTP(method = "POST", path = "access-tokens")`) in
    a file that writes the Config base (`.baseUrl("https://platform.segmentapis.com/v1beta/")`):
    the client's request, joined to that base."""
    line_start, line_end = scan.lines.bounds(start)
    line = _logical_line(scan, line_start, line_end)
    before = line[max(0, start - line_start - NEAR) : start - line_start]
    client = _DECORATED.search(before) and _declared(scan, before, start) \
        or "HTTP(" in before and retrofit_http(scan.text, before)  # Retrofit's `@HTTP(method = ..., path = "`
    if not client or not names_config_base(scan):
        return start
    raw, end = read_path(line, start - line_start)
    routes, length = match_routes(scan.catalog, segments(raw)[: scan.catalog.longest + 1])
    if not routes or length < len(segments(raw)):
        return start
    rule, severity, message = route_on(scan, routes, line, line_start, start)
    scan.add(Hit(start, line_start + end, rule, severity, message, "endpoint"))
    return line_start + end


_DOCUMENTS = (".json", ".yaml", ".yml")
"""The files an OpenAPI document may be (`config_version_key`)."""


def _may_follow_a_base(text: str, start: int, make: bool) -> bool:
    """A quick test that a base may end right before `start` (`}`, `$NAME`,
    `NAME + "`, `NAME . "`, `NAME <> "`, `"%s`, Swift's `\\(name)`; in a Makefile (`make`), `)`), before `joined_base` (a catalog entry's name,
    `"catalog/sources/javascript"`, may occur thousands of times)."""
    end = start - 1 if text.endswith("/", 0, start) else start
    last = text[end - 1 : end]
    if last == "}" or (make and last == ")") or _after_printf(text, end):
        return True
    window = text[max(0, end - RIGHT_AFTER) : end]
    if last in ("'", '"', "`"):
        return "+" in window or "." in window or "<>" in window  # `BASE + "`, PHP's `BASE . '`, Lua's `base .. "`
    if last == ")":
        return "\\(" in window  # Swift's `\(base)`
    return (last.isalnum() or last == "_") and "$" in window


def _logical_line(scan: Scan, line_start: int, line_end: int) -> str:
    """The line, and when it ends inside a `${` placeholder (a template
    literal broken over lines, as Prettier writes long ones), the lines up
    to its `}`, line breaks turned into spaces (offsets stay the same)."""
    if scan.logical[0] == line_start:
        return scan.logical[1]
    text = scan.text
    line = text[line_start:line_end]
    opened = line.rfind("${")
    if opened >= 0 and "}" not in line[opened:]:
        close = text.find("}", line_end, line_end + 200)
        if close >= 0:
            end = text.find("\n", close)
            end = len(text) if end < 0 else end
            line = text[line_start:end].replace("\r", " ").replace("\n", " ")
    scan.logical = (line_start, line)
    return line


def _workspace_path(scan: Scan, start: int) -> int:
    """`workspaces/...`: a host-less Config path, or a resource name; not in
    a URL of another API's host (written out, or a base the file assigns
    one), which has `workspaces/{id}/roles` too: a Config path on another
    host (a proxy) is reported when it keeps the `v1beta/` prefix."""
    line_start, line_end = scan.lines.bounds(start)
    line = _logical_line(scan, line_start, line_end)
    raw, end = read_path(line, start - line_start)
    stop = max(line_start + end, start + len(scan.catalog.names_start))
    segs = segments(raw)[: scan.catalog.longest + 1]  # past the longest template, a prefix matches or nothing
    if after_other_segment(scan, start):
        scan.clear(start, stop)
        return stop  # `/srv/mirror/workspaces/...`, `/api/workspaces/`, `~/workspaces/...`: nor are its pieces
    if len(segs) < 2:
        return stop  # a bare `workspaces/` is a path piece (see rules/audit.toml)
    if after_other_version(scan, start):
        return stop  # `/v1/workspaces/...`, `/api/v2/workspaces/...`: Config paths start at `/v1beta/`
    before = line[max(0, start - line_start - NEAR) : start - line_start]
    if file_path(scan, line, start - line_start, raw) or in_folder_value(scan, start) \
            or joined_to_path(scan, before) or workspace_folder(scan, before, segs, start):
        scan.clear(start, stop)
        return stop  # `open(f"backup/workspaces/{ws}/sources/{src}.json")`: an export of Config data
    routes, route_len = match_routes(scan.catalog, segs)
    name, name_len = match_names(scan.catalog, segs)
    if of_other_api(scan, start, bool(routes) or name is not None):
        scan.other_workspaces = True
        return stop  # Postman's `/workspaces/{id}/roles`, not after the Config `v1beta/`
    if (routes or name is not None) and _served(scan, line, line_start, start - line_start, end):
        scan.clear(start, stop)
        return stop  # a route the file's own server serves: `@app.get("/workspaces/{ws}/sources")`
    bare = before.rstrip("/")[-1:] in ("'", '"', "`")
    base = _config_base(scan, start) if routes or name is not None else None
    strong = base is not None or (bool(routes) and template_literals(routes[0].template) >= 2)
    client = bool(routes) and _DECORATED.search(before) is not None and _declared(scan, before, start)
    if routes and (route_len > name_len or (route_len == name_len and _reads_as_path(line, start - line_start, strong, client))):
        rule, severity, message = route_on(scan, routes, line, line_start, start)
        scan.add(Hit(start, stop, rule, severity, message + _kept_base(scan, base), "endpoint", strong, bare))
    elif name is not None:
        strong = base is not None or template_literals(name.template) >= 2
        key = _key_before(before)
        key = key if (key, name.rule) in scan.catalog.references else ""
        scan.add(Hit(start, stop, name.rule, "warning", name.message + _kept_base(scan, base), "name", strong, bare, key))
    return stop


def _config_base(scan: Scan, start: int) -> Base | None:
    """The base the path at `start` follows at once, when the file assigns
    it a URL ending at the Config version (`BASE=https://platform.segmentapis.com/v1beta`,
    then `curl "$BASE/workspaces/acme"`): the path is the Config API's on its
    own, a strong hit, also when a suppression comment covers the base's
    line (it does not cover the call, which gives the file its context)."""
    if start not in scan.after_base and not _may_follow_a_base(scan.text, start, makefile(scan.path)):
        return None  # (the quick test first, as for `_based_path`: resource names may occur thousands of times)
    base = joined_base(scan, start, RIGHT_AFTER, right_after=True)
    return base if base is not None and base.versioned else None


def _kept_base(scan: Scan, base: Base | None) -> str:
    """What a path joined to `base` adds to its message when a suppression
    comment keeps that base's URL on the Config API: the two move together."""
    if base is None or scan.quiet is None:
        return ""
    line = scan.lines.locate(base.start)[0]
    if not scan.quiet(line, "host.base-url"):
        return ""
    return (f"; joined to the base on line {line}, which a suppression comment keeps on the Config API:"
            " migrate them together, or mark this line too")


_KEY_BEFORE = re.compile(r"""(?<![\w$])["']?(?P<key>[A-Za-z_]\w*)["']?\s*(?::|=(?!=))\s*[fr]?["'`]?$""")
"""The key a value is given to, before it on its line: `"parent": "`, `parent: `, `parent="`."""


def _key_before(before: str) -> str:
    m = _KEY_BEFORE.search(before)
    return m.group("key") if m else ""


_DECORATED = re.compile(r"""^\s*@[\w.]+\(\s*[rf]?["'`]/?$""")
"""A decorator (annotation) taking a path, before it on its line: `@app.get(`, `@router.route(`, `@GetMapping(`;
a server's route unless a declarative client's (`_declared`)."""
_SERVED = re.compile(
    r"""(?:^\s*(?:get|post|put|patch|delete|match)\s+               # Rails routes, Sinatra: get "/workspaces/..."
        | (?<![\w.])(?:path|re_path|url)\(                          # Django's urlpatterns
        | \b(?:HandleFunc|Handle|add_url_rule|add_api_route)\(      # Go's net/http, Flask, FastAPI
        | \b(?:app|router|server|mux|engine|fastify)\.\w+\(          # Express, chi, gin, echo, fastify
        | \bfastify\.route\(\s*\{[^{}\n]*\burl\s*:                 # fastify.route({ method: 'GET', url: '/...'
        | \bRoute::\w+\(                                            # Laravel
        | \b(?:request|supertest)\(\s*[\w.]+\s*\)\.\w+\(             # supertest: a test of the app's own server
    )\s*[rf]?["'`]/?$""",
    re.VERBOSE,
)
"""What serves a path, before it on its line: a route of the file's own server, not a call."""
_GO_METHOD_PATTERN = re.compile(r"""\b(?:HandleFunc|Handle)\(\s*["`][A-Z]+[ \t]+/?$""")
"""Go 1.22's method in a pattern: `mux.HandleFunc("GET /workspaces/{ws}/invites", h)`."""
_GO_ROUTER = re.compile(r"""\.(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any)\(\s*["`]/?$""")
"""gin's and echo's routes, whatever the router's name: `g.GET("/workspaces/:ws/roles", h)` (no Go client's method is in capitals)."""
_GO_CHI = re.compile(r"""\.(?:Get|Post|Put|Patch|Delete|Head|Options|Route|Mount)\(\s*["`]/?$""")
_GO_HANDLER = re.compile(r"""[^"`\n]*["`]\s*,\s*(?:func\b|[A-Za-z_][\w.]*(?:\([^()\n]*\))?\s*\))""")
"""chi's routes (`r.Get("/workspaces/{ws}/sources", listSources)`): a
pattern and a handler, where a Go client takes a URL alone (`http.Get(url)`),
or a content type and a body (`http.Post(url, "application/json", body)`)."""
_METHOD_CALL = re.compile(r"""[.:](?:get|post|put|patch|delete|head|options|all|route)\(\s*["'`]/?$""", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"/:[A-Za-z_]\w*")
"""A `:ws` segment: a route's placeholder; a request's URL holds the value."""
_HANDLER = re.compile(r"""[^"'`\n]*["'`]\s*,\s*(?:function\b|async\b|\(|[A-Za-z_$][\w.$]*\s*[,)])""")
"""A handler after a route's path (`, listRoles)`, `, (req, res) =>`), not a
client's options (zodios fills `:ws` from `{ params: { ws } }`)."""


def _served(scan: Scan, line: str, line_start: int, at: int, end: int) -> bool:
    """What is before the path at `at:end` of `line` serves it (a route of
    the file's own server), or it is a key of an OpenAPI document's `paths`."""
    if openapi_route(scan, line, line_start, at, end):
        return True
    before = line[max(0, at - NEAR) : at]
    if _SERVED.search(before):
        return True
    if _DECORATED.search(before) and language(scan.path) != "ruby":  # (Ruby's `@conn.get(`: a call)
        return not _declared(scan, before, line_start + at)  # `@app.get(`, not Retrofit's `@GET("v1beta/...")`
    if _METHOD_CALL.search(before) and _PLACEHOLDER.search(line, at, end) and _HANDLER.match(line, at):
        return True  # `fastify.get('/workspaces/:ws/sources', h)`, whatever the server's name
    if language(scan.path) != "go":
        return False
    return bool(_GO_METHOD_PATTERN.search(before) or _GO_ROUTER.search(before)
                or _GO_CHI.search(before) and _GO_HANDLER.match(line, at))


def _declared(scan: Scan, before: str, at: int) -> bool:
    """The path at `at`, after `before` on its line, is a declarative
    client's request (`declared`), not a route: `@GET("v1beta/...")`."""
    return declared(scan.text, before, at, language(scan.path) == "python")


_URL_KEY = re.compile(
    r"""(?:(?:url|uri|path|endpoint)["']?\s*[:=]           # url: `...`, "path": "...", request_uri =
        | (?:[.:]|->)(?:get|post|put|patch|delete|request)(?:Async|For(?:Object|Entity|Location))?(?:\s*\(|[ \t]+(?=["'`]$))
          # client.delete("..."), C#'s DeleteAsync(, Ruby's conn.delete ", PHP's $http->delete(,
          # rest.getForObject(, Ktor's client.request("
        | \bfetch\s*\(
        | (?:\bHttpMethod\.[A-Za-z]+|\bnew\s+HttpMethod\s*\(\s*"[A-Za-z]+"\s*\)|\bhttp\.Method[A-Za-z]+
           |(?-i:["'](?:GET|POST|PUT|PATCH|DELETE)["']))\s*,
          # a method, then the URL: C#'s HttpRequestMessage(HttpMethod.Delete, $"...")
    )\s*\$?["'`]?$""",                                     # C#'s $"..."
    re.VERBOSE | re.IGNORECASE,
)
"""What a path is given to: a URL key, an HTTP method's call, `fetch`, a
call given a method right before it (`HttpRequestMessage(HttpMethod.Delete, `)."""


_JOINED_QUOTE = re.compile(r"[+.]\s*(?:[rRbBfFuU]{1,2})?[\"'`]\Z")
"""A quote opening a string joined to what is before it: `BASE + "`, Python's `BASE + f"`."""


def _reads_as_path(line: str, start: int, whole: bool, client: bool = False) -> bool:
    """After `/`, `{BASE}`, `$BASE` or `BASE + "` (`+ f"`), a path; after a bare quote,
    a resource name, unless a URL key, an HTTP call or a declarative client's
    annotation (`client`) takes it (`url: "workspaces/{w}/sources/{s}"`,
    `.delete("workspaces/...")`, `@DELETE("workspaces/...")`) and it is
    `whole`, a path of two literal segments (`workspaces/x` alone is as
    often the prefix of paths built later)."""
    before = line[max(0, start - NEAR) : start].rstrip()  # (a minified line: what is near)
    if not before:
        return False
    if whole and (client or _URL_KEY.search(before, max(0, len(before) - NEAR))):
        return True
    if before[-1] in "'\"`":
        return _JOINED_QUOTE.search(before) is not None
    return before[-1] not in "(=:,["


def _patterns(scan: Scan, context: bool, markers: bool) -> None:
    """The pattern rows: those whose matches are markers, or the others."""
    data_rows = scan.catalog.rows
    text = scan.text
    for pattern in scan.catalog.patterns:
        if pattern.is_marker != markers or (pattern.context and not context) or pattern.shared_fields:
            continue  # (shared field names are the field search's: `words`)
        if pattern.suffixes and not scan.path.lower().endswith(pattern.suffixes):
            continue
        if pattern.requires and not any(r in scan.found for r in pattern.requires):
            continue
        starts = {scan.lines.bounds(at) for anchor in pattern.anchors for at in scan.found.get(anchor, ())}
        for line_start, line_end in sorted(starts):
            for m in pattern.regex.finditer(text, line_start, line_end):
                groups = m.groupdict()
                rule = groups.get("rule")
                rule = rule if rule in data_rows else pattern.rule
                message = groups.get("message") or pattern.message
                kind: Kind = "marker" if "rule" in groups else "fragment" if pattern.path_piece else "pattern"
                # a marker is as grave as the codemod makes its row's markers (`row_severity`)
                severity = row_severity(data_rows[rule]) if kind == "marker" and rule in data_rows else pattern.severity
                if kind != "marker" and not of_proxy(scan, m.start()) and (
                    of_other_api(scan, m.start()) or line_of_other_apis(scan, m.start())
                ):
                    continue  # `v1beta`, `workspaces/` of another API's URL; `curl -u` to another API
                if kind == "fragment" and after_other_version(scan, m.start()):
                    continue  # `/api/v2/workspaces/`: a path of another API's version
                if kind == "fragment" and in_file_path(scan, m.start()):
                    continue  # `Path("/srv/mirror/v1beta")`: a folder
                if kind == "fragment" and document_version(scan, m.start()):
                    continue  # an OpenAPI document's `info.version: v1beta`: a version, not a path's prefix
                scan.add(Hit(m.start(), m.end(), rule, severity, message, kind))


def _findings(path: str, scan: Scan) -> list[Finding]:
    out: list[Finding] = []
    for hit in scan.hits:
        raw = scan.text[hit.start : hit.end].split("\n", 1)[0]
        text = raw.strip()
        line, column = scan.lines.locate(hit.start + len(raw) - len(raw.lstrip()))
        out.append(Finding(path, line, column, hit.rule, hit.severity, hit.message, text, hit.kind))
    out = absorbed(out, out, scan.lines)
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out
