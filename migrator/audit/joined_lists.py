"""Config paths joined from a list of segments.

    path = "/".join(["workspaces", WORKSPACE, "regulations"])       # Python
    const path = ["workspaces", ws, "regulations"].join("/");        // JS, TS, Ruby
    path := strings.Join([]string{"workspaces", ws, "regulations"}, "/")  // Go

and paths joined from segments by a path joiner, which puts one `/` between
two segments (`"/v1beta"` and `"v1beta/"` are segments too):

    u.Path = path.Join(u.Path, "v1beta", "workspaces", ws, "sources", src)  // Go (also url.JoinPath)
    path.posix.join("v1beta", "workspaces", ws, "sources", src)             // JS, TS
    posixpath.join(BASE, "workspaces", ws, "sources")                        # Python
    File.join(base, "v1beta", "workspaces", ws, "sources", src)             # Ruby (also Node's path.join)

and R's `paste0`, which joins its pieces with no separator:

    GET(paste0(BASE, "/workspaces/", ws, "/sources"))                     # R

and paths joined from segments with `/`, as URL objects join them (yarl's
and httpx's `URL`; `pathlib` paths too, which the scanner then tells apart
by what the name before them is bound to):

    requests.get(str(BASE / "workspaces" / ws / "sources"))               # Python

The joiners of file paths (Ruby's `File.join`, Node's `path.join`) count
only with the `v1beta` segment, or after a name the text binds to a URL
ending at it (`File.join(BASE, "workspaces", ...)`): a folder may be named
`workspaces/{}/sources` (an export of Config data). With them, `path.posix.join`
and `posixpath.join` the path must
be at the root, as a `pathlib` one: `File.join("/srv/mirror/v1beta", ...)`
is a folder named `v1beta`; a value (a base) or a URL's origin may come first.

No string holds the path. The audit reads each such join as the string it
builds (`"workspaces/{}/regulations"`: a value that is no literal is a
placeholder), written where the join starts and padded to its length, with
the line breaks of a join spread over lines after it, so that offsets stay
those of the file after the join; where each piece of the string came from
is kept (`rebuilt.Pieces`), and the findings are placed at the file's lines
and columns (`rebuilt.placed`: in a join, from its first piece to its last).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from migrator.audit.base_urls import assigned_url, bound_version
from migrator.audit.rebuilt import Piece, Pieces

_ELEMENT = r"""\s*(?:"[^"\n]*"|'[^'\n]*'|@{0,2}[A-Za-z_$][\w.$]*(?:\[[^\]\n]*\]|\([^()\n]*\))*)\s*"""
_ELEMENTS = rf"{_ELEMENT}(?:,{_ELEMENT})+,?\s*"
_JOINS = re.compile(
    rf"""(["'])/\1\s*\.\s*join\(\s*[\[(](?P<a>{_ELEMENTS})[\])]\s*\)"""  # "/".join([...])
    rf"""|\[(?P<b>{_ELEMENTS})\]\s*\.\s*join\(\s*(["'])/\4\s*\)"""  # [...].join("/")
    rf"""|strings\.Join\(\s*\[\]string\{{(?P<c>{_ELEMENTS})\}}\s*,\s*"/"\s*\)"""  # Go
    rf"""|(?:(?<![\w.$])(?:path\.Join|path\.posix\.join|posixpath\.join)|\.JoinPath)\((?P<d>{_ELEMENTS})\)"""  # slash paths
    rf"""|(?<![\w.$])(?:File\.join|path\.join)\((?P<e>{_ELEMENTS})\)"""  # file paths
)
_PASTE = re.compile(rf"""(?<![\w.$])paste0\((?P<f>{_ELEMENTS})\)""")
"""R's `paste0(BASE, "/workspaces/", ws, "/sources")`: its pieces joined as they are, with no separator."""
_LITERAL = re.compile(r"""\s*(?:"([^"\n]*)"|'([^'\n]*)')\s*\Z""")
_NAME = re.compile(r"@{0,2}(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)")
"""A name given to a joiner, its last part (`BASE`, `@base`, `self.base`)."""


