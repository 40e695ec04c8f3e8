"""Which endpoint a Config path found in text is: the routes and names it
matches, and the HTTP method written near it (a call, a curl command, a
Postman item, a notebook cell)."""

from __future__ import annotations

import bisect
import re

from migrator.audit.base_urls import arrow_assigns
from migrator.audit.model import Severity
from migrator.audit.notebook import cell_spans, is_notebook
from migrator.audit.openapi import operations as openapi_operations
from migrator.audit.own_method import (
    EVERY, assigned_method, call_method, chained_method, request_method, request_urls,
)
from migrator.audit.paths import curl_method, method_before, method_on
from migrator.audit.shell_commands import joined_commands, joined_curl
from migrator.audit.table import Catalog, Name, Route
from migrator.audit.text_scan import CALL, Scan
from migrator.markers import MARKER
from migrator.ruleset.models import HTTP_METHODS
from migrator.ruleset.templates import Template


_SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


def match_routes(catalog: Catalog, segs: list[str]) -> tuple[list[Route], int]:
    """Routes of the longest prefix of `segs` that matches any, most specific
    first, and the length of that prefix. A prefix shorter than the path only
    counts when its template has two literal segments
    (`workspaces/{w}/sources/{s}/...`), so that `workspaces/prod/vars` of
    another API is not taken for a Config path."""
    for k in range(len(segs), 0, -1):
        routes = catalog.routes_for("/" + "/".join(segs[:k]))
        if k < len(segs):
            routes = tuple(r for r in routes if template_literals(r.template) >= 2)
        if routes:
            best = routes[0].template.literal_length
            return [r for r in routes if r.template.literal_length == best], k
    return [], 0


def match_names(catalog: Catalog, segs: list[str]) -> tuple[Name | None, int]:
    for k in range(len(segs), 1, -1):
        path = "/" + "/".join(segs[:k])
        for name in catalog.names:
            if k < len(segs) and template_literals(name.template) < 2:
                continue
            if name.template.match(path) is not None:
                return name, k
    return None, 0


def template_literals(template: Template) -> int:
    """Literal segments of a template: 2 for `/workspaces/{w}/sources`."""
    return sum(1 for seg in template.text.split("/") if seg and "{" not in seg)


STRUCTURED = (".json", ".yaml", ".yml")
"""Files whose requests give their method a few keys before the URL (Postman
items, YAML connectors): the method is looked for further up."""


def _look_back(path: str, line: str) -> int:
    """Lines above a path where its method is looked for: more in structured
    files, and for a step of a builder's chain (a line starting with `.`),
    whose method step may be several steps above (`.method(HttpMethod.DELETE)`,
    `.header(...)`, `.accept(...)`, then `.uri(...)`)."""
    if path.lower().endswith(STRUCTURED):
        return 10
    return CHAIN_STEPS if _CHAIN_STEP.match(line) else 2


CHAIN_STEPS = 8
"""Lines of a builder's chain above a step holding a path where its method is looked for."""
_CHAIN_STEP = re.compile(r"[ \t]*\.")
"""A line a chain goes on on (not `lstrip`: a minified line is long)."""


