"""The HTTP method of the call a Config path belongs to, where it is written
after the path or structurally apart from it: the options of the call the
path is an argument of, on the lines below (`fetch(url, {\\n method: "POST"`);
the step of a request builder after that call (`.uri(url)\\n.DELETE().build()`);
the call the variable the path is assigned to is passed to on the next
lines (`url := ...` then `http.NewRequest(http.MethodDelete, url, nil)`);
the `method` of the JSON object whose `url` holds it (a Postman request,
whatever stands between the two). Only a method of that call: nested calls
are other calls; nothing found is no method (the caller's search goes on).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from migrator.audit import lexer
from migrator.audit.paths import method_on
from migrator.ruleset.models import HTTP_METHODS

# Not `lexer`'s strings: a quote left open ends with its line (the window
# read may cut a string), Python's triple quotes read, and a comment only
# after a space (`https://`, Ruby's `#{x}` are none).
_TOKEN = re.compile(
    r'''"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)'''  # Python's triple-quoted strings
    r'''|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?'''  # strings (a quote ends with its line)
    r'''|(?:(?<=\s)|^)(?://|\#(?!\{))[^\n]*'''  # a comment after a space (not `https://`, `#{x}`)
    r"""|[()\[\]{}]""",
    re.MULTILINE,
)
ABOVE = 10
"""Lines above a path read for the brackets it is inside."""
BELOW = 30
"""Lines below a path read for the end of the call it is an argument of."""
WIDTH = 4000
"""Characters each side of a path read at most (a minified line: none)."""
_NOT_CALLS = frozenset({
    "if", "elif", "while", "for", "switch", "catch", "return", "and", "or", "not", "in", "with",
    "function", "def", "func", "fn", "await", "yield", "typeof",
})
"""Words before a `(` that opens no call's arguments (or a function's parameters)."""
_CALLEE = re.compile(r"[\w$.!?>\])]*$")


@dataclass
class _Group:
    opener: str
    start: int
    end: int = -1  # where its closing bracket is (-1: not within the text read)
    inner: list[tuple[int, int]] = field(default_factory=list)
    """The spans of the groups right inside it."""


def _groups_around(text: str, start: int, at: int, stop: int) -> list[_Group]:
    """The groups of brackets `at` is inside, innermost last, read from
    `start` to `stop` (strings and comments skipped, `at` may be in a string).
    The lines read may start inside groups (another call's options, a
    function's body): the brackets that close them, above `at`, are passed."""
    stack: list[_Group] = []
    around: list[_Group] | None = None
    for m in _TOKEN.finditer(text, start, stop):
        if around is None and m.end() > at:
            around = list(stack)  # (a string holding `at` is a token like any)
            if not around:
                return []
        c = m.group()[0]
        if c in "([{":
            stack.append(_Group(c, m.start()))
        elif c in ")]}":
            if not stack and around is None:
                continue  # the end of a group opened above the lines read (another call's): none around `at`
            if not stack or "([{"[")]}".index(c)] != stack[-1].opener:
                return []  # brackets that do not match: not code this reads
            group = stack.pop()
            group.end = m.start()
            if stack:
                stack[-1].inner.append((group.start, m.end()))
            if around is not None and group is around[0]:
                break  # the outermost group around `at` is closed: nothing below is its
    return around or []


def _is_call(text: str, group: _Group) -> bool:
    """Round brackets after a callee, not a keyword's nor a definition's (`def f(`)."""
    if group.opener != "(":
        return False
    before = text[max(0, group.start - 200) : group.start].rstrip(" \t")
    word = re.search(r"\w+$", before)
    if word and word.group() in _NOT_CALLS or _DEFINED.search(before):
        return False
    callee = _CALLEE.search(before)
    return callee is not None and bool(callee.group())


_DEFINED = re.compile(r"\b(?:def|function|func|fn)\s+[\w$.]*$")


def _method_of(text: str, call: _Group) -> str | None:
    """The method the call names: in its callee (`requests.delete(`), its
    arguments, or an object literal among them (`{ method: "POST" }`), not
    in a call nested in them."""
    before = text[max(0, call.start - 200) : call.start]
    callee = _CALLEE.search(before.rstrip(" \t"))
    parts = [callee.group() + "(" if callee else ""]
    at = call.start + 1
    for start, end in call.inner:
        parts.append(text[at:start])
        if _is_literal(text, start):
            parts.append(_outer(text, start, end))  # an options object: its own keys, not deeper ones
        at = end
    parts.append(text[at : call.end])
    return method_on(_STRING.sub(_unless_a_method, " ".join(parts)).replace("\n", " "))


_STRING = re.compile(f"{lexer.QUOTED}|{lexer.BACKTICK}")


def _unless_a_method(m: re.Match[str]) -> str:
    """A string that is a method alone (`"DELETE"`) or a key naming one
    (`"method"`) as written; any other as an empty one (`"would DELETE %s"`
    is a message, the URL no method)."""
    content = m.group()[1:-1].strip()
    return m.group() if content.upper() in HTTP_METHODS or _METHOD_KEY.fullmatch(content) else '""'


_METHOD_KEY = re.compile(r"[\w-]*method", re.I)


def _is_literal(text: str, start: int) -> bool:
    """The `{` at `start` opens an object given as an argument (`f(url, {`), not a function's body (`() => {`)."""
    return text[start] == "{" and text[max(0, start - 200) : start].rstrip().endswith(("(", ","))


def _outer(text: str, start: int, end: int) -> str:
    """The text of the group at `start`, its nested groups left out."""
    out: list[str] = []
    depth, at = 0, start
    for m in _TOKEN.finditer(text, start, end):
        c = m.group()[0]
        if c in "([{":
            if depth == 1:
                out.append(text[at : m.start()])
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 1:
                at = m.end()
    out.append(text[at:end])
    return " ".join(out)


def _window(text: str, at: int, low: int, high: int) -> tuple[int, int] | None:
    """Where to read the brackets around `at`: from the start of a line up to
    `ABOVE` lines above to `BELOW` lines below, within `low`..`high` (a
    notebook's cell); none on a line too long (a minified file)."""
    start = text.rfind("\n", low, at) + 1
    if at - start > WIDTH:
        return None
    start = max(start, low)
    for _ in range(ABOVE):
        if start <= low:
            break
        previous = max(low, text.rfind("\n", low, start - 1) + 1)
        if at - previous > WIDTH:
            break
        start = previous
    stop = at
    for _ in range(BELOW + 1):
        end = text.find("\n", stop + 1, high)
        if end < 0:
            return start, high
        if end - at > WIDTH:
            break
        stop = end
    return start, stop


def call_method(text: str, at: int, low: int = 0, high: int | None = None) -> str | None:
    """The method named by the call whose arguments hold the path at `at`
    (or an object literal among them), when that call is closed within the
    lines read."""
    window = _window(text, at, low, len(text) if high is None else high)
    if window is None:
        return None
    groups = _groups_around(text, window[0], at, window[1])
    if not groups:
        return None
    data = _http_data_source(text, groups, at)
    if data is not None:
        return data
    call = groups[-1]
    if _is_literal(text, call.start) and len(groups) > 1:
        call = groups[-2]  # `axios({ url: ..., method: "post" })`
    if call.end < 0 or not _is_call(text, call):
        return None
    return _method_of(text, call) or (_fetch_default(text, call, at) if call is groups[-1] else None)


def chained_method(text: str, at: int, low: int = 0, high: int | None = None) -> str | None:
    """The method a request builder is given after the call whose arguments
    hold the path at `at`, up to its `build()`: Java's
    `HttpRequest.newBuilder().uri(URI.create(url)).header(...).GET().build()`,
    OkHttp's `.url(url).delete().build()`, `.method("PATCH", body)`. A chain
    that does not end in `build()` is no builder's (`.json().get("data")`)."""
    window = _window(text, at, low, len(text) if high is None else high)
    if window is None:
        return None
    outer = None
    for group in reversed(_groups_around(text, window[0], at, window[1])):
        if group.opener != "(":
            break
        outer = group  # the outermost call of the expression holding the path
    if outer is None or outer.end < 0 or not _is_call(text, outer):
        return None
    method, at = None, outer.end + 1
    while (member := _MEMBER.match(text, at, window[1])) is not None:
        end = _closing(text, member.end() - 1, window[1])
        if end < 0:
            return None
        name = member.group(1)
        if name == "build":
            return method
        if name.upper() in HTTP_METHODS:
            method = name.upper()
        elif name == "method":
            method = method_on(_STRING.sub(_unless_a_method, text[member.start(1) : end])) or method
        at = end
    return None


_MEMBER = re.compile(r"\s*\.\s*(\w+)\s*\(")
"""A member call of a chain (`\n    .header(`)."""


def _closing(text: str, start: int, stop: int) -> int:
    """Where the group opened at `start` closes (after its bracket), or -1."""
    depth = 0
    for m in _TOKEN.finditer(text, start, stop):
        c = m.group()[0]
        depth += (c in "([{") - (c in ")]}")
        if depth == 0:
            return m.end()
    return -1


_HTTP_DATA = re.compile(r'\bdata\s+"?http"?\s+"?[\w-]+"?\s*$')
"""The labels of Terraform's `data "http" "name" {` block."""
_URL_ARGUMENT = re.compile(r"[ \t]*url\s*=")


def _http_data_source(text: str, groups: list[_Group], at: int) -> str | None:
    """The method of a Terraform `data "http"` block whose `url` argument
    (on its line) holds the path: its own `method` argument (`EVERY` when
    it is not a string: `var.verb`), or GET, the hashicorp/http provider's
    default; None for any other path."""
    block = next((g for g in reversed(groups) if g.opener == "{"), None)
    line = text.rfind("\n", 0, at) + 1
    if block is None or block.end < 0 or not _URL_ARGUMENT.match(text, line, at):
        return None
    if not _HTTP_DATA.search(text, max(0, block.start - 200), block.start):
        return None
    if any(block.start < g.start < line for g in groups):
        return None  # the `url` of an object inside the block, not the data source's
    own = _outer(text, block.start, block.end)
    named = method_on(_STRING.sub(_unless_a_method, own))
    return named or (EVERY if _METHOD_ARGUMENT.search(own) else "GET")  # `method = var.verb`: not known


_METHOD_ARGUMENT = re.compile(r"^[ \t]*method\s*=", re.M)


EVERY = "*"
"""The method of a `fetch` whose options are not seen (`fetch(url, opts)`):
its own, so not one a line above names, but none known (every row)."""
_FETCH = frozenset({"fetch", "window.fetch", "globalThis.fetch", "self.fetch"})
_OWN_METHOD = re.compile(r"\bmethod\b|\.\.\.", re.I)
"""A `method` key of an options object, or a spread that may hold one."""


def _fetch_default(text: str, call: _Group, at: int) -> str | None:
    """GET, fetch's default, for `fetch(url)` and `fetch(url, { headers })`
    with the path in the URL: no options, or an object literal with no
    `method` key of its own nor a spread; `EVERY` for options it cannot
    read (`fetch(url, opts)`, `{ ...opts }`, `{ method: verb }`)."""
    callee = _CALLEE.search(text[max(0, call.start - 200) : call.start].rstrip(" \t"))
    if callee is None or callee.group() not in _FETCH:
        return None
    flat: list[str] = []  # the arguments at the call's own depth: strings blanked, nested groups `{}`/`()`
    objects: list[tuple[int, int]] = []  # the object literals among them
    depth, last, comma = 0, call.start + 1, -1
    for m in _TOKEN.finditer(text, call.start + 1, call.end):
        c = m.group()[0]
        if depth == 0:
            flat.append(text[last : m.start()])
            if comma < 0 and "," in flat[-1]:
                comma = last + flat[-1].index(",")  # the end of the first argument
        if c in "([{":
            if depth == 0:
                flat.append(c)
                objects.append((m.start(), -1))
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                flat.append(c)
                objects[-1] = (objects[-1][0], m.end())
        elif depth == 0 and c in "\"'`":
            flat.append('""')
        last = m.end()
    flat.append(text[last : call.end] if depth == 0 else "")
    args = "".join(flat).split(",")
    if args and not args[-1].strip():
        args.pop()  # a trailing comma
    if not args or len(args) > 2 or 0 <= comma < at:
        return None  # more arguments than fetch's, or the path is no part of the first
    if len(args) == 2:
        literal = [o for o in objects if text[o[0]] == "{"]
        if args[1].strip() != "{}" or not literal or _OWN_METHOD.search(_outer(text, *literal[-1])):
            return EVERY
    return "GET"


_ASSIGNED = re.compile(r"^[ \t]*(?:(?:var|let|const|val|my)\s+)?\$?(?P<name>[A-Za-z_]\w*)\s*(?::=|=(?!=))", re.M)
"""A variable given a value in a statement of its own (`url := ...`, `var request = ...`)."""
_ARROW_ASSIGNED = re.compile(_ASSIGNED.pattern[:-1] + r"|<<?-)", re.M)
"""The same, or R's `url <- ...` (not Go's channel send `ch <- url`: in R files only)."""
USES = 5
"""Lines after an assignment of a path where the calls given its variable are looked for."""


def assigned_method(
    text: str, line_start: int, line_end: int, at: int, high: int | None = None, arrow: bool = False,
) -> str | None:
    """The method of the calls that the variable the path at `at` is
    assigned to (a statement whole on its line: `url := fmt.Sprintf(...)`)
    is passed to on the next lines, or that is set on it there (a request's:
    `request.httpMethod = "DELETE"`), up to the end of its block or another
    assignment of it, when they all name the same one. A Swift `URLRequest`
    whose `httpMethod` is set nowhere in its block is a GET (Foundation's
    default). `arrow`: `<-` assigns too (R's)."""
    high = len(text) if high is None else high
    assigned = _ARROW_ASSIGNED if arrow else _ASSIGNED
    m = assigned.match(text, line_start, line_end)
    if m is None or m.end() > at or not _whole(text, line_start, line_end):
        return None
    name, indent = m.group("name"), len(m.group()) - len(m.group().lstrip(" \t"))
    uses = re.compile(rf"(?<![\w$.]){re.escape(name)}\b(?!\s*(?:\(|:=|=(?!=)|\+=|<<?-))")
    set_method = re.compile(rf"(?<![\w$.]){re.escape(name)}{_SET_METHOD}")
    methods: set[str] = set()
    end = line_end
    for _ in range(USES):
        start = end + 1
        if start >= high:
            break
        end = text.find("\n", start, high)
        end = high if end < 0 else end
        line = text[start:end]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip(" \t")) < indent:
            break  # the end of its block
        again = assigned.match(line)
        if again is not None and again.group("name") == name:
            break  # another value
        for use in uses.finditer(text, start, end):
            method = _passed_to(text, use.start(), use.end(), start, high)
            if method is None and (set_to := set_method.match(text, use.start(), end)) is not None:
                method = set_to.group("method").upper()  # `request.httpMethod = "DELETE"`
            if method is not None:
                methods.add(method)
    if not methods and _URL_REQUEST.match(text, m.end(), at) and not _set_later(text, name, indent, line_end, high):
        return "GET"  # `var request = URLRequest(url: ...)`, its method never set
    return methods.pop() if len(methods) == 1 else None


