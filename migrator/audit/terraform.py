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
(`jsondecode(...).display_name`, `jsonencode({ display_name = "x" })`) are,
and any key of a `segment_*` block whose provider (the local name its
`provider = legacy` names, else `segment`) the module (the file, or where it
says nothing, the other `.tf` files of its folder, as `versions.tf`)
declares with the source of a provider built on the Config API (the rules'
`terraform_providers`); the official provider's arguments are Public
fields, and a module that does not say which provider it uses is not told
either. A module moving resource by resource has both providers, one under
another local name.

Labels may be identifiers too (`resource google_service_account sa {`, as
HCL allows). Braces in comments (`#`, `//`, `/* */` over lines), in string
literals and their `${...}` interpolations, and the text of heredocs do not
open or close blocks. The JSON syntax (`main.tf.json`,
`{"resource": {"segment_source": {"js": {...}}}}`) is read the same way:
its keys are the labels, argument names and local values.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from migrator.audit import lexer

TERRAFORM_SUFFIXES = (".tf", ".hcl", ".tfvars", ".tf.json", ".tfvars.json")

_HEADER = re.compile(
    r'^[ \t]*(?P<type>[A-Za-z_][\w-]*)(?P<labels>(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))+)[ \t]*\{', re.MULTILINE)
_LABEL = re.compile(r'"([^"\n]*)"|([A-Za-z_][\w-]*)')
_REFERENCE = re.compile(
    r"(?<![\w.-])(?:(?:var|local)\.(?P<value>[A-Za-z_][\w-]*)"
    r"|module\.(?P<module>[A-Za-z_][\w-]*)(?:\.(?P<output>[A-Za-z_][\w-]*))?"
    r"|data\.[A-Za-z_][\w-]*\.(?P<data>[A-Za-z_][\w-]*)(?![\w-])"
    r"(?:\[[^\[\]\n]*\])?(?:\.(?P<read>[A-Za-z_][\w-]*))?)"
)
_ATTRIBUTE = r"(?:\[[^\[\]\n]*\])?(?:\.(?P<attribute>[A-Za-z_][\w-]*))?"
"""After a reference to a resource (and in `_REFERENCE`, to a data source,
as `read`), its index (`[0]`, `["k"]`) and the attribute read
(`segment_source.web.source_name`): its provider's schema, as its
arguments are; not what follows it, the keys of a map attribute
(`restapi_object.x.api_data.display_name`)."""
_LOCALS = re.compile(r"^[ \t]*locals[ \t]*\{", re.MULTILINE)
_KEY = re.compile(r"[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)")


def is_terraform(path: str) -> bool:
    return path.lower().endswith(TERRAFORM_SUFFIXES)