def route_on(
    scan: Scan, routes: list[Route], line: str, line_start: int, at: int,
) -> tuple[str, Severity, str]:
    """`_choose` for the path at `at` on the (logical) line that starts at
    `line_start` (`CALL` characters around it), with the lines before it
    and those that continue it."""
    cell_start, cell_end = _cell(scan, at)  # a notebook's cell: the method is its code's
    cut = max(0, at - line_start - CALL, cell_start - line_start)
    stop = min(at - line_start + CALL, cell_end - line_start)
    structured = scan.path.lower().endswith(STRUCTURED)
    item = structured and line.lstrip().startswith("- ")  # a YAML item the path starts: nothing above is its
    before = _lines_before(scan, line_start, _look_back(scan.path, line), structured) if not cut and not item else ""
    before = before[max(0, len(before) - (line_start - cell_start)) :]
    if scan.joined is None:
        scan.joined = joined_commands(scan.text)
    curl = joined_curl(scan.text, scan.joined, at)  # a `curl` command `\\` joins over lines: its method
    version = scan.catalog.version_start.rstrip("/")
    request, own = _request_method(scan, at)
    if request:
        return _row(routes, own)  # the method of the request object whose URL it is, wherever it stands; none: all
    operations = openapi_operations(scan, line, line_start, at - line_start) if structured else None
    if operations:  # a key of a Config client's OpenAPI document: the methods of its operations below it
        return _rows([r for r in routes if r.method in operations] or routes)
    own = _own_method(scan, line, line_start, at, cut, stop, (cell_start, cell_end))
    if own == EVERY:
        return _row(routes, None)  # a `fetch` whose options are not seen: no method of the lines above is its
    if own is not None and structured:
        return _row(routes, own)
    rule, severity, message, method = _choose(routes, line[cut:stop], before, version, structured,
                                              at=at - line_start - cut, own=own, curl=curl)
    if method is None and structured:
        # a YAML connector's item gives its method below its path (`path: ...` then `method: DELETE`)
        below = _lines_after(scan, line_start + len(line), _look_back(scan.path, line))
        rule, severity, message, _ = _choose(routes, line[cut:stop], "", version, structured,
                                             below=below, names=scan.catalog.names_start)
    return rule, severity, message


def _own_method(
    scan: Scan, line: str, line_start: int, at: int, cut: int, stop: int, cell: tuple[int, int],
) -> str | None:
    """The method of the path's own call where the line does not name it:
    that of the call it is an argument of, of the request builder that call
    is a step of, or of the calls its variable is passed to on the next
    lines (`own_method`)."""
    piece = line[cut:stop]  # (as `_choose` reads it: a long minified line is not searched whole for each path)
    if scan.path.lower().endswith(STRUCTURED) or "curl " in piece or method_on(piece) is not None:
        return None
    return call_method(scan.text, at, *cell) or chained_method(scan.text, at, *cell) \
        or assigned_method(scan.text, line_start, line_start + len(line), at, cell[1], arrow_assigns(scan.path))


def _request_method(scan: Scan, at: int) -> tuple[bool, str | None]:
    """In JSON, whether the path at `at` is in the `url` of an object (a
    Postman request, a HAR entry), and that object's `method`: None when it
    has none, whatever other requests around it name (`request_urls`)."""
    if not scan.path.lower().endswith(".json"):
        return False, None
    if scan.requests is None:
        scan.requests = request_urls(scan.text)
    return request_method(scan.requests, at)


def _cell(scan: Scan, at: int) -> tuple[int, int]:
    """The bounds of the notebook cell's source holding `at`; the whole text
    in other files."""
    if not is_notebook(scan.path):
        return 0, len(scan.text)
    if scan.cells is None:
        scan.cells = cell_spans(scan.text)
    i = bisect.bisect_right(scan.cells, (at, len(scan.text)))
    if i and scan.cells[i - 1][1] > at:
        return scan.cells[i - 1]
    return 0, len(scan.text)


def _lines_after(scan: Scan, line_end: int, count: int) -> list[str]:
    text = scan.text
    out: list[str] = []
    while len(out) < count and line_end < len(text):
        end = text.find("\n", line_end + 1)
        end = len(text) if end < 0 else end
        out.append(text[line_end + 1 : end])
        line_end = end
    return out


_WORD = re.compile(r"\w")


def _lines_before(scan: Scan, line_start: int, count: int, structured: bool) -> str:
    """The `count` lines above the one starting at `line_start`; in a
    structured file, those with no word not counted (brackets, commas: a
    Postman URL's `host` and `path` arrays, blanked where it has a `raw`
    string, and its `query` items may stand between it and the request's
    method)."""
    text, start = scan.text, line_start
    while count > 0 and start > 0:
        end = start - 1
        start = text.rfind("\n", 0, max(end, 0)) + 1
        count -= not structured or _WORD.search(text, start, end) is not None
    return text[start:line_start]