_SLASHED = r"""(?P<left>[\w)\]][ \t]*/[ \t]*)(?P<chain>["']/?(?:{heads})\b[^"'\n]*["']\s*(?:/{element})+)"""
"""Segments joined with `/` to what is before them, the first a literal that
starts with a head (`BASE / "workspaces" / ws / "sources"`)."""
_SEGMENT = re.compile(rf"(?:^|/)({_ELEMENT})")
"""One segment of such a chain."""


def may_hold_joined_lists(text: str, heads: tuple[str, ...], based: tuple[str, ...] = ()) -> bool:
    """A quick test that `joined_paths` may read a join in `text`: one of
    `heads` quoted, or in a joiner's call, one of the `based` heads (see there)."""
    # the likelier needle first: a search that misses reads the whole text
    if not ("/" in text or "join" in text or "Join" in text):
        return False
    if _quoted_head(text, heads):
        return True
    return heads[-1] in text and ("join(" in text or "Join" in text) and _quoted_head(text, based)


_QUOTES = ('"', "'")


def _quoted_head(text: str, heads: tuple[str, ...]) -> bool:
    """A head right after a quote, with or without a slash: `"workspaces`,
    `'/v1beta`. Each head is searched for once and what is before it looked
    at (the text holds few heads; four searches of it per head cost more)."""
    for head in heads:
        at = text.find(head)
        while at >= 0:
            before = text[max(0, at - 2) : at]
            if before[-1:] in _QUOTES or (len(before) == 2 and before[1] == "/" and before[0] in _QUOTES):
                return True
            at = text.find(head, at + 1)
    return False


