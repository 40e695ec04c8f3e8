"""Reading a Config API path out of a line of any language.

Paths in real code are rarely one literal: `f"{BASE}/workspaces/{ws}/sources"`,
`"v1beta/workspaces/%s/sources" % ws`, `'workspaces/' + ws + '/sources'`,
`$BASE/workspaces/$WS/sources`, `{{base}}/workspaces/{{ws}}/sources`. The
reader walks the line from a starting offset, turns every placeholder or
concatenated expression into `{}`, and stops where the path ends.
"""

from __future__ import annotations

import re

from migrator.ruleset.models import HTTP_METHODS

PLACEHOLDER = "{}"
_PATH_CHAR = re.compile(r"[A-Za-z0-9_.~@:\-/]")
_PLACEHOLDERS = re.compile(
    r"""
      \{\{[^{}\n]*\}\}            # {{var}}: Postman, Jinja, handlebars
    | \#?\{[^{}\n]*\}             # {expr}, {}, Ruby #{expr}
    | \$\{\{[^{}\n]*\}\}          # ${{ expr }}: GitHub Actions
    | \$\{[^}\n]*\}               # ${var}
    | \$\([^)\n]*\)               # $(cmd)
    | \$[A-Za-z_][A-Za-z0-9_]*    # $VAR
    | \$[0-9@*]                   # $1, $@: a shell script's arguments
    | %\([A-Za-z_][A-Za-z0-9_]*\)[sdr]  # %(name)s
    | %[sdvqr]                    # %s, Go %v
    | <(?:[A-Za-z_]\w*:)?[A-Za-z_][A-Za-z0-9_-]*>  # <param>, Django's and Flask's <slug:param>
    """,
    re.VERBOSE,
)
# A string that ends, an expression concatenated, and a string that goes on:
# `' + ws + '`, `" . $ws . "`, `` ` + ws + ` ``, Elixir's `" <> ws <> "`.
_JOIN = re.compile(r"""(['"`])\s*(?:\+|\.|<<|<>)\s*(?P<expression>[^'"`\n]*?)\s*(?:\+|\.|<<|<>)\s*(['"`])""")
# A shell variable quoted on its own inside a word: `"$BASE"/workspaces/"$WS"/sources`;
# a quote that a shell expansion or `/` follows, inside a word (no other language
# writes a string right before `$x` or `/`; but `"/>` ends a self-closing XML or JSX tag).
_QUOTED_VARIABLE = re.compile(r"""(["'])(?:\$\{[^}\n]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*]|\$\([^)\n]*\))\1""")
_SHELL_QUOTE = re.compile(r"""["'](?=\$[{(A-Za-z_0-9@*]|/(?!>))""")
# A string that ends with an expression concatenated and nothing after it:
# names, attributes, subscripts and calls (`ids[slug]`, `s.get("slug")`),
# not the call the path is an argument of (`... + slug).json()`); also
# Elixir's `<> src`, Lua's `.. src`, PHP's ` . $src`.
_TAIL = re.compile(
    r"""(['"`])\s*(?:\+|<>|\.\.|\s\.\s*(?=\$))\s*\$?[A-Za-z_][\w.]*(?:\[[^\]\n]*\]|\([^()\n]*\))*"""
    r"""(?:\.[A-Za-z_]\w*(?:\[[^\]\n]*\]|\([^()\n]*\))*)*(?=\s*(?:[),;\]}]|$))"""
)
_SWIFT_INTERPOLATION = re.compile(r"\\\((?:[^()\n]|\([^()\n]*\))*\)")
"""Swift's `\\(expr)` in a string (jq's too): its value, one level of brackets in it (`\\(ids(ws))`)."""
_ROUTE_PARAM = re.compile(r":[A-Za-z_][A-Za-z0-9_]*")  # express-style /:id
_NOT_AN_END = (".", ":")
"""Path characters no path ends with (`/sources.` ending a sentence, the
`/sources:` of a YAML key): `:` only starts a verb (`metrics:getSummary`)."""


def read_path(line: str, start: int) -> tuple[str, int]:
    """The path that starts at `start`, normalised, and where it ends in `line`."""
    out: list[str] = []
    i = start
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in "{#$%<":
            m = _PLACEHOLDERS.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
                continue
            if ch != "#" and ch != "%":
                break
        if ch in "'\"`":
            m = _QUOTED_VARIABLE.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
                continue
            if _SHELL_QUOTE.match(line, i):
                i += 1  # `"$BASE/workspaces/"${WS}"/sources"`: the word goes on
                continue
            m = _JOIN.match(line, i)
            if m and m.group(1) == m.group(3):
                out.append(PLACEHOLDER)
                if m.end() < n and (line[m.end()] in "{#$%<" or _PATH_CHAR.match(line, m.end())):
                    i = m.end()
                    continue
                i = m.end("expression")  # the string after the expression is no part of the path: `"\"]}"`
                break
            m = _TAIL.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
            break
        if ch == "\\":
            m = _SWIFT_INTERPOLATION.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
                continue
        if ch == ":" and out and out[-1].endswith("/"):
            m = _ROUTE_PARAM.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
                continue
        if not _PATH_CHAR.match(ch):
            break
        out.append(ch)
        i += 1
    while out and out[-1] in _NOT_AN_END:
        out.pop()  # the period of a sentence, the colon of a YAML key
        i -= 1
    return "".join(out), i