def _choose(
    routes: list[Route], line: str, before: str, version: str, structured: bool = False,
    below: list[str] = (), names: str = "", at: int | None = None,  # type: ignore[assignment]
    own: str | None = None, curl: tuple[bool, str | None] = (False, None),
) -> tuple[str, Severity, str, str | None]:
    """The route for the method the line (or one of the lines before it, for
    calls split over lines and structured files, up to one with a URL or a
    Config `version` prefix of its own, one that ends a statement with `;`,
    a call or a `curl` command complete on its line, or a YAML item's start)
    names; all of them when none does; and that method. (A resource name,
    `workspaces/x/sources/y`, does not stop it: a Postman request's body holds
    one between its method and its URL.) With `below` (a structured file's
    lines after the path's), the method is looked for there instead, up to
    the next item or the next path (`names`). In a structured file, the
    method nearest before the path (`at`) on its line is its own. `own`:
    the method of the path's own call, written after it (`_own_method`),
    before the lines above. `curl`: whether the path is in a `curl` command
    that `\\` joins over lines, and its method (`joined_curl`), which is
    then the path's, whatever the lines above say."""
    command = curl[0] or "curl " in line  # its method is its options', whatever the lines above say
    method = None if command else method_before(line, at) if structured and at is not None else method_on(line)
    method = own if method is None and not command else method
    chained = line.lstrip().startswith(".")  # the line goes on with a call of a builder's chain
    for previous in reversed(before.splitlines() if not command else ()):
        if MARKER.search(previous) or chained and not previous.strip():
            continue  # a marker comment a rewrite left names the Public call, not this line's method; a chain's blank line
        if method is not None or "://" in previous or version in previous:
            break  # found, or a line with a URL of its own: another call
        if previous.rstrip().endswith(";") or not structured and not chained and _complete(previous):
            break  # the end of another statement (not a call a chain goes on from: `.method("DELETE", ...)`)
        method = method_on(previous)
        chained = previous.lstrip().startswith(".")
        if structured and previous.lstrip().startswith("- "):
            break  # the start of this YAML item
    indent = len(line) - len(line.lstrip()) + (2 if line.lstrip().startswith("- ") else 0)  # the key's column
    for following in below:
        key = following.lstrip()
        if method is not None or key.startswith("- ") or names in following or version in following \
                or "://" in following or key and len(following) - len(key) < indent:
            break  # another item, another URL, or the end of the path's mapping
        if len(following) - len(key) == indent and _METHOD_KEY.match(key):
            method = method_on(following)
    if method is None:
        method = curl[1] if curl[0] else curl_method(line)
    return (*_row(routes, method), method)


def _row(routes: list[Route], method: str | None) -> tuple[str, Severity, str]:
    """The route of `method`; all of them, in one message, when none is its."""
    return _rows([r for r in routes if r.method == method] or routes)


def _rows(chosen: list[Route]) -> tuple[str, Severity, str]:
    """The route chosen, or those chosen in one message (the first one's rule)."""
    if len(chosen) == 1:
        r = chosen[0]
        return r.rule, r.severity, r.message
    chosen.sort(key=lambda r: HTTP_METHODS.index(r.method))  # endpoint rows hold only these
    severity = max((r.severity for r in chosen), key=_SEVERITY_RANK.__getitem__)
    path = chosen[0].config.split(" ", 1)[1]
    message = f"Config path `{path}`: " + "; ".join(r.short() for r in chosen)
    if any(r.needs_ids for r in chosen):
        message += " (ids from `migrator ids`)"
    return chosen[0].rule, severity, message


_METHOD_KEY = re.compile(r"[\w-]*method\s*:", re.I)
"""A YAML key that gives a request's method (`method: DELETE`, `http_method: PUT`)."""
_GOES_ON = (",", "(", "[", "{", "\\", "+", "=", ":", "&&", "||", "|", ".")
"""How a line that a statement goes on after ends."""


def _complete(line: str) -> bool:
    """A statement whole on its line (`await axios.delete(url)`, `kwargs =
    {"method": "DELETE"}`), or a `curl` command that does not go on below:
    another request than the one of the lines after it."""
    code = line.strip()
    if not code or code.startswith(("#", "//")):
        return False
    if "curl " in code:
        return not code.endswith("\\")
    balanced = all(code.count(o) == code.count(c) for o, c in ("()", "[]", "{}"))
    return balanced and not code.endswith(_GOES_ON)