def joined_paths(
    text: str, heads: tuple[str, ...], is_path: Callable[[str], bool], based: tuple[str, ...] = (),
    pieces: Pieces | None = None, arrow: bool = False,
) -> tuple[str, dict[int, str]]:
    """`text` with each join of segments of which one is one of `heads`
    (`workspaces`, `v1beta`, the version last; a base may come first) as the path string it
    builds, when `is_path` says that is a Config path (`/workspaces/{}/regulations`;
    not a folder, `workspaces/{}/cache`); after a name the text binds to a
    URL ending at the version, a path starting with one of the `based` heads
    too (`path.posix.join(BASE, "catalog", "sources")`, read as
    `"{}/catalog/sources"`). And where each path joined right after such a
    base starts in the text, with the base's name: its `v1beta` is the
    path's prefix (`base_urls.joined_base`); so too after a name the text
    binds to another URL, whose host tells whose API the path is
    (`base_urls.of_other_api`: `"/".join([OTHER, "workspaces", ws, "sources"])`).
    Each string rebuilt is added to `pieces`, with where its pieces are.
    `arrow`: `<-` binds a name too (R's, `base_urls.arrow_assigns`)."""
    pieces = pieces if pieces is not None else Pieces()
    version = heads[-1] + "/"
    versions: dict[str, str | None] = {}
    urls: dict[str, bool] = {}
    after_base: dict[int, str] = {}

    def version_of(element: str) -> str | None:
        """The version of the URL the text binds `element` to, if it is a name (`bound_version`)."""
        name = _NAME.fullmatch(element.strip())
        if name is None:
            return None
        key = name.group(1)
        if key not in versions:
            versions[key] = bound_version(text, key, version, arrow)
        return versions[key]

    def url_of(element: str) -> bool:
        """The text binds `element`, a name, to a URL (`OTHER = "https://api.example.com"`)."""
        name = _NAME.fullmatch(element.strip())
        if name is None:
            return False
        key = name.group(1)
        if key not in urls:
            urls[key] = assigned_url(text, key, version, arrow) is not None
        return urls[key]

    def path(m: re.Match[str]) -> str:
        groups = m.groupdict()
        files = groups.get("e") is not None
        joiner = files or groups.get("d") is not None
        pasted = groups.get("f") is not None  # no separator: the pieces hold the slashes
        group = next(g for g in "abcdef" if groups.get(g) is not None)
        spans = _split_spans(m.group(group), m.start(group))
        elements = [text[a:b] for a, b in spans]
        parts = []
        for element in elements:
            literal = _LITERAL.match(element)
            parts.append((literal.group(1) or literal.group(2) or "") if literal else "{}")
        bound = version_of(elements[0]) if parts[0] == "{}" else None
        base = bound == version  # `File.join(BASE, ...)`: a URL's, at the version
        if bound not in (None, version) and heads[-1] not in parts:
            return m.group()  # `posixpath.join(ZOOM, "workspaces", ...)`, ZOOM ending at `/v2`: another API's
        folders = files and not base
        if m.group().startswith("posixpath"):
            restart = max((i for i, p in enumerate(parts) if p.startswith("/")), default=0)  # `/x` restarts it
            parts, spans = parts[restart:], spans[restart:]
        built = _path_joined(parts) if joiner else "".join(parts) if pasted else "/".join(p for p in parts if p)
        segments = built.split("/") if joiner or pasted else parts
        start = next((i for i, p in enumerate(segments) if p in (heads[-1:] if folders else heads)), None)
        if start is None and base and segments[1:2] and segments[1] in based:
            start = 1  # `File.join(BASE, "catalog", "sources")`: right after the base
        if start is None:
            return m.group()
        if (files or m.group().startswith(("path.posix", "posixpath"))) and not _at_root(segments[:start]):
            return m.group()  # a folder (`File.join("/srv/mirror/v1beta", ...)`), not a Config path
        path = "/".join(segments[start + 1 :] if segments[start] == heads[-1] else segments[start:])
        if not is_path("/" + path):
            return m.group()
        whole = _in_place('"' + built + '"', m.group())
        if whole != m.group():
            pieces.add(m.start(), m.end(), _aligned(built, m.start() + 1, parts, spans, text, joiner))
        if start == 1 and built.startswith(f"{{}}/{segments[1]}") and whole != m.group() \
                and (base or segments[1] != heads[-1] and url_of(elements[0])):
            # whose API the path is sent to is its base's, as after `f"{BASE}/`
            after_base[m.start() + len('"{}/')] = _NAME.fullmatch(elements[0].strip()).group(1)  # type: ignore[union-attr]
        return whole

    def slashed(m: re.Match[str]) -> str:
        parts, spans = [], []
        for segment in _SEGMENT.finditer(m.group("chain")):
            literal = _LITERAL.match(segment.group(1))
            parts.append((literal.group(1) or literal.group(2) or "") if literal else "{}")
            spans.append((m.start("chain") + segment.start(1), m.start("chain") + segment.end(1)))
        built = _path_joined(parts)
        segments = built.split("/")
        start = next((i for i, p in enumerate(segments) if p in heads), None)
        if start is None:
            return m.group()
        path = "/".join(segments[start + 1 :] if segments[start] == heads[-1] else segments[start:])
        if not is_path("/" + path):
            return m.group()
        whole = _in_place('"' + built + '"', m.group("chain"))
        if whole != m.group("chain"):
            at = m.start("chain")
            pieces.add(at, m.end("chain"), _aligned(built, at + 1, parts, spans, text, True))
        return m.group("left") + whole

    alternatives = "|".join(map(re.escape, heads))
    if "join(" in text or "Join" in text:
        text = _JOINS.sub(path, text)
    if "paste0(" in text:
        text = _PASTE.sub(path, text)
    if re.search(rf"/[ \t]*[\"']/?(?:{alternatives})\b", text):  # a literal first: no try at every offset
        text = re.compile(_SLASHED.format(heads=alternatives, element=_ELEMENT)).sub(slashed, text)
    # a pathlib path is read only when rooted at the version, which the text must then hold
    return pathlib_paths(text, heads, is_path, pieces) if "Path(" in text and heads[-1] in text else text, after_base