_URL_REQUEST = re.compile(r"\s*URLRequest\s*\(\s*url\s*:")
"""A Swift `URLRequest` made from a URL (its method GET until its `httpMethod` is set)."""
BLOCK = 200
"""Lines of its block after a `URLRequest`'s assignment read for its method being set."""


def _set_later(text: str, name: str, indent: int, line_end: int, high: int) -> bool:
    """`name`'s `httpMethod` is set (or it is passed `inout`, `&name`, or
    assigned again) on the lines of its block after `line_end`: its method
    may be another than GET."""
    touched = re.compile(rf"(?<![\w$.])(?:{re.escape(name)}\s*\.\s*httpMethod\b|{re.escape(name)}\s*=(?!=))|&\s*{re.escape(name)}\b")
    end = line_end
    for _ in range(BLOCK):
        start = end + 1
        if start >= high:
            return False
        end = text.find("\n", start, high)
        end = high if end < 0 else end
        line = text[start:end]
        if line.strip() and len(line) - len(line.lstrip(" \t")) < indent:
            return False  # the end of its block
        if touched.search(line):
            return True
    return True  # a block too long to read whole


_SET_METHOD = r"""\s*\.\s*(?:httpMethod\s*=|setRequestMethod\s*\()\s*["'](?P<method>GET|POST|PUT|PATCH|DELETE)["']"""
"""The request a variable holds given its method: Swift's `request.httpMethod = "DELETE"`
(a `URLRequest`), Java's `connection.setRequestMethod("DELETE")`."""


