"""Relative paths given to an HTTP client built with a Config base URL.

`api = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta/" })`
then `api.post("access-tokens")` sends `POST /v1beta/access-tokens`, as
`` `${BASE}/access-tokens` `` would: the path holds no Config text of its
own. Such a path is read as joined right after the base (`Scan.after_base`),
only when the file builds the client with a Config base ending at the
version (the Config host's: another API's client may have `catalog/...`
paths too), binds it to a name once, and the path is given to an HTTP
method's call on that name; in a YAML connector, the `path:` values of the
document whose `url_base:` is such a base.

A client built with another host's base (`axios.create({ baseURL:
"https://api.getpostman.com" })`, httpx's `base_url=`, HTTParty's
`base_uri` in a Ruby class) sends its paths, relative or starting with
`/`, to that API: they are read as joined to that base (`/workspaces/{id}/roles`
is Postman's), also in a file that builds a Config client too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from migrator.audit import lexer
from migrator.audit.base_urls import assigned_url
from migrator.audit.text_scan import Base

_KEYS = ("baseURL", "prefixUrl", "base_url", "url_base", "url")
_KEY = re.compile(
    r"""(?<![\w$])(?P<key>""" + "|".join(_KEYS) + r""")["']?\s*(?::|=(?![=>]))[ \t]*
        (?:[rRfFuU]{0,2}(?P<q>["'`])(?P<quoted>[^"'`\n]*)(?P=q)|(?P<plain>[A-Za-z][\w+.-]*://[^\s"'`,)}]+)
        |(?P<bare>[A-Za-z_][\w.]*)(?=[\s,)}]))""",
    re.VERBOSE,
)
"""A base URL a client is built with: `baseURL: "..."` (axios), `prefixUrl:`
(got), `base_url=` (httpx), `url:` (Faraday), `url_base:` (a YAML connector); or a name holding it."""
_PIECES = ("url", "URL", "Url")
_WORD_BEFORE = {piece: frozenset(key[i - 1] for key in _KEYS for i in range(1, len(key)) if key.startswith(piece, i))
                for piece in _PIECES}
"""Each case of `url` → the characters a key has right before it (`e` of
`baseURL`): after another letter, digit or `_` (`curl`), it is in no key."""
_START = re.compile(r"""(?:\$\{|#\{|\{)(?P<name>[A-Za-z_]\w*)\}(?P<rest>[^\s"'`]*)\Z""")
"""A URL starting with a name's value: `${HOST}/v1beta`, Ruby's `#{HOST}/v1beta/`, `f"{HOST}/v1beta"`."""
_BUILT = re.compile(
    r"""(?P<name>(?:@|self\.|this\.)?[A-Za-z_$][\w$]*)\s*(?::[\w$.<>\[\]|, \t]{1,80})?=[ \t]*(?:await\s+)?(?:new\s+)?[A-Za-z_$][\w$.]*\s*\(\Z""",
)
"""A client bound to a name: `api = httpx.Client(`, `const api = axios.create(`, `@conn = Faraday.new(`."""
BUILT_WITHIN = 300
"""How far before its base key a client's construction is looked for."""
_SLASHED = frozenset({"baseURL", "base_url"})
"""The keys of clients that keep their base's path before a path starting
with `/` (axios, httpx); the others resolve it from the host (Faraday)."""
_DOCUMENT = re.compile(r"^---[ \t]*$", re.MULTILINE)
_YAML_PATH = re.compile(r"""(?<![\w$])path["']?[ \t]*:[ \t]*["']?(?=[A-Za-z])""")
"""A YAML connector's relative path: `path: "catalog/destinations"`."""


def client_paths(text: str, hosts: tuple[str, ...], version: str, yaml: bool, names_start: str) -> dict[int, Base]:
    """Where each relative path given to a client built with a Config base
    ending at the version starts (after its quote, or its `/`) → that base;
    with a base of another host (`Base.versioned` false), where each path
    given to it starts, when the text holds workspace paths (`names_start`:
    `workspaces/`). `hosts`: the Config hosts' names; `version`: `v1beta/`."""
    config, other = version.rstrip("/") in text, names_start in text
    if not (config or other):
        return {}
    out: dict[int, Base] = {}
    clients: dict[str, tuple[Base, bool]] = {}
    for m in _keys(text):
        base = _client_base(text, m, hosts, version)
        if base is None or not (config if base.versioned else other):
            continue
        if m.group("key") == "url_base":
            if yaml:
                out.update(_document_paths(text, m.start(), base))
            continue
        name = _client_name(text, m.start())
        if name is not None:
            clients[name] = (base, m.group("key") in _SLASHED or not base.versioned)
    for name, (base, slashed) in clients.items():
        if _bound_once(text, name):
            out.update(_call_paths(text, name, base, slashed))
    if other and "base_uri" in text:
        out.update(_httparty_paths(text, hosts, version))
    return out


def _keys(text: str) -> Iterator[re.Match[str]]:
    """`_KEY`'s matches, tried only at the words holding `url` in any of its
    cases (a search of the whole text would try every offset of it)."""
    starts: set[int] = set()
    for piece in _PIECES:
        after = _WORD_BEFORE[piece]
        at = text.find(piece)
        while at >= 0:
            before = text[at - 1] if at else ""
            if before in after or not (before.isalnum() or before == "_"):
                start = at
                while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_") and at - start < 9:
                    start -= 1
                starts.add(start)
            at = text.find(piece, at + 3)
    for start in sorted(starts):
        m = _KEY.match(text, start)
        if m is not None:
            yield m


def _client_base(text: str, m: re.Match[str], hosts: tuple[str, ...], version: str) -> Base | None:
    """The base the key gives: the Config host's URL ending at the version
    (`Base.versioned`), or another host's URL (none ending at the version:
    a proxy's is a Config base, whose calls `base_urls` reads)."""
    value = m.group("quoted") if m.group("q") else m.group("plain") or assigned_url(text, m.group("bare"), version)
    if value is None:
        return None
    start = _START.match(value)
    if start is not None:  # `"#{HOST}/v1beta/"`: the URL the file assigns the name, then the rest
        head = assigned_url(text, start.group("name"), version)
        if head is None:
            return None
        value = head.rstrip("/") + start.group("rest")
    scheme = value.find("://")
    if scheme < 0:
        return None
    return _base_of(value[scheme + 3 :], hosts, version, m.start(), m.end())


def _base_of(rest: str, hosts: tuple[str, ...], version: str, start: int, end: int) -> Base | None:
    """The base of a URL whose host starts `rest`: the Config host's at the
    version, versioned; another host's not at the version, not; else none."""
    host, _, path = rest.partition("/")
    at_version = ("/" + path).rstrip("/") == "/" + version.rstrip("/")
    if host.lower().split(":", 1)[0] in hosts:
        return Base(host, True, start, end) if at_version else None
    return None if at_version or not host else Base(host, False, start, end)


def _client_name(text: str, key: int) -> str | None:
    """The name the client whose call's arguments hold `key` is bound to."""
    opened = lexer.innermost_open(text, key, max(0, key - BUILT_WITHIN), "(", ")")
    if opened < 0:
        return None
    built = _BUILT.search(text, max(0, opened - BUILT_WITHIN // 2), opened + 1)
    return built.group("name") if built else None


def _bound_once(text: str, name: str) -> bool:
    """`name` is bound once in the text: another binding may be another API's client."""
    return len(re.findall(rf"(?<![\w$.@]){re.escape(name)}\s*(?::[\w$.<>\[\]|, \t]{{1,80}})?=(?![=>])", text)) == 1


def _call_paths(text: str, name: str, base: Base, slashed: bool) -> dict[int, Base]:
    """The relative paths given to `name`'s HTTP method calls (`api.post("access-tokens"`,
    Ruby's `@conn.get "workspaces"`): with a `/` first, only if `slashed`."""
    call = re.compile(
        rf"""(?<![\w$.@]){re.escape(name)}\.(?:get|post|put|patch|delete)(?:\s*\(\s*|[ \t]+)"""
        rf"""[rRfFuUbB]{{0,2}}["'`](?P<slash>/?)(?=[A-Za-z])""",
    )
    return {m.end(): base for m in call.finditer(text) if slashed or not m.group("slash")}


_BASE_URI = re.compile(r"""^[ \t]*base_uri[ \t(]+["']([A-Za-z][\w+.-]*://[^"'\s]+)["']""", re.MULTILINE)
"""HTTParty's base URL, in the body of a class: `base_uri "https://app.asana.com/api/1.0"`."""
_CLASS = re.compile(r"^([ \t]*)class\b", re.MULTILINE)
_HTTPARTY_CALL = re.compile(
    r"""(?:self\.class\.|(?<![\w.:@$]))(?:get|post|put|patch|delete)(?:\s*\(\s*|[ \t]+)["'](?:/(?=[A-Za-z]))?""",
)
"""A call of HTTParty's class methods: `self.class.get("/workspaces/...")`, `get "/..."` in a class method."""


def _httparty_paths(text: str, hosts: tuple[str, ...], version: str) -> dict[int, Base]:
    """The paths given to HTTParty's calls in the body of a class whose
    `base_uri` is another host's (up to the class's `end`, at its indent)."""
    out: dict[int, Base] = {}
    for m in _BASE_URI.finditer(text):
        value = m.group(1)
        base = _base_of(value[value.find("://") + 3 :], hosts, version, m.start(1), m.end(1))
        opened = list(_CLASS.finditer(text, 0, m.start()))
        if base is None or base.versioned or not opened:
            continue
        closed = re.compile(rf"^{re.escape(opened[-1].group(1))}end\b", re.MULTILINE).search(text, m.end())
        stop = closed.start() if closed else len(text)
        out.update((c.end(), base) for c in _HTTPARTY_CALL.finditer(text, opened[-1].end(), stop))
    return out


def _document_paths(text: str, at: int, base: Base) -> dict[int, Base]:
    """The relative `path:` values of the YAML document holding `at`."""
    starts = [m.end() for m in _DOCUMENT.finditer(text, 0, at)]
    end = _DOCUMENT.search(text, at)
    begin, stop = (starts[-1] if starts else 0), (end.start() if end else len(text))
    return {m.end(): base for m in _YAML_PATH.finditer(text, begin, stop)}