_PATH_CLASS = r"(?<![\w.$@])(?:pathlib\.)?(?:Pure)?(?:Posix|Windows)?Path"
_JOINED_ON = rf"(?:\.joinpath\({_ELEMENT}(?:,{_ELEMENT})*\)|[ \t]*/{_ELEMENT})"
"""A segment or more joined to a `pathlib` path: `/ ws`, `.joinpath("workspaces", ws)`."""
_MADE = re.compile(rf"{_PATH_CLASS}\((?P<args>{_ELEMENT}(?:,{_ELEMENT})*)\)(?P<joins>{_JOINED_ON}*)")
"""A `pathlib` path made of segments, and those joined to it: `PurePosixPath("/v1beta", "workspaces") / ws`."""
_NAMED = re.compile(rf"(?<![\w.$])(?P<name>[A-Za-z_]\w*)(?P<joins>{_JOINED_ON}+)")
"""Segments joined to a name: `WORKSPACES / ws / "sources"`, `API.joinpath("workspaces", ws)`."""
_JOIN = re.compile(rf"\.joinpath\((?P<args>{_ELEMENT}(?:,{_ELEMENT})*)\)|/(?P<one>{_ELEMENT})")
BINDINGS = 3
"""How many names deep a `pathlib` path's binding is followed (`WORKSPACES = API / "workspaces"`)."""