def segments(path: str) -> list[str]:
    """Non-empty segments; one holding a placeholder is a placeholder."""
    parts = []
    for part in path.split("/"):
        if not part:
            continue
        parts.append(PLACEHOLDER if PLACEHOLDER in part else part)
    return parts


_METHOD = re.compile(
    r"""(?-i:\b(GET|POST|PUT|PATCH|DELETE)\b)
      | (?:[.:]|->)(get|post|put|patch|delete)(?:Async|For(?:Object|Entity|Location))?(?:\s*[(!.]|[ \t]+["'])
        # C#'s http.DeleteAsync(, Ruby's conn.get ", PHP's and Perl's $http->delete(, Spring's rest.getForObject(
      | -X\s*['"]?([A-Za-z]+)
      | method\W{1,4}(get|post|put|patch|delete)\b
      | (?-i:\bMethod(Get|Post|Put|Patch|Delete)\b)  # Go: http.MethodDelete
      | (?-i:@(Get|Post|Put|Patch|Delete)(?:Mapping|Exchange)?\b)  # Spring's (Feign's) @DeleteMapping, @GetExchange;
        # Micronaut's @Delete
      | (?-i:@(get|post|put|patch|delete)\()  # uplink's @delete( imported from it
    """,
    re.VERBOSE | re.IGNORECASE,
)


CURL = re.compile(r"""(?:^|[\s;|&(`$"'])curl\s""")  # also quoted: `bash -c "curl ...`, Terraform's `command = "curl ...`
_WORD = re.compile(r"""(?:[^\s'"]+|'[^']*'|"[^"]*")+""")
_CURL_DATA = ("--data", "--json", "--form")
"""Long options that send a body (`--data-raw`, `--form-string`...): POST."""
_CURL_TAKES_VALUE = frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz")
"""Short options of curl that take a value: the rest of their group is it."""
_COMMAND_END = frozenset({"|", "||", "&&", ";", "&"})


def curl_method(command: str) -> str | None:
    """The method of a `curl` command: the one `-X` gives (also attached in
    a group of short options, `-sXDELETE`), else GET, POST with data
    (`-d`, `--data...`, `--json`, `-F`), GET again with `-G`/`--get`; none
    for uploads and HEAD requests (`-T`, `-I`)."""
    m = CURL.search(command) if "curl" in command else None  # (the search is slow on long lines)
    if not m:
        return None
    words = _WORD.findall(command, m.end())
    data = get = False
    for i, word in enumerate(words):
        if word in _COMMAND_END or word.endswith(";"):
            break
        if word.startswith("--"):
            name, _, value = word.partition("=")
            if name == "--request":
                return _method(value or (words[i + 1] if i + 1 < len(words) else ""))
            if name in ("--upload-file", "--head"):
                return None
            data = data or name.startswith(_CURL_DATA)
            get = get or name == "--get"
            continue
        if not word.startswith("-") or len(word) < 2:
            continue
        for at, flag in enumerate(word[1:], 2):
            if flag == "X":
                return _method(word[at:] or (words[i + 1] if i + 1 < len(words) else ""))
            if flag in "TI":
                return None
            data = data or flag in "dF"
            get = get or flag == "G"
            if flag in _CURL_TAKES_VALUE or not flag.isalnum():
                break
    return "GET" if get or not data else "POST"


def _method(word: str) -> str | None:
    """The method a word names (`delete`, `'DELETE'`), if an endpoint row may have it."""
    word = word.strip("'\"").upper()
    return word if word in HTTP_METHODS else None


def _may_name_a_method(text: str) -> bool:
    """Whether `text` holds a word every match of `_METHOD` holds (a quick
    test: the regular expression is slow on long minified lines)."""
    lower = text.lower()
    return any(method.lower() in lower for method in HTTP_METHODS)


def method_before(line: str, at: int) -> str | None:
    """The HTTP method a line names last before `at` (a minified Postman
    collection: each request's method comes before its URL), else after."""
    if not _may_name_a_method(line):
        return None
    found = None
    for m in _METHOD.finditer(line, 0, at):
        found = m
    return _method(next(g for g in found.groups() if g)) if found else method_on(line[at:])


def method_on(line: str) -> str | None:
    """The HTTP method a line names, if it names one."""
    if not _may_name_a_method(line):
        return None
    m = _METHOD.search(line)
    if not m:
        return None
    return _method(next(g for g in m.groups() if g))
