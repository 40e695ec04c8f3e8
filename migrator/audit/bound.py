"""Config field names in another API's context, in Python: a read off a
value of another API (`me["profile"]["display_name"]` where the function
bound `me` once, from a call naming only other APIs' URLs; `page.next_page_token`
where `page` is what a client of another API gave), or a key sent to one
(`client.list_projects(request={"page_token": tok})`, `requests.get(STRIPE + "/c",
params={"page_size": 10})`). A URL is another API's by its host, also through
a name bound once to it (a module constant, a variable); a client is an
instance of a `...Client` class (or a `client(...)` factory) of a package the
file imports that is neither of the standard library, nor an HTTP library
(which may call the Config API), nor a module of the project
(`migrator.other_clients`, which the codemod's reads share), and that is
not given a URL of the Config API (`SegmentClient(CONFIG_BASE)`), bound once
to a name (also by `with ... as`) or a parameter annotated with it; a
dict bound once and only sent to its calls is sent to it, and a read
chained off a call is the call's. A call or value naming Config
text (a host, a path) is never another API's, whatever its client (a
generic wrapper such as `RetryClient().get(f"{BASE}/workspaces/...")`).
Functions are found by their indentation."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import NamedTuple

from migrator.audit import lexer
from migrator.other_clients import makes_client, other_packages

_KEY = r"""(?:'[^'\n]*'|"[^"\n]*"|-?\d+)"""
_SUBJECT = re.compile(
    rf"""(?<![\w.])(?P<name>[A-Za-z_]\w*)                        # me
        (?:\[\s*{_KEY}\s*\]|\.get\(\s*{_KEY}\s*(?:,[^()\n]*)?\)    # ["profile"], .get("profile", {{}})
          |\.\w+\(\s*\)|\.[A-Za-z_]\w*)*                           # .json(), .profile
        (?:\[\s*['"]|\.get\(\s*['"]|\.)\Z""",                      # ["  .get("  or . of the word read
    re.VERBOSE,
)
"""The variable a field is read off, through keys and attributes: `me["profile"]["`, `page.`."""
_TARGETS = r"[\w \t,()*]*?"
"""Names a statement binds, with commas, parentheses and stars: `(a, *b)`."""
_DEF = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\((?P<params>)")
LOOK_UP = 200
"""Lines looked at above a read for its function's `def`."""
STATEMENT_LINES = 10
"""Lines an assignment's statement may span (a call broken over lines)."""
DEPTH = 3
"""Names followed from one to the next (`url = STRIPE + "/x"`, `STRIPE = "https://..."`)."""
CALL_REACH = 3000
"""Characters looked at before a key for the calls it is an argument of."""
_URL = re.compile(r"""\A\s*(?:await\s+)?[rRbBuU]?[fF]?[rR]?["'][A-Za-z][A-Za-z0-9+.-]*://([^\s"'/:{}]+)""")
_F_NAME = re.compile(r"""\A\s*[rR]?[fF][rR]?["']\{\s*([A-Za-z_]\w*)\s*\}""")
_JOINED = re.compile(r"\A\s*([A-Za-z_]\w*)\s*(?:\+|\Z)")
_HOST_AFTER = re.compile(r"://([^\s\"'`/:{}]+)")
_HOST_OR_TEMPLATE_AFTER = re.compile(r"://([^\s\"'`/:]+)")
"""A host that may hold a template's braces (`https://{{host}}/`: `{{host}}`)."""
_LETTERS = frozenset(string.ascii_letters)
_SCHEME_CHARS = _LETTERS | frozenset(string.digits + "+.-")
_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_CALLEE = re.compile(r"(?:await[ \t]+)?(?P<chain>[A-Za-z_][\w.]*)[ \t]*\Z")
_ITEMS = r"(?P<items>[\w.]+(?:\([^()\n]*\)[\w.]*)*)"
"""What a comprehension loops over: a name, attributes, calls (`PROJECTS.search_projects()`)."""
_CHAINED = re.compile(
    rf"""\)(?:\[\s*{_KEY}\s*\]|\.get\(\s*{_KEY}\s*(?:,[^()\n]*)?\)|\.\w+\(\s*\)|\.[A-Za-z_]\w*)*  # ).json()["x"]
        (?:\[\s*['"]|\.get\(\s*['"]|\.)\Z""",
    re.VERBOSE,
)
"""A read chained off a call: the call's `)`, then keys and attributes up to the word read."""
_WITH = re.compile(r"[ \t]*(?:async[ \t]+)?with[ \t]+(?P<value>[^\n]+?)[ \t]+as[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*:")
"""A `with` statement binding one name (`with X() as client:`)."""
_WITH_TARGET = re.compile(r"[ \t]+as[ \t]+[A-Za-z_]\w*[ \t]*:.*\Z", re.S)
"""What follows a `with` statement's value: its target and body."""


class Bound(NamedTuple):
    """The code a name is bound to (after its `=` or a loop's `in`), and where it starts in the text."""

    at: int
    code: str


def no_config(start: int, end: int) -> bool:
    """The default of `OtherApis`'s `config`: no Config text known."""
    return False


def url_hosts(text: str, braces: bool = False) -> list[str]:
    """The hosts of the URLs in `text` (a scheme starting at a letter that
    follows no letter, `://`, the host, which ends at a brace or, with
    `braces`, holds them), searched from each `://` back to its scheme,
    not from each word (a module has thousands of words, and a few URLs)."""
    hosts = []
    done = 0
    """Where the last URL found ends: the next one starts after it."""
    for m in (_HOST_OR_TEMPLATE_AFTER if braces else _HOST_AFTER).finditer(text):
        start = m.start()
        while start > done and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        # the scheme starts at the first letter of that run not right after a letter
        if any(text[i] in _LETTERS and (i == 0 or text[i - 1] not in _LETTERS) for i in range(start, m.start())):
            hosts.append(m.group(1))
            done = m.end()
    return hosts


class OtherApis:
    """What a Python file shows of other APIs (found on demand, kept)."""

    def __init__(
        self, text: str, path: str, other_api: Callable[[str], bool], config: Callable[[int, int], bool] = no_config,
    ) -> None:
        self.text = text
        self.path = path
        self.other_api = other_api
        self.config = config
        """Whether the text scanner found Config text (a host, a path) between two offsets."""
        self._packages: dict[str, str] | None = None
        self._module: dict[str, Bound | None] = {}
        self._relevant: bool | None = None

    def relevant(self) -> bool:
        """The file names another API's URL, or imports a client of another
        API (a quick test before the searches of `field`)."""
        if self._relevant is None:
            text = self.text
            self._relevant = ("://" in text and any(self.other_api(h) for h in url_hosts(text))) or (
                ("Client" in text or "client(" in text) and any(
                    self._client_made(f"{name}.Client") or self._client_made(name) for name in self.packages()))
        return self._relevant

    def field(self, at: int) -> bool:
        """The field name at `at` (its word) is in another API's context:
        read off another API's value, or else (no read) sent in a call to
        another API. A read is the value's, wherever it goes
        (`S3.put_object(Key=s["catalog_name"])` reads a Config response)."""
        if not self.relevant():
            return False
        text = self.text
        line_start = text.rfind("\n", 0, at) + 1
        m = _SUBJECT.search(text, line_start, at)
        if m is not None:
            return self._read(m.group("name"), line_start, at)
        chained = _CHAINED.search(text, line_start, at)
        if chained is not None:  # `requests.get(f"{ZOOM}/users").json()["next_page_token"]`
            return bool(self._call_of_other(_opening(text, chained.start()), line_start))
        return self._sent(at) or self._dict_sent(at, line_start)

    # reads

    def _read(self, name: str, line_start: int, at: int) -> bool:
        """Read off a variable its function bound once, from another API."""
        line_end = self.text.find("\n", at)
        return self._bound_to_other(name, line_start, self.text[line_start : len(self.text) if line_end < 0 else line_end])

    def _bound_to_other(self, name: str, line_start: int, own_line: str = "", depth: int = 0) -> bool:
        value = self._value(name, line_start, own_line)
        return value is not None and self._of_other(value, line_start, depth + 1)

    def _value(self, name: str, line_start: int, own_line: str = "") -> Bound | None:
        """The statement binding `name` once in the function holding the line
        at `line_start` (or, outside functions, once in the module), from its
        `=`, a loop's `in` or a `with`'s value; None when it is a parameter,
        bound more than once or another way (unpacking, a loop over several
        names, a `with` of several items)."""
        text = self.text
        quoted = re.escape(name)
        assigned = re.compile(rf"[ \t]*{quoted}[ \t]*(?::[^=\n]+)?=(?!=)")
        loop = re.compile(rf"[ \t]*(?:async[ \t]+)?for[ \t]+{quoted}[ \t]+in\b")
        other = re.compile(  # (a loop's target, `as`, `:=`, unpacking; a comprehension's is its own)
            rf"""^[ \t]*(?:async[ \t]+)?for[ \t]+{_TARGETS}\b{quoted}\b{_TARGETS}\bin\b|\bas[ \t]+{_TARGETS}\b{quoted}\b
                |\b{quoted}[ \t]*:=|^[ \t]*(?=[^=\n]*,){_TARGETS}\b{quoted}\b{_TARGETS}=(?!=)""",
            re.VERBOSE,
        )
        if own_line:
            m = re.search(rf"\bfor[ \t]+{quoted}[ \t]+in[ \t]+{_ITEMS}[ \t]*(?:[\])}}]|if\b)", own_line)
            if m is not None:  # `[p.display_name for p in page]`: the read's own line binds it
                return Bound(line_start + m.start("items"), m.group("items"))
            if other.search(own_line) or re.search(rf"\bfor[ \t]+{_TARGETS}\b{quoted}\b{_TARGETS}\bin\b", own_line):
                return None
        indent = _indent(own_line) if own_line else _indent(text[line_start : text.find("\n", line_start)])
        found: list[tuple[int, int]] = []  # (line start, where its value starts)
        end = line_start - 1
        for _ in range(LOOK_UP if indent else 0):  # (at the top level: the module's)
            if end < 0:
                break
            start = text.rfind("\n", 0, end) + 1
            line = text[start:end]
            d = _DEF.match(line)
            if d is not None and _indent(line) < indent:
                params = _statement(text, start)[d.start("params") :]  # (a signature spread over lines too)
                if re.search(rf"\b{quoted}\b", params) or len(found) > 1:
                    return None  # a parameter (bound by the caller), or bound more than once
                if not found:
                    break  # not the function's own: the module's
                code = _statement(text, found[0][0])[found[0][1] :]
                return Bound(found[0][0] + found[0][1], _WITH_TARGET.sub("", code))
            if (a := assigned.match(line)) or (a := loop.match(line)):
                found.append((start, a.end()))
            elif (w := _WITH.match(line)) and w.group("name") == name and not re.search(r"\bas\b", w.group("value")):
                found.append((start, w.start("value")))  # `with resourcemanager_v3.ProjectsClient() as client:`
            elif other.search(line):
                return None  # bound another way too (a loop, a `with`, unpacking)
            end = start - 1
        else:
            if indent:
                return None  # no `def` found above
        return self._module_value(name)

    def _module_value(self, name: str) -> Bound | None:
        """The value of a name the module assigns once, at its top level."""
        if name not in self._module:
            found = list(re.finditer(rf"^{re.escape(name)}[ \t]*(?::[^=\n]+)?=(?!=)(.*)", self.text, re.M))
            self._module[name] = Bound(found[0].start(1), found[0].group(1)) if len(found) == 1 else None
        return self._module[name]

    def _of_other(self, value: Bound, line_start: int, depth: int) -> bool:
        """`value` (the code after a name's `=`) is another API's: it names
        no Config text, its URLs, also those its names hold, are all other
        APIs'; or it is what a client of another API gives
        (`client.list_projects(...)`, `page` of it)."""
        if depth > DEPTH or self.config(value.at, value.at + len(value.code)) or self._config_url(value.code, line_start):
            return False
        if self._names_config(value.code, line_start):
            return False  # `requests.get(HOST + str(p))`, `p` a Config path
        hosts = self._hosts(value.code, line_start, depth)
        if hosts:
            return all(self.other_api(h) for h in hosts)
        code = value.code.strip().rstrip(":").strip()  # (a loop's `in page:`)
        m = _CALLEE.match(code.split("(", 1)[0] + " ")
        if m is None:
            return False
        chain = m.group("chain")
        if self._client_made(chain):
            return True  # a client itself (`resourcemanager_v3.ProjectsClient()`)
        root = chain.split(".", 1)[0]
        if self._is_client(root, line_start, depth):
            return True  # what a client gives (`client.list_projects(...)`)
        # what another API's value holds (`for p in page:`, `resp.pages`)
        return "(" not in code and self._bound_to_other(root, line_start, depth=depth)

    def _hosts(self, code: str, line_start: int, depth: int) -> list[str]:
        """The hosts of the URLs `code` names: literal, or held by the names
        it uses (bound once to a URL, or to a name or `+` starting with one)."""
        hosts = url_hosts(code)
        for m in _NAME.finditer(_strings_out(code)):
            url = self._url_of(m.group(), line_start, depth)
            if url is not None:
                hosts.append(url)
        return hosts

    def _names_config(self, code: str, line_start: int) -> bool:
        """`code` uses a name bound once to code naming Config text
        (`p = API / "workspaces" / ws / "sources"`)."""
        for m in _NAME.finditer(_strings_out(code)):
            if m.group() not in _KEYWORDS:
                value = self._value(m.group(), line_start)
                if value is not None and self.config(value.at, value.at + len(value.code)):
                    return True
        return False

    def _url_of(self, name: str, line_start: int, depth: int) -> str | None:
        """The host of the URL `name` is bound to (through names: `STRIPE + "/x"`)."""
        if depth > DEPTH or name in _KEYWORDS:
            return None
        value = self._value(name, line_start)
        if value is None:
            return None
        m = _URL.match(value.code)
        if m is not None:
            return m.group(1)
        m = _F_NAME.match(value.code) or _JOINED.match(value.code)
        return self._url_of(m.group(1), line_start, depth + 1) if m is not None else None

    def _config_url(self, code: str, line_start: int) -> bool:
        """The first argument of the first call in `code` (its URL) uses a
        name bound once to Config text (`url = HOST + f"/v1beta/workspaces/{ws}/sources"`,
        `path = API / "workspaces" / ws / "sources"`): the call is the Config API's,
        whatever the host joined to it (a proxy)."""
        open_at = code.find("(")
        first = _first_argument(code[open_at:]) if open_at >= 0 else ""
        return any(self._holds_config(m.group(), line_start, 0) for m in _NAME.finditer(_strings_out(first)))

    def _holds_config(self, name: str, line_start: int, depth: int) -> bool:
        """`name` is bound once to a value naming Config text, itself or through its names."""
        if depth > DEPTH or name in _KEYWORDS:
            return False
        value = self._value(name, line_start)
        if value is None:
            return False
        if self.config(value.at, value.at + len(value.code)):
            return True
        return any(self._holds_config(m.group(), line_start, depth + 1) for m in _NAME.finditer(_strings_out(value.code)))

    # keys sent

    def _sent(self, at: int) -> bool:
        """An argument (or in one) of a call to another API: a call whose
        URLs are all other APIs', or else a method of its client; not a
        call naming Config text."""
        line_start = self.text.rfind("\n", 0, at) + 1
        for open_at in _open_calls(self.text, at):
            other = self._call_of_other(open_at, line_start)
            if other is not None:
                return other
        return False

    def _call_of_other(self, open_at: int, line_start: int) -> bool | None:
        """The call whose `(` is at `open_at` is another API's: its URLs are
        all other APIs', or it is a method of another API's client; False
        when it names Config text or other URLs, None when it shows nothing."""
        text = self.text
        m = _CALLEE.search(text, max(0, open_at - 200), open_at) if open_at >= 0 else None
        if m is None:
            return None
        close = _closing(text, open_at)
        call = text[open_at:close]
        if self.config(open_at, close) or self._names_config(call, line_start) or self._config_url(call, line_start):
            return False  # `SEG.get("/workspaces/acme/sources", params={"page_size": 10})`, `get(url, ...)`
        hosts = self._hosts(text[open_at:close], line_start, 0)
        if hosts:
            return all(self.other_api(h) for h in hosts)
        chain = m.group("chain")
        root = chain.split(".", 1)[0]
        if "." in chain and (self._client_made(chain.rsplit(".", 1)[0]) or self._is_client(root, line_start, 0)):
            return True  # `client.list_projects(request={"page_token": tok})`
        return None

    def _dict_sent(self, at: int, line_start: int) -> bool:
        """A key of a dict its function binds once to a name
        (`req = {"page_size": 10}`) that the function only passes to calls
        of another API (`client.list_projects(request=req)`)."""
        text = self.text
        opened = _outermost_open(text, at)
        if opened < 0 or text[opened] != "{":
            return False
        start = text.rfind("\n", 0, opened) + 1
        m = re.fullmatch(r"[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=[ \t]*", text[start:opened])
        if m is None:
            return False  # (a module's dict: any module may send it)
        name = m.group("name")
        use = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
        uses = [u.start() for u in use.finditer(text, _closing(text, opened), _body_end(text, start))]
        if not uses:
            return False
        value = self._value(name, text.rfind("\n", 0, uses[0]) + 1)  # (as the first use sees it)
        if value is None or text[value.at : opened].strip():
            return False  # a parameter, or bound more than once
        return all(self._sent(u) for u in uses)

    # clients

    def _is_client(self, name: str, line_start: int, depth: int) -> bool:
        """`name` is bound once to a client of another API, given no URL but
        other APIs' and no Config text; or is a parameter annotated with its
        class (`projects: resourcemanager_v3.ProjectsClient`)."""
        if depth > DEPTH or not self.packages():
            return False
        value = self._value(name, line_start)
        if value is None:
            return self._annotated_client(name, line_start)
        if self.config(value.at, value.at + len(value.code)):
            return False
        if not all(self.other_api(h) for h in self._hosts(value.code, line_start, depth)):
            return False  # `SegmentClient("https://platform.segmentapis.com/v1beta")`
        m = _CALLEE.match(value.code.strip().split("(", 1)[0] + " ")
        return m is not None and self._client_made(m.group("chain"))

    def _annotated_client(self, name: str, line_start: int) -> bool:
        """`name` is a parameter of the function holding the line at
        `line_start`, annotated with a client class of another API (or that
        `| None`, `Optional[...]`)."""
        params = _params_above(self.text, line_start)
        m = re.search(rf"(?<![\w.]){re.escape(name)}[ \t]*:[ \t]*(?P<type>[^=,()]+?)[ \t]*(?:[=,)]|\Z)", params or "")
        if m is None:
            return False
        kind = m.group("type").strip("'\" \t")
        kind = re.sub(r"\A(?:typing\.)?Optional\[(.*)\]\Z", r"\1", kind)
        kinds = [k.strip() for k in kind.split("|") if k.strip() != "None"]
        return bool(kinds) and all(re.fullmatch(r"[A-Za-z_][\w.]*", k) and self._client_made(k) for k in kinds)

    def _client_made(self, chain: str) -> bool:
        """`chain` (`resourcemanager_v3.ProjectsClient`, `boto3.client`) makes
        a client of another API (`other_clients.makes_client`)."""
        return makes_client(chain, self.packages())

    def packages(self) -> dict[str, str]:
        """Names the file imports from other APIs' packages → their modules."""
        if self._packages is None:
            self._packages = other_packages(self.text, self.path)
        return self._packages


_KEYWORDS = frozenset({"if", "else", "for", "in", "not", "and", "or", "is", "None", "True", "False",
                       "await", "lambda", "return", "self", "cls"})
_STRING = re.compile(rf"(?<![\w])[rRbBuUfF]{{0,2}}(?:{lexer.QUOTED})")
"""A string literal with its prefix (`f"{BASE}/x"`: its names are not glued to the `f`)."""


def _strings_out(code: str) -> str:
    """`code` without its strings' text (f-strings keep their `{names}`)."""
    return _STRING.sub(lambda m: " ".join(re.findall(r"\{\s*([A-Za-z_]\w*)", m.group())) or '""', code)


def _open_calls(text: str, at: int) -> list[int]:
    """Where the calls' `(` that hold `at` are, innermost first (strings aside,
    roughly: a bracket in a string on the way may end the search early)."""
    out: list[int] = []
    depth = 0
    i = at - 1
    stop = max(0, at - CALL_REACH)
    while i >= stop:
        c = text[i]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth:
                depth -= 1
            elif c == "(":
                out.append(i)
        elif c == "\n" and depth == 0 and not out and not text[i + 1 : at].strip().startswith((")", "]", "}")):
            line = text[text.rfind("\n", 0, i) + 1 : i].rstrip()
            if not line.endswith(("(", "[", "{", ",", "\\")):
                break  # the statement starts on this line
        i -= 1
    return out


def _first_argument(call: str) -> str:
    """The first argument of the call whose `(` starts `call` (strings aside, roughly)."""
    depth = 0
    for i, c in enumerate(call):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if depth == 0 or c == "," and depth == 1:
            return call[1:i]
    return call[1:]


def _opening(text: str, close_at: int) -> int:
    """Where the bracket closed at `close_at` opens (-1 beyond the reach)."""
    found = _match(text, close_at, -1)
    return -1 if found is None else found


def _closing(text: str, open_at: int) -> int:
    """Where the bracket opened at `open_at` closes (or the reach's end)."""
    found = _match(text, open_at, 1)
    return min(len(text), open_at + CALL_REACH) if found is None else found + 1


def _match(text: str, at: int, step: int) -> int | None:
    """The bracket matching the one at `at`, walking by `step` (1: forwards
    to its closing, -1: backwards to its opening), within `CALL_REACH`."""
    inward, outward = ("([{", ")]}") if step == 1 else (")]}", "([{")
    depth = 0
    end = min(len(text), at + CALL_REACH) if step == 1 else max(-1, at - CALL_REACH)
    for i in range(at, end, step):
        c = text[i]
        if c in inward:
            depth += 1
        elif c in outward:
            depth -= 1
            if depth == 0:
                return i
    return None


def _outermost_open(text: str, at: int) -> int:
    """Where the outermost bracket holding `at` within its statement opens
    (-1 if none), roughly as `_open_calls` reads brackets."""
    outermost = -1
    depth = 0
    for i in range(at - 1, max(-1, at - CALL_REACH), -1):
        c = text[i]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth:
                depth -= 1
            else:
                outermost = i
        elif c == "\n" and depth == 0 and outermost >= 0:
            line = text[text.rfind("\n", 0, i) + 1 : i].rstrip()
            if not line.endswith(("(", "[", "{", ",", "\\")):
                break  # the statement starts on the line after
    return outermost


def _body_end(text: str, def_line: int) -> int:
    """Where the block holding the line at `def_line` ends: the first line
    below, not blank, indented less than it (or the text's end)."""
    end = text.find("\n", def_line)
    indent = _indent(text[def_line : len(text) if end < 0 else end])
    for m in re.finditer(r"^([ \t]*)\S", text[end + 1 :] if end >= 0 else "", re.M):
        if len(m.group(1)) < indent and not text[end + 1 + m.start(1) :].lstrip().startswith(("#", ")", "]", "}")):
            return end + 1 + m.start()
    return len(text)


def _params_above(text: str, line_start: int) -> str | None:
    """The parameters (and what follows on the signature's lines) of the
    `def` holding the line at `line_start`: the first less indented above it."""
    end = text.find("\n", line_start)
    indent = _indent(text[line_start : len(text) if end < 0 else end])
    end = line_start - 1
    for _ in range(LOOK_UP if indent else 0):
        if end < 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        d = _DEF.match(line)
        if d is not None and _indent(line) < indent:
            return _statement(text, start)[d.start("params") :]
        end = start - 1
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _statement(text: str, start: int) -> str:
    """The statement starting at `start` (a line's start), up to where its brackets close."""
    out: list[str] = []
    depth = 0
    for _ in range(STATEMENT_LINES):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        out.append(line)
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        if depth <= 0 or end >= len(text):
            break
        start = end + 1
    return " ".join(out)