def pathlib_paths(
    text: str, heads: tuple[str, ...], is_path: Callable[[str], bool], pieces: Pieces | None = None,
) -> str:
    """`text` with each `pathlib` path rooted at the Config version (`heads[-1]`),
    made of several segments or bound to a name the module binds once
    (`PurePosixPath("/v1beta", "workspaces", ws, "sources")`, `WORKSPACES / ws
    / "sources"` after `WORKSPACES = API / "workspaces"` and `API =
    PurePosixPath("/v1beta")`), as the path string it builds, when that is
    a Config path. (A chain starting with a literal of `heads` is `joined_paths`'s.)
    Each string rebuilt is added to `pieces`: the whole path's code is its piece."""
    version = heads[-1]
    alternatives = "|".join(map(re.escape, heads))
    first_head = re.compile(rf"""[ \t]*/\s*["']/?(?:{alternatives})\b""")
    bound: dict[str, list[str] | None] = {}

    def built(m: re.Match[str], parts: list[str] | None) -> str:
        if parts is None or first_head.match(m.group("joins")):
            return m.group()
        joins = _joined(m.group("joins"))
        segments = _path_joined([*parts, *joins]).lstrip("/").split("/")
        if segments[0] != version or not is_path("/" + "/".join(segments[1:])):
            return m.group()  # a folder (`Path("/srv/mirror/v1beta")`), not a Config path
        string = '"/' + "/".join(segments) + '"'
        whole = _in_place(string, m.group())
        if whole == m.group():
            string = '"' + "/".join(segments[1:]) + '"'
            whole = _in_place(string, m.group())
        if whole != m.group() and pieces is not None:
            at = m.start()
            pieces.add(at, m.end(), [Piece(at + 1, at + len(string) - 1, at, m.end(), False)])
        return whole

    def named(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in bound:
            bound[name] = _bound_path(text, name, BINDINGS)
        return built(m, bound[name])

    text = _MADE.sub(lambda m: built(m, _segments(_split(m.group("args")))), text)
    return _NAMED.sub(named, text)


def _bound_path(text: str, name: str, depth: int) -> list[str] | None:
    """The segments of the `pathlib` path the module binds `name` to, once
    and at its top level; None when it is no such path."""
    if depth <= 0 or len(re.findall(rf"(?<![\w.]){re.escape(name)}[ \t]*(?::[^=\n]*)?=(?!=)", text)) != 1:
        return None
    m = re.search(rf"^{re.escape(name)}[ \t]*(?::[^=\n]*)?=[ \t]*(?P<value>.*?)[ \t]*$", text, re.M)
    if m is None:
        return None
    value = m.group("value")
    made = _MADE.fullmatch(value)
    if made is not None:
        return [*_segments(_split(made.group("args"))), *_joined(made.group("joins"))]
    named = re.fullmatch(rf"(?P<name>[A-Za-z_]\w*)(?P<joins>{_JOINED_ON}*)", value)
    if named is None:
        return None
    parts = _bound_path(text, named.group("name"), depth - 1)
    return None if parts is None else [*parts, *_joined(named.group("joins"))]


def _joined(joins: str) -> list[str]:
    """The segments of `_JOINED_ON`s."""
    out: list[str] = []
    for m in _JOIN.finditer(joins):
        out += _segments(_split(m.group("args")) if m.group("args") is not None else [m.group("one")])
    return out


def _segments(elements: list[str]) -> list[str]:
    """Each element's literal text, `{}` for a value."""
    out = []
    for element in elements:
        literal = _LITERAL.match(element)
        out.append((literal.group(1) or literal.group(2) or "") if literal else "{}")
    return out


_ORIGIN = re.compile(r"[A-Za-z][\w+.-]*:")
"""A URL's scheme, the first segment of `https://host/...` split at `/`."""


def _at_root(before: list[str]) -> bool:
    """The segments `before` the first head of a file path joiner's path
    leave it at the root: none, values (a base) or a URL's origin
    (`/v1beta`, `{}/v1beta`, `https://host/v1beta`; not `/srv/mirror/v1beta`)."""
    if len(before) >= 3 and _ORIGIN.fullmatch(before[0]) and before[1] == "":
        before = before[3:]
    return all(p in ("", "{}") for p in before)


def _path_joined(parts: list[str]) -> str:
    """What a path joiner builds: one `/` between two segments, empty ones left out."""
    built = ""
    for part in parts:
        if part:
            built = part if not built else built.rstrip("/") + "/" + part.lstrip("/")
    return built


def _in_place(string: str, original: str) -> str:
    """`string` in the place of `original`: as long, with its line breaks
    after it, so that the lines below keep their numbers, and the rest of
    its last line its columns where there is room for that (a short first
    line, `"/".join(["workspaces",`, before a long last one: they move left
    by what is missing, in the text read; `rebuilt.placed` puts what is
    found there back at the file's columns, by its offset, which stays the
    file's); `original` itself where `string` does not fit."""
    breaks = original.count("\n")
    spare = len(original) - breaks - len(string)
    if spare < 0:
        return original
    last = min(len(original) - original.rfind("\n") - 1 if breaks else 0, spare)
    return string + " " * (spare - last) + "\n" * breaks + " " * last


def _aligned(
    built: str, at: int, parts: list[str], spans: list[tuple[int, int]], text: str, joiner: bool,
) -> list[Piece]:
    """The pieces of `built`, written at `at`, from `parts`, each the
    text of a literal or `{}` for a value, written at `spans` of `text`
    (a joiner's parts: without the slashes it drops between them)."""
    out: list[Piece] = []
    done = 0
    for part, (start, end) in zip(parts, spans, strict=True):
        key = part.strip("/") if joiner else part
        found = built.find(key, done) if key else -1
        if found < 0:
            continue
        done = found + len(key)
        literal = _LITERAL.match(text, start, end)
        if part == "{}" and literal is None:
            stripped = text[start:end]
            first = start + len(stripped) - len(stripped.lstrip())
            out.append(Piece(at + found, at + done, first, first + len(stripped.strip()), False))
        elif literal is not None:
            first = literal.start(1 if literal.group(1) is not None else 2) + part.find(key)
            out.append(Piece(at + found, at + done, first, first + len(key)))
    return out


def _split(elements: str) -> list[str]:
    """The elements of a list, at its top-level commas."""
    return [elements[a:b] for a, b in _split_spans(elements, 0)]


def _split_spans(elements: str, at: int) -> list[tuple[int, int]]:
    """Where the elements of a list, written at `at`, are: at its top-level
    commas. (Quotes read without escapes, not `lexer`'s: `_ELEMENT`'s
    literals hold none.)"""
    out, depth, start, quote = [], 0, 0, ""
    for i, char in enumerate(elements):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            out.append((at + start, at + i))
            start = i + 1
    if elements[start:].strip():
        out.append((at + start, at + len(elements)))
    return out
