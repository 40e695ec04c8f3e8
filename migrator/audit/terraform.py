"""Terraform (HCL): the names a configuration gives its own blocks and values.

    variable "page_size" { default = 100 }              # a label
    data "http" "tracking_plans" { url = "..." }        # labels
    locals { display_name = "x" }                       # a local value
    url = "...?page_size=${var.page_size}"              # a reference
    value = data.http.tracking_plans.response_body      # a reference

These name the code's own things, as a function or a variable does in other
languages: no Config field. Nor are the arguments of another provider's
resources and data sources, and of modules (`resource "google_service_account"
"sa" { display_name = "x" }`): that provider's schema, or the module's
variables. The keys of the objects a configuration decodes or sends
(`jsondecode(...).display_name`, `jsonencode({ display_name = "x" })`, any
key of a `segment_*` block: a provider of the Config API) are.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator

TERRAFORM_SUFFIXES = (".tf", ".hcl", ".tfvars")

_HEADER = re.compile(r'^[ \t]*(?P<type>[A-Za-z_][\w-]*)(?P<labels>(?:[ \t]+"[^"\n]*")+)[ \t]*\{', re.MULTILINE)
_LABEL = re.compile(r'"([^"\n]*)"')
_REFERENCE = re.compile(
    r"(?<![\w.-])(?:(?:var|local)\.(?P<value>[A-Za-z_][\w-]*)"
    r"|module\.(?P<module>[A-Za-z_][\w-]*)(?:\.(?P<output>[A-Za-z_][\w-]*))?"
    r"|data\.[A-Za-z_][\w-]*\.(?P<data>[A-Za-z_][\w-]*))"
)
_LOCALS = re.compile(r"^[ \t]*locals[ \t]*\{", re.MULTILINE)
_KEY = re.compile(r"[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def is_terraform(path: str) -> bool:
    return path.lower().endswith(TERRAFORM_SUFFIXES)


def own_names(text: str, tfvars: bool = False) -> list[tuple[int, int]]:
    """Where `text` names its own blocks and values, sorted: block labels,
    references to them (`var.x`, `local.x`, `module.x.output`,
    `data.type.x`, `type.x` of a resource it declares) and the names its
    `locals` blocks define (in a `.tfvars` file, the variables it sets)."""
    spans: list[tuple[int, int]] = []
    resources: set[tuple[str, str]] = set()
    for m in _HEADER.finditer(text):
        labels = list(_LABEL.finditer(text, m.start("labels"), m.end("labels")))
        spans += [(label.start(1), label.end(1)) for label in labels]
        if m.group("type") == "resource" and len(labels) == 2:
            resources.add((labels[0].group(1), labels[1].group(1)))
    for m in _REFERENCE.finditer(text):
        spans += [m.span(g) for g in ("value", "module", "output", "data") if m.group(g) is not None]
    for kind, name in resources:
        reference = re.compile(rf"(?<![\w.-]){re.escape(kind)}\.({re.escape(name)})(?![\w-])")
        spans += [m.span(1) for m in reference.finditer(text)]
    for m in _HEADER.finditer(text):
        kind, labels = m.group("type"), _LABEL.findall(text, m.start("labels"), m.end("labels"))
        if kind == "module" or kind in ("resource", "data") and not labels[0].startswith(SEGMENT_PROVIDER):
            spans += _arguments(text, m.end())
    for m in _LOCALS.finditer(text):
        spans += _keys(text, m.end(), 1)
    if tfvars:
        spans += _keys(text, 0, 0)
    spans.sort()
    return spans


SEGMENT_PROVIDER = "segment_"
"""The type prefix of Segment providers' resources (some spoke the Config API)."""
_ENCODED = re.compile(r"\bjsonencode[ \t]*\(")
_INLINE_KEY = re.compile(r"(?:^|[{,])[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?![=>])")


def _arguments(text: str, start: int) -> list[tuple[int, int]]:
    """The keys assigned at the start of a line in the block whose body
    starts at `start`, at any depth but inside `jsonencode(...)`: the
    object encoded there is sent as it is written."""
    out: list[tuple[int, int]] = []
    level, encoded = 1, None  # encoded: the level `jsonencode(` was opened at
    for at, end, code in _code_lines(text, start):
        if encoded is None:  # `labels = { create_time = "x" }` on one line too
            masked = _STRING.sub(lambda s: '"' + " " * (len(s.group()) - 2) + '"', text[at:end])
            opened = _ENCODED.search(masked)
            keys = _INLINE_KEY.finditer(masked, 0, opened.start() if opened else len(masked))
            out += [(at + m.start(1), at + m.end(1)) for m in keys]
        if encoded is None and _ENCODED.search(code):
            encoded = level
        level += sum(code.count(c) for c in "{[(") - sum(code.count(c) for c in "}])")
        if encoded is not None and level <= encoded:
            encoded = None
        if level < 1:
            break
    return out


def _keys(text: str, start: int, depth: int) -> list[tuple[int, int]]:
    """The keys assigned at the start of a line at `depth` (braces and
    brackets, strings aside) from `start` on, until the block closes."""
    out: list[tuple[int, int]] = []
    level = depth
    for at, end, code in _code_lines(text, start):
        if level == depth:
            m = _KEY.match(text, at, end)
            if m is not None:
                out.append(m.span(1))
        level += sum(code.count(c) for c in "{[(") - sum(code.count(c) for c in "}])")
        if level < depth:
            break
    return out


_HEREDOC = re.compile(r"<<-?[ \t]*([A-Za-z_]\w*)[ \t]*$")


def _code_lines(text: str, start: int) -> Iterator[tuple[int, int, str]]:
    """From `start` on, each line's (start, end, code: strings and comments
    left out); the lines of a heredoc (`<<-EOF` ... `EOF`), text of another
    language whose brackets need not pair, are not given."""
    at, closing = start, None
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if closing is not None:
            if text[at:end].strip() == closing:
                closing = None
        else:
            code = _STRING.sub("", text[at:end]).split("#", 1)[0].split("//", 1)[0]
            heredoc = _HEREDOC.search(code)
            if heredoc is not None:
                closing = heredoc.group(1)
            yield at, end, code
        at = end + 1


def within(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies in one of the sorted `spans` (of single names: they do not nest)."""
    i = bisect.bisect_right(spans, (at, sys.maxsize))
    return i > 0 and spans[i - 1][0] <= at < spans[i - 1][1]
