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


def client_paths(text: str, hosts: tuple[str, ...], version: str, yaml: bool) -> dict[int, Base]:
    """Where each relative path given to a client built with a Config base
    ending at the version starts (after its quote, or its `/`) → that base.
    `hosts`: the Config hosts' names; `version`: `v1beta/`."""
    if version.rstrip("/") not in text:
        return {}
    out: dict[int, Base] = {}
    clients: dict[str, tuple[Base, bool]] = {}
    for m in _keys(text):
        base = _config_base(text, m, hosts, version)
        if base is None:
            continue
        if m.group("key") == "url_base":
            if yaml:
                out.update(_document_paths(text, m.start(), base))
            continue
        name = _client_name(text, m.start())
        if name is not None:
            clients[name] = (base, m.group("key") in _SLASHED)
    for name, (base, slashed) in clients.items():
        if _bound_once(text, name):
            out.update(_call_paths(text, name, base, slashed))
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


def _config_base(text: str, m: re.Match[str], hosts: tuple[str, ...], version: str) -> Base | None:
    """The base the key gives when it is the Config host's URL ending at the version."""
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
    host, _, path = value[scheme + 3 :].partition("/")
    if host.lower().split(":", 1)[0] not in hosts or ("/" + path).rstrip("/") != "/" + version.rstrip("/"):
        return None
    return Base(host, True, m.start(), m.end())


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


def _document_paths(text: str, at: int, base: Base) -> dict[int, Base]:
    """The relative `path:` values of the YAML document holding `at`."""
    starts = [m.end() for m in _DOCUMENT.finditer(text, 0, at)]
    end = _DOCUMENT.search(text, at)
    begin, stop = (starts[-1] if starts else 0), (end.start() if end else len(text))
    return {m.end(): base for m in _YAML_PATH.finditer(text, begin, stop)}