@lru_cache(maxsize=64)
def _whole(text: str, start: int, end: int) -> bool:
    """A statement whole on its line: its brackets balanced, nothing after it
    to go on with. (Kept for the line: a long minified line holds many paths,
    each asking about it, and reading it is linear in its length.)"""
    depth = 0
    for m in _TOKEN.finditer(text, start, end):
        c = m.group()[0]
        depth += (c in "([{") - (c in ")]}")
        if depth < 0:
            return False
    code = _TOKEN.sub(lambda m: m.group() if m.group()[0] in "\"'`([{}])" else "", text[start:end]).rstrip()
    return depth == 0 and not code.endswith(_GOES_ON)


_GOES_ON = (",", "(", "[", "{", "\\", "+", "=", ":", "&", "|", ".")
_ARGUMENT_BEFORE = re.compile(r"[(,]\s*(?:\w+\s*[=:]\s*)?$")
_ARGUMENT_AFTER = re.compile(r"\s*[,)]")


def _passed_to(text: str, start: int, end: int, line_start: int, high: int) -> str | None:
    """The method named by the call the name at `start` is an argument of (`f(x, url)`, `f(url=url)`)."""
    if not _ARGUMENT_BEFORE.search(text, max(line_start, start - 200), start) or not _ARGUMENT_AFTER.match(text, end):
        return None
    window = _window(text, start, line_start, high)
    groups = _groups_around(text, line_start, start, window[1]) if window else []
    if not groups or groups[-1].end < 0 or not _is_call(text, groups[-1]):
        return None
    return _method_of(text, groups[-1])