def own_names(text: str, path: str, providers: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Where `text`, the Terraform file at `path`, names its own blocks and
    values, sorted: block labels, references to them (`var.x`, `local.x`,
    `module.x.output`, `data.type.x` and `type.x` of a resource it declares,
    with the attribute they read, `.source_name`),
    the names its `locals` blocks define (in a `.tfvars` file, the variables
    it sets) and the arguments of other providers' blocks and of modules
    (all but those of Config providers' `segment_*` blocks: `providers`,
    lowercase sources as `ajbosco/segment`)."""
    lowered = path.lower()
    tfvars = lowered.endswith((".tfvars", ".tfvars.json"))
    config = _ConfigProviders(path, providers)
    if lowered.endswith(".json"):
        spans, resources = _json_blocks(text, tfvars, config)
    else:
        spans, resources = _native_blocks(text, tfvars, config)
    for m in _REFERENCE.finditer(text):
        spans += [m.span(g) for g in ("value", "module", "output", "data", "read") if m.group(g) is not None]
    if resources:  # `type.name` of a resource it declares: one search for them all
        declared = set(resources)
        kinds = "|".join(sorted({re.escape(kind) for kind, _ in declared}))
        reference = re.compile(rf"(?<![\w.-])({kinds})\.([A-Za-z_][\w-]*)(?![\w-]){_ATTRIBUTE}")
        for m in reference.finditer(text):
            if (m.group(1), m.group(2)) in declared:
                spans.append(m.span(2))
                if m.group("attribute") is not None:  # `.source_name`: the provider's schema, as its arguments
                    spans.append(m.span("attribute"))
    spans.sort()
    return spans


def config_blocks(text: str, path: str, providers: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where the bodies of the `segment_*` resources and data sources of
    `text`, the Terraform file at `path`, are, with their types, sorted,
    where its module's `segment` provider is one of `providers` (built on
    the Config API): their arguments are that provider's schema, whose
    block type says which resource it manages (`segment_source`)."""
    lowered = path.lower()
    if lowered.endswith((".tfvars", ".tfvars.json")):
        return []
    config = _ConfigProviders(path, providers)
    found = _json_segment_blocks(text, config) if lowered.endswith(".json") else _native_segment_blocks(text, config)
    return sorted(found)


def _native_segment_blocks(text: str, config: _ConfigProviders) -> list[tuple[int, int, str]]:
    """`config_blocks` of the native syntax."""
    _, code = _readings(text)
    out: list[tuple[int, int, str]] = []
    for m in _HEADER.finditer(code):
        if m.group("type") not in ("resource", "data"):
            continue
        label = next(_LABEL.finditer(code, m.start("labels"), m.end("labels")))
        kind = text[slice(*label.span(1 if label.group(1) is not None else 2))]  # (strings are blank in `code`)
        if kind.startswith(SEGMENT_PROVIDER):
            end = _closing(code, m.end())
            if config(_native_provider(text, code, m.end(), end), lambda: _native_sources(text, code)):
                out.append((m.end() - 1, end, kind))
    return out


def _json_segment_blocks(text: str, config: _ConfigProviders) -> list[tuple[int, int, str]]:
    """`config_blocks` of the JSON syntax; not JSON: none."""
    top = _json_top(text)
    if top is None:
        return []
    out: list[tuple[int, int, str]] = []
    for kind, _, value in top.pairs:  # `"resource": {"segment_source": {"js": {...}}}`
        for blocks in _objects(value) if kind in ("resource", "data") else ():
            for provided, _, named in blocks.pairs:
                if provided.startswith(SEGMENT_PROVIDER):
                    out += [(*body.span, provided) for block in _objects(named)
                            for _, _, v in block.pairs for body in _objects(v)
                            if config(_json_provider(body), lambda: _json_sources(top))]
    return out


def block_bodies(text: str, path: str) -> list[tuple[int, int]]:
    """Where the bodies of the blocks of `text`, the Terraform file at
    `path`, are, sorted (of a block in a block, the outer one): in the native
    syntax, the braces after a block's labels (`resource "segment_source"
    "js" {...}`); in JSON, the object a block's name holds
    (`{"resource": {"segment_source": {"js": {...}}}}`). A body is one
    resource, however long: what it says of its resource holds in all of it.
    A `.tfvars` file sets variables: it has none."""
    lowered = path.lower()
    if lowered.endswith((".tfvars", ".tfvars.json")):
        return []
    if lowered.endswith(".json"):
        found = _json_bodies(text)
    else:
        _, code = _readings(text)
        found = [(m.end() - 1, _closing(code, m.end())) for m in _HEADER.finditer(code)]
    out: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _closing(code: str, start: int) -> int:
    """Past the `}` closing the block whose body starts at `start` (strings
    and comments blank in `code`); the end of the text without one."""
    depth = 1
    for m in _BRACE.finditer(code, start):
        depth += 1 if m.group() == "{" else -1
        if not depth:
            return m.end()
    return len(code)


_BRACE = re.compile(r"[{}]")


def _json_bodies(text: str) -> list[tuple[int, int]]:
    """The spans of the objects the names of the JSON syntax's blocks hold
    (`"resource"`/`"data"`: type, name; others: name; `"locals"`: itself).
    Not JSON: none."""
    top = _json_top(text)
    if top is None:
        return []
    out: list[tuple[int, int]] = []
    for kind, _, value in top.pairs:
        for blocks in _objects(value):
            if kind == "locals":
                out.append(blocks.span)
                continue
            named = [v for _, _, v in blocks.pairs]
            if kind in ("resource", "data"):  # `"segment_source": {"js": {...}}`
                named = [v for by_type in named for block in _objects(by_type) for _, _, v in block.pairs]
            out += [body.span for value in named for body in _objects(value)]
    return out


SEGMENT_PROVIDER = "segment_"
"""The type prefix of Segment providers' resources (those of the local name
`segment`, unless a block's `provider =` names another)."""
DEFAULT_PROVIDER = "segment"
_REQUIRED = re.compile(r"^[ \t]*required_providers[ \t]*\{", re.MULTILINE)
_SOURCE = re.compile(
    r'(?<![\w.-])([A-Za-z_][\w-]*)[ \t]*=[ \t]*\{[^{}]*?(?<![\w.-])source[ \t]*=[ \t]*"([^"\n]*)"')
"""An entry of `required_providers` (its local name) and its `source`."""
_PROVIDER = re.compile(r"^[ \t]*provider[ \t]*=[ \t]*", re.MULTILINE)
_PROVIDER_NAME = re.compile(r'"?([A-Za-z_][\w-]*)')
"""A block's `provider = legacy` (or `legacy.eu`, an alias of it; quoted, `"legacy"`, as Terraform 0.11 wrote it)."""
MODULE_SUFFIXES = (".tf", ".tf.json")
"""The files of a module (a folder): each may declare the providers of all."""


class _ConfigProviders:
    """Whether the provider of a block of the file at `path` (its local
    name) is one of `providers` (lowercase sources, `ajbosco/segment`): by
    the file's declaration of that name, or where the file has none, by the
    first declaration of another file of its module (read once)."""

    def __init__(self, path: str, providers: frozenset[str]) -> None:
        self.path, self.providers = path, providers
        self._own: dict[str, str] | None = None
        self._module: dict[str, str] | None = None

    def __call__(self, name: str, own: Callable[[], dict[str, str]]) -> bool:
        if self._own is None:
            self._own = own()
        source = self._own.get(name)
        if source is None and self.path.lower().endswith(MODULE_SUFFIXES):
            if self._module is None:
                self._module = _module_sources(self.path)
            source = self._module.get(name)
        return source is not None and "/".join(source.lower().split("/")[-2:]) in self.providers


def _module_sources(path: str) -> dict[str, str]:
    """The provider sources the other `.tf` files of the folder of `path`
    declare (`versions.tf`) by local name, the first declaration of each in
    the order of their names."""
    folder = os.path.dirname(path) or "."
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.lower().endswith(MODULE_SUFFIXES))
    except OSError:
        return {}
    found: dict[str, str] = {}
    for name in names:
        other = os.path.join(folder, name)
        if os.path.basename(path) == name or not os.path.isfile(other):
            continue
        try:
            with open(other, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if "required_providers" not in text:
            continue
        sources = _json_sources(text) if name.lower().endswith(".json") else \
            _native_sources(text, _readings.__wrapped__(text)[1])
        for local, source in sources.items():
            found.setdefault(local, source)
    return found


def _native_sources(text: str, code: str) -> dict[str, str]:
    """The sources the native syntax's `required_providers` gives the providers, by local name."""
    found: dict[str, str] = {}
    for m in _REQUIRED.finditer(code):
        end = _closing(code, m.end())
        for entry in _SOURCE.finditer(text, m.end(), end):
            if code[entry.start()] != " ":  # (not in a comment)
                found.setdefault(entry.group(1), entry.group(2))
    return found


def _json_sources(text: str | _Object) -> dict[str, str]:
    """The sources the JSON syntax's `required_providers` gives the providers, by local name."""
    top = _json_top(text) if isinstance(text, str) else text
    found: dict[str, str] = {}
    for kind, _, value in top.pairs if top is not None else ():
        for settings in _objects(value) if kind == "terraform" else ():
            for key, _, required in settings.pairs:
                for providers in _objects(required) if key == "required_providers" else ():
                    for name, _, entry in providers.pairs:
                        for declared in _objects(entry):
                            for k, v in declared.strings:
                                if k == "source":
                                    found.setdefault(name, v)
    return found


def _native_provider(text: str, code: str, start: int, end: int) -> str:
    """The local name of the provider of the block whose body is `code[start:end]`:
    its `provider =` argument's (not one of a nested block; its value read
    in `text`, where a quoted one is not blank), else `segment`."""
    for m in _PROVIDER.finditer(code, start, end):
        if _depth(code[start:m.start()]) == 0:
            name = _PROVIDER_NAME.match(text, m.end())
            return name.group(1) if name is not None else DEFAULT_PROVIDER
    return DEFAULT_PROVIDER


def _json_provider(body: _Object) -> str:
    """`_native_provider` of the JSON syntax (`"provider": "legacy.eu"`)."""
    return next((v.split(".")[0] for k, v in body.strings if k == "provider"), DEFAULT_PROVIDER)


_ENCODED = re.compile(r"\bjsonencode[ \t]*\(")
_INLINE_KEY = re.compile(r"(?:^|[{,])[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?![=>])")


def _native_blocks(
    text: str, tfvars: bool, config: _ConfigProviders,
) -> tuple[list[tuple[int, int]], set[tuple[str, str]]]:
    """The own names of the native syntax but references; and the resources
    it declares (`config`: whether a block's provider is a Config provider)."""
    keys, code = _readings(text)
    spans: list[tuple[int, int]] = []
    resources: set[tuple[str, str]] = set()
    for m in _HEADER.finditer(code):
        labels = [label.span(1) if label.group(1) is not None else label.span(2)
                  for label in _LABEL.finditer(code, m.start("labels"), m.end("labels"))]
        spans += labels
        kind, names = m.group("type"), [text[start:end] for start, end in labels]
        if kind == "resource" and len(names) == 2:
            resources.add((names[0], names[1]))
        if kind == "module" or kind in ("resource", "data") and not (
                names[0].startswith(SEGMENT_PROVIDER)
                and config(_native_provider(text, code, m.end(), _closing(code, m.end())), lambda: _native_sources(text, code))):
            spans += _arguments(keys, code, m.end())
    for m in _LOCALS.finditer(code):
        spans += _keys(code, m.end(), 1)
    if tfvars:
        spans += _keys(code, 0, 0)
    return spans, resources


def _arguments(keys: str, code: str, start: int) -> list[tuple[int, int]]:
    """The keys assigned at the start of a line in the block whose body
    starts at `start`, at any depth but inside `jsonencode(...)`: the
    object encoded there is sent as it is written. (`keys` and `code` are
    the file's `_readings`.)"""
    out: list[tuple[int, int]] = []
    level, encoded = 1, None  # encoded: the level `jsonencode(` was opened at
    for at, end in _lines(code, start):
        line = code[at:end]
        if encoded is None:  # `labels = { create_time = "x" }` on one line too
            masked = keys[at:end]
            opened = _ENCODED.search(masked)
            found = _INLINE_KEY.finditer(masked, 0, opened.start() if opened else len(masked))
            out += [(at + m.start(1), at + m.end(1)) for m in found]
        if encoded is None and _ENCODED.search(line):
            encoded = level
        level += _depth(line)
        if encoded is not None and level <= encoded:
            encoded = None
        if level < 1:
            break
    return out


def _keys(code: str, start: int, depth: int) -> list[tuple[int, int]]:
    """The keys assigned at the start of a line at `depth` (braces and
    brackets, strings aside) from `start` on, until the block closes."""
    out: list[tuple[int, int]] = []
    level = depth
    for at, end in _lines(code, start):
        if level == depth:
            m = _KEY.match(code, at, end)
            if m is not None:
                out.append(m.span(1))
        level += _depth(code[at:end])
        if level < depth:
            break
    return out


def _depth(code: str) -> int:
    """How far the brackets of `code` go in (out, when negative)."""
    return sum(code.count(c) for c in "{[(") - sum(code.count(c) for c in "}])")


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    """From `start` on, where each line starts and ends."""
    at = start
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield at, end
        at = end + 1


_HEREDOC = re.compile(r"<<-?[ \t]*([A-Za-z_]\w*)[ \t]*\r?$", re.MULTILINE)
_SYNTAX = re.compile(r'["#]|//|/\*|<<')
"""Where a string, a comment or a heredoc may start."""


@lru_cache(maxsize=1)
def _readings(text: str) -> tuple[str, str]:
    """`text` read twice, as long as it (line breaks and offsets kept): with
    the contents of string literals (their `${...}` too) and heredocs blank
    (their text is no code), and then with its comments blank as well.
    The last file's are kept: `own_names` and `block_bodies` both need them."""
    keys, code = list(text), list(text)
    i = 0
    while (found := _SYNTAX.search(text, i)) is not None:
        i = found.start()
        char = text[i]
        if char == '"':
            end = _string_end(text, i)
            closed = end - 1 if text[end - 1] == '"' and end - 1 > i else end
            _blank(keys, i + 1, closed)
            _blank(code, i + 1, closed)
            i = end
        elif (end := lexer.comment_end(text, i, hash_comments=True)) is not None:
            _blank(code, i, end)
            i = end
        elif text.startswith("<<", i) and (heredoc := _HEREDOC.match(text, i)) is not None:
            end = _heredoc_end(text, heredoc.end(), heredoc.group(1))
            _blank(keys, heredoc.end(), end)
            _blank(code, heredoc.end(), end)
            i = end
        else:
            i += 1
    return "".join(keys), "".join(code)


def _blank(chars: list[str], start: int, end: int) -> None:
    """Spaces in `chars[start:end]`, line breaks kept."""
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _string_end(text: str, start: int) -> int:
    """Past the `"` closing the string literal opened at `start`, its
    `${...}` and `%{...}` with the strings in them skipped; at the line's
    end when it is not closed there (outside an interpolation)."""
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == '"':
            return i + 1
        elif char == "\n":
            return i
        elif text.startswith(("$${", "%%{"), i):
            i += 3  # an escaped `${`: text
        elif text.startswith(("${", "%{"), i):
            i = _interpolation_end(text, i + 2)
        else:
            i += 1
    return len(text)


def _interpolation_end(text: str, start: int) -> int:
    """Past the `}` closing the interpolation whose expression starts at `start`."""
    depth, i = 1, start
    while i < len(text):
        char = text[i]
        if char == '"':
            i = _string_end(text, i)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if not depth:
                return i + 1
        i += 1
    return len(text)


def _heredoc_end(text: str, start: int, closing: str) -> int:
    """Where the heredoc whose lines start after `start` ends: the end of
    its `closing` line (indented or not); the end of the text without one."""
    for at, end in _lines(text, start + 1):
        if text[at:end].strip() == closing:
            return end
    return len(text)


@dataclass
class _Object:
    """A JSON object: its keys, where each is written (the name, without the
    quotes), and their values (`_Object`, a list, or None for the rest)."""

    pairs: list[tuple[str, tuple[int, int], object]] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    """Where it is written, braces included."""
    strings: list[tuple[str, str]] = field(default_factory=list)
    """The keys whose values are strings, and those strings."""


_SPACE = re.compile(r"[ \t\r\n]*")
_SCALAR = json.JSONDecoder()


def _json_blocks(
    text: str, tfvars: bool, config: _ConfigProviders,
) -> tuple[list[tuple[int, int]], set[tuple[str, str]]]:
    """The own names of the JSON syntax but references; and the resources
    it declares. Not JSON (a syntax error): none."""
    top = _json_top(text)
    spans: list[tuple[int, int]] = []
    resources: set[tuple[str, str]] = set()
    if top is None:
        return spans, resources
    if tfvars:
        return [span for _, span, _ in top.pairs], resources
    for kind, _, value in top.pairs:
        for blocks in _objects(value):
            if kind in ("resource", "data"):
                for provided, span, named in blocks.pairs:  # `"segment_source": {"js": {...}}`
                    spans.append(span)
                    for block in _objects(named):
                        for name, name_span, body in block.pairs:
                            spans.append(name_span)
                            if kind == "resource":
                                resources.add((provided, name))
                            if not (provided.startswith(SEGMENT_PROVIDER) and any(
                                    config(_json_provider(b), lambda: _json_sources(top)) for b in _objects(body))):
                                spans += _json_keys(body)
            elif kind in ("module", "variable", "output", "provider"):
                for _, span, body in blocks.pairs:
                    spans.append(span)
                    if kind == "module":
                        spans += _json_keys(body)
            elif kind == "locals":
                spans += [span for _, span, _ in blocks.pairs]
    return spans, resources


def _json_top(text: str) -> _Object | None:
    """The top object of the JSON syntax; None when the text is no JSON object."""
    try:
        top, _ = _json_value(text, _SPACE.match(text, 0).end())
    except (ValueError, IndexError, RecursionError):
        return None
    return top if isinstance(top, _Object) else None


def _objects(value: object) -> list[_Object]:
    """An object, or the objects of a list (several blocks of one type or name)."""
    if isinstance(value, _Object):
        return [value]
    return [v for v in value if isinstance(v, _Object)] if isinstance(value, list) else []


def _json_keys(value: object) -> list[tuple[int, int]]:
    """Where every key of `value`, at any depth, is written."""
    if isinstance(value, list):
        return [span for v in value for span in _json_keys(v)]
    if not isinstance(value, _Object):
        return []
    return [span for _, key, v in value.pairs for span in (key, *_json_keys(v))]


def _json_value(text: str, i: int) -> tuple[object, int]:
    """The JSON value at `i` (`_Object`, list, or None for a scalar) and where it ends."""
    char = text[i]
    if char == "{":
        start = i
        obj, i = _Object(), _SPACE.match(text, i + 1).end()
        while text[i] != "}":
            if text[i] != '"':
                raise ValueError("a key")
            key, end = json.decoder.scanstring(text, i + 1)
            colon = _SPACE.match(text, end).end()
            if text[colon] != ":":
                raise ValueError("a colon")
            at = _SPACE.match(text, colon + 1).end()
            value, after = _json_value(text, at)
            obj.pairs.append((key, (i + 1, end - 1), value))
            if text[at] == '"':
                obj.strings.append((key, json.decoder.scanstring(text, at + 1)[0]))
            i = _SPACE.match(text, after).end()
            if text[i] == ",":
                i = _SPACE.match(text, i + 1).end()
        obj.span = (start, i + 1)
        return obj, i + 1
    if char == "[":
        items, i = [], _SPACE.match(text, i + 1).end()
        while text[i] != "]":
            value, after = _json_value(text, i)
            items.append(value)
            i = _SPACE.match(text, after).end()
            if text[i] == ",":
                i = _SPACE.match(text, i + 1).end()
        return items, i + 1
    if char == '"':
        return None, json.decoder.scanstring(text, i + 1)[1]
    return None, _SCALAR.raw_decode(text, i)[1]


def within(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies in one of the sorted `spans` (of single names: they do not nest)."""
    i = bisect.bisect_right(spans, (at, sys.maxsize))
    return i > 0 and spans[i - 1][0] <= at < spans[i - 1][1]
