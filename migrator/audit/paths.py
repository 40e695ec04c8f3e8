"""Reading a Config API path out of a line of any language.

Paths in real code are rarely one literal: `f"{BASE}/workspaces/{ws}/sources"`,
`"v1beta/workspaces/%s/sources" % ws`, `'workspaces/' + ws + '/sources'`,
`$BASE/workspaces/$WS/sources`, `{{base}}/workspaces/{{ws}}/sources`. The
reader walks the line from a starting offset, turns every placeholder or
concatenated expression into `{}`, and stops where the path ends.
"""

from __future__ import annotations

import re

PLACEHOLDER = "{}"
_PATH_CHAR = re.compile(r"[A-Za-z0-9_.~@:\-/]")
_PLACEHOLDERS = re.compile(
    r"""
      \{\{[^{}\n]*\}\}            # {{var}}: Postman, Jinja, handlebars
    | \#?\{[^{}\n]*\}             # {expr}, {}, Ruby #{expr}
    | \$\{[^}\n]*\}               # ${var}
    | \$\([^)\n]*\)               # $(cmd)
    | \$[A-Za-z_][A-Za-z0-9_]*    # $VAR
    | %\([A-Za-z_][A-Za-z0-9_]*\)[sdr]  # %(name)s
    | %[sdvqr]                    # %s, Go %v
    | <[A-Za-z_][A-Za-z0-9_-]*>   # <param>
    """,
    re.VERBOSE,
)
# A string that ends, an expression concatenated, and a string that goes on:
# `' + ws + '`, `" . $ws . "`, `` ` + ws + ` ``.
_JOIN = re.compile(r"""(['"`])\s*(?:\+|\.|<<)\s*[^'"`\n]*?\s*(?:\+|\.|<<)\s*(['"`])""")
# A string that ends with an expression concatenated and nothing after it.
_TAIL = re.compile(r"""(['"`])\s*\+\s*[A-Za-z_][A-Za-z0-9_.\[\]'"()]*\s*(?=[),;\]}]|$)""")
_ROUTE_PARAM = re.compile(r":[A-Za-z_][A-Za-z0-9_]*")  # express-style /:id


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
            m = _JOIN.match(line, i)
            if m and m.group(1) == m.group(2):
                out.append(PLACEHOLDER)
                i = m.end()
                continue
            m = _TAIL.match(line, i)
            if m:
                out.append(PLACEHOLDER)
                i = m.end()
            break
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
      | [.:](get|post|put|patch|delete)\s*[(!.]
      | -X\s*['"]?([A-Za-z]+)
      | method\W{1,4}(get|post|put|patch|delete)\b
    """,
    re.VERBOSE | re.IGNORECASE,
)


_CURL = re.compile(r"(?:^|[\s;|&(`$])curl\s")
_CURL_DATA = re.compile(r"\s(?:-d|--data(?:-raw|-binary|-urlencode)?|--json|-F|--form)[\s=]")
_CURL_OTHER = re.compile(r"\s(?:-T|--upload-file|-I|--head)[\s=]")


def curl_method(command: str) -> str | None:
    """The method of a `curl` command given without `-X`: GET, or POST with data."""
    if not _CURL.search(command) or _CURL_OTHER.search(command):
        return None
    return "POST" if _CURL_DATA.search(command) else "GET"


def method_on(line: str) -> str | None:
    """The HTTP method a line names, if it names one."""
    m = _METHOD.search(line)
    if not m:
        return None
    word = next(g for g in m.groups() if g)
    word = word.upper()
    return word if word in ("GET", "POST", "PUT", "PATCH", "DELETE") else None