# JSON objects with a `method` and a `url` (a Postman request, a HAR entry)

_JSON_TOKEN = re.compile(
    r'(?:[^"{}\[\]]++|"(?:[^"\\\n]|\\.)*+")*?'  # (what comes before, skipped: other keys, values, strings of arrays)
    r'(?:"(?P<key>method|url)"\s*:\s*(?:"(?P<value>(?:[^"\\\n]|\\.)*)")?|(?P<bracket>[{}\[\]]))'
)
"""The next `method` or `url` key of JSON (with its value when that is a string), or bracket."""


@dataclass
class _Object:
    start: int
    url_value: bool  # it is the value of a `url` key
    method: str | None = None
    url: tuple[int, int] | None = None


def request_urls(text: str) -> list[tuple[int, int, str | None]]:
    """Where the `url` value of each JSON object with a `url` is, and the
    method its `method` string names (an endpoint row's), or None when it
    has none (no `method`, or not a method: no method is known); sorted."""
    if '"url"' not in text:
        return []
    out: list[tuple[int, int, str | None]] = []
    stack: list[_Object | None] = [None]  # None: an array, or outside any object
    url_key = -1  # where the value of the last `url` key with no string value starts
    for m in _JSON_TOKEN.finditer(text):
        top, bracket = stack[-1], m["bracket"]
        if bracket is None:
            if top is None:
                continue
            if m["key"] == "method":
                top.method = m["value"]
            elif m["value"] is not None:
                top.url = m.span("value")
            else:
                url_key = m.end()
        elif bracket == "{":
            stack.append(_Object(m.start("bracket"), m.start("bracket") == url_key))
        elif bracket == "[":
            stack.append(None)
        elif len(stack) == 1:
            return []  # not JSON this reads
        else:
            done, parent = stack.pop(), stack[-1]
            if done is not None:
                method = (done.method or "").upper()
                if done.url is not None:
                    out.append((*done.url, method if method in HTTP_METHODS else None))
                if parent is not None and done.url_value:
                    parent.url = (done.start, m.end())
    out.sort(key=lambda u: u[:2])
    return out


def request_method(urls: list[tuple[int, int, str | None]], at: int) -> tuple[bool, str | None]:
    """Whether `at` is in the `url` value of an object (the innermost), and
    that object's method (None: it names none)."""
    i = bisect.bisect_right(urls, at, key=lambda u: u[0])
    if i and urls[i - 1][0] <= at < urls[i - 1][1]:
        return True, urls[i - 1][2]
    return False, None
