"""Request-body literals as JSON values, through the translate engine, and back.

A dict literal is read into the JSON value it stands for. What the codemod
cannot evaluate stays a value of its own: an expression (`Opaque`, copied
as source text) or, inside an f-string, a private-use character standing
for the expression (`Holes`). The value goes through
`migrator.translate.request` exactly as a JSON body would, with the same
table rows; ids come from the id map or, for slugs held in expressions,
from the generated lookup module. Anything the engine reports as unknown,
unresolved or ambiguous stops the rewrite (the caller marks the call).
The result is rendered as Python source in the style of the original
(quotes, one line or one item per line, the original text of unchanged
leaves).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from migrator.idmap import EMPTY, IdMap
from migrator.rewrite.slugs import function_name
from migrator.ruleset import RuleSet
from migrator.ruleset.models import FieldMap, IdRef, ResourceRow
from migrator.ruleset.templates import template
from migrator.translate.context import Context, Report

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
"""A name or a dotted attribute: reading it twice gives the same value."""
HOLE_BASE = 0xF0000
"""Holes in body strings: plane-15 private-use characters (never in real code)."""


class Unsupported(Exception):
    """The body cannot be migrated; the message says why (for the marker)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)


@dataclass(frozen=True, eq=False)
class Opaque:
    """A value expression the codemod does not evaluate (copied as source text)."""

    text: str
    droppable: bool = True
    """Leaving it out of the body loses nothing (no call, no side effect)."""


@dataclass
class Holes:
    """Expressions standing in strings as private-use characters."""

    texts: list[str] = field(default_factory=list)

    def add(self, text: str) -> str:
        if _NAME.fullmatch(text) and text in self.texts:
            # the same name twice in one body holds the same value (a setting
            # named `f"workspaces/{ws}/..."` belongs to `f"workspaces/{ws}/..."`)
            return chr(HOLE_BASE + self.texts.index(text))
        self.texts.append(text)
        return chr(HOLE_BASE + len(self.texts) - 1)

    def show(self, text: str) -> str:
        """`text` with its holes written back as `{expression}` (for messages),
        also where a message quotes a value with `repr` (`'\\U000f0000'`)."""
        text = _ESCAPED_HOLE.sub(lambda m: chr(int(m.group(1), 16)) if is_hole(chr(int(m.group(1), 16))) else m.group(0),
                                 text)
        return "".join("{" + self.text(c) + "}" if is_hole(c) and ord(c) - HOLE_BASE < len(self.texts) else c
                       for c in text)

    def text(self, char: str) -> str:
        return self.texts[ord(char) - HOLE_BASE]


_ESCAPED_HOLE = re.compile(r"\\U([0-9a-fA-F]{8})")


def is_hole(char: str) -> bool:
    return HOLE_BASE <= ord(char) < HOLE_BASE + 0x10000


def has_hole(value: str) -> bool:
    return any(is_hole(c) for c in value)


# -- source → value ---------------------------------------------------------------


@dataclass
class Reader:
    src_code: Any  # callable(node) -> str | None
    holes: Holes
    leaves: dict[tuple[type, Any], str] = field(default_factory=dict)
    """Original source text of literal leaves, by (type, value)."""
    quotes: dict[str, int] = field(default_factory=lambda: {'"': 0, "'": 0})
    constant: Any = None
    """callable(node) -> str | None: the one text a name or call can hold."""
    bound: dict[int, cst.BaseExpression] = field(default_factory=dict)
    """Names (by id) read as the literal they are bound to (see `bodies_literal.mask_literals`)."""

    def code(self, node: cst.CSTNode) -> str:
        text = self.src_code(node)
        if text is None:
            raise Unsupported("part of the body has no position in the source")
        return text

    def value(self, node: cst.BaseExpression) -> Any:
        if id(node) in self.bound:
            return self.value(self.bound[id(node)])
        if isinstance(node, cst.Dict):
            out: dict[str, Any] = {}
            for element in node.elements:
                if not isinstance(element, cst.DictElement):
                    raise Unsupported("the body unpacks another mapping (`**`)")
                key = self.value(element.key)
                if not isinstance(key, str) or has_hole(key):
                    raise Unsupported("a key of the body is not a literal string")
                if key in out:
                    raise Unsupported(f"the key `{key}` is given twice")
                out[key] = self.value(element.value)
            return out
        if isinstance(node, cst.List):
            items: list[Any] = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    raise Unsupported("a list of the body unpacks another list (`*`)")
                items.append(self.value(element.value))
            return items
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return self._string(node)
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            value = {"True": True, "False": False, "None": None}[node.value]
            self.leaves.setdefault((type(value), value), node.value)
            return value
        if isinstance(node, (cst.Integer, cst.Float)) or (
            isinstance(node, cst.UnaryOperation)
            and isinstance(node.operator, cst.Minus)
            and isinstance(node.expression, (cst.Integer, cst.Float))
        ):
            text = self.code(node)
            value = ast.literal_eval(text)
            self.leaves.setdefault((type(value), value), text)
            return value
        if self.constant is not None and isinstance(node, (cst.Name, cst.Call, cst.BinaryOperation)):
            found = self.constant(node)
            if found is not None:
                # a name or call that can only hold this text: translated as
                # the text, written back as it is where the value is kept
                if isinstance(node, (cst.Name, cst.Attribute)):
                    self.leaves.setdefault((str, found), self.code(node))
                return found
        return Opaque(self.code(node), droppable=_pure(node))

    def _string(self, node: cst.BaseExpression) -> Any:
        text = self.code(node)
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if not isinstance(value, str):
                return Opaque(text)
            self._quote(node.quote)
            if has_hole(value):
                raise Unsupported("a string holds private-use characters")
            self.leaves.setdefault((str, value), text)
            return value
        if isinstance(node, cst.ConcatenatedString):
            left = self._string(node.left)
            right = self._string(node.right)
            if isinstance(left, str) and isinstance(right, str):
                value = left + right
                self.leaves.setdefault((str, value), text)
                return value
            return Opaque(text, droppable=False)
        assert isinstance(node, cst.FormattedString)
        self._quote(node.start.lstrip("fFrRbBuU"))
        if any(c in node.start.lower() for c in "rb"):
            return Opaque(text, droppable=False)
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                if "\\" in part.value or "{" in part.value or "}" in part.value or has_hole(part.value):
                    return Opaque(text, droppable=False)
                parts.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                if part.conversion is not None or part.format_spec is not None or part.equal is not None:
                    return Opaque(text, droppable=False)
                known = self.constant(part.expression) if self.constant is not None else None
                parts.append(known if known is not None else self.holes.add(self.code(part.expression)))
            else:
                return Opaque(text, droppable=False)
        value = "".join(parts)
        self.leaves.setdefault((str, value), text)
        return value

    def _quote(self, quote: str) -> None:
        if quote[:1] in self.quotes:
            self.quotes[quote[:1]] += 1


def _pure(node: cst.BaseExpression) -> bool:
    """Evaluating it has no effect: names, attributes, literals, containers of them."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(not isinstance(e, cst.StarredElement) and _pure(e.value) for e in node.elements)
    return False


# -- the check the engine cannot do -----------------------------------------------


def check_opaque(value: Any, resource: ResourceRow, rules: RuleSet, prefix: str = "") -> None:
    """Expressions may only stand where the field map copies them as they are:
    the engine passes a non-string through some transforms silently."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        dotted = prefix + key
        fmap = resource.fields.get(dotted)
        if fmap is None:
            if isinstance(item, dict) and any(n.startswith(dotted + ".") for n in resource.fields):
                check_opaque(item, resource, rules, dotted + ".")
            continue
        for output in (fmap, *fmap.also):
            if output.when == "response" or output.drop:
                continue
            _check_field(output, item, resource, rules, dotted)


def _check_field(fmap: FieldMap, item: Any, resource: ResourceRow, rules: RuleSet, dotted: str) -> None:
    plain = fmap.transform == "copy" and not (fmap.parse or fmap.id or fmap.enum or fmap.each)
    if isinstance(item, Opaque):
        if not plain:
            raise Unsupported(f"`{dotted}` is the expression `{item.text}`, whose value must be translated")
        return
    if isinstance(item, str) and has_hole(item):
        if fmap.transform in ("json-string", "upper") or fmap.enum:
            raise Unsupported(f"`{dotted}` is built at run time and must be translated")
        if fmap.parse and "/" not in item:
            raise Unsupported(f"`{dotted}` is a value held in an expression: its parts cannot be seen")
    if fmap.each and isinstance(item, (list, dict)):
        row = rules.resources[fmap.each]
        for element in item if isinstance(item, list) else [item]:
            if isinstance(element, Opaque):
                raise Unsupported(f"an item of `{dotted}` is an expression that must be translated")
            check_opaque(element, row, rules)
    if fmap.transform == "tracking-plan-rules" and isinstance(item, dict):
        for section, content in item.items():
            if isinstance(content, Opaque):
                raise Unsupported(f"`{dotted}.{section}` is an expression that must be translated")
            if isinstance(content, list):
                for event in content:
                    if isinstance(event, dict):
                        for k, v in event.items():
                            if k != "rules" and isinstance(v, Opaque):
                                raise Unsupported(f"`{dotted}.{section}[].{k}` is an expression")
    if fmap.transform == "config-settings" and isinstance(item, list):
        for setting in item:
            if isinstance(setting, dict) and isinstance(setting.get("name"), Opaque):
                raise Unsupported(f"a setting name in `{dotted}` is an expression")


# -- ids: the map, or the generated lookup module -----------------------------------


class CheckedContext(Context):
    """Translate's context with the conflict and Public-input checks of
    `migrator translate` (a value colliding with another on one Public key is
    reported as a `conflict`, never silently replaced; a key the Public call
    does not take is reported `dropped` under the endpoint row), but ids
    looked up as before: the rewrite reads the workspace of a path itself."""

    def __init__(self, rules: RuleSet, ids: IdMap, direction: Any) -> None:
        super().__init__(rules, ids, direction, checks=True)

    def resolve(self, ref: IdRef, params: dict[str, str], path: str, rule: str) -> str | None:
        self.checks = False
        try:
            return super().resolve(ref, params, path, rule)
        finally:
            self.checks = True

    def other_workspace(self, named: str | None) -> tuple[str, str] | None:
        return None  # the rewrite reads the workspace of a path itself


NO_LOOKUP = "needs the lookup module"
UNSEEN = "\x00"
"""A path value this function does not show (a parameter, say)."""


class BodyContext(CheckedContext):
    """Translate's context, with ids for keys held in expressions."""

    def __init__(
        self, rules: RuleSet, ids: IdMap | None, lookup_module: str | None, holes: Holes
    ) -> None:
        super().__init__(rules, ids or EMPTY, "request")
        self.has_ids = ids is not None
        self.lookup_module = lookup_module
        self.holes = holes
        self.used_lookup = False
        self.no_lookup = NO_LOOKUP
        """Why no lookup module is used (it is not given, or its name is taken here)."""
        self.config_defaults = True  # the body the Config call meant (`enabled: false` for a new destination)
        self.types = True  # a literal of another JSON type than the Public field takes (`"true"`) is marked
        self.for_later: list[Report] = []
        """Reports a run with `--ids` or `--lookup-module` resolves: a body
        also held back for another reason is marked for that one, as a run
        with the options would mark it (staged runs end where a direct one does)."""

    def typed(self, value: object) -> bool:
        return not isinstance(value, Opaque)  # an expression's type is not known here

    def first(self, bad: list[Report]) -> Report:
        """The report to mark a body with: one no further option resolves, if any."""
        return next((r for r in bad if r not in self.for_later), bad[0])

    def _for_later(self, path: str, rule: str, message: str) -> None:
        self.report("unresolved", path, rule, message)
        self.for_later.append(self.reports[-1])

    def resolve(self, ref: IdRef, params: dict[str, str], path: str, rule: str) -> str | None:
        if path == "url":
            return "{" + ref.lookup + "}"  # the paths kind writes the URL
        names = template(ref.key).params
        if any(n not in params for n in names):
            return super().resolve(ref, params, path, rule)
        values = [params[n] for n in names]
        if any(UNSEEN in v for v in values):
            return super().resolve(ref, params, path, rule)  # no map or lookup reads it
        if not any(has_hole(v) for v in values):
            if not self.has_ids:
                self._for_later(path, rule, f"the Public id of {ref.lookup} needs an id map (`--ids`)")
                return None
            return super().resolve(ref, params, path, rule)
        unread = self.ids.unread(ref.lookup) if self.has_ids else None
        if unread is not None:  # a lookup would surely raise
            self.report("unresolved", path, rule, f"the {ref.lookup} is held in an expression, and the id map could "
                        f"not read them all ({unread}) and holds none: a lookup would always fail; pass the id by hand")
            return None
        if self.lookup_module is None:
            message = f"the {ref.lookup} is held in an expression: {self.no_lookup}"
            if self.no_lookup == NO_LOOKUP:
                self._for_later(path, rule, message)
            else:
                self.report("unresolved", path, rule, message)  # the name is taken: no option helps
            return None
        args: list[str] = []
        for value in values:
            if has_hole(value) and (len(value) != 1):
                self.report("unresolved", path, rule, f"the {ref.lookup} is partly an expression")
                return None
            args.append(self.holes.text(value) if has_hole(value) else _quote_plain(value, '"'))
        self.used_lookup = True
        return Opaque(f"{self.lookup_module}.{function_name(ref.lookup)}({', '.join(args)})", droppable=False)  # type: ignore[return-value]


# -- value → source -----------------------------------------------------------------


@dataclass
class Style:
    quote: str
    multiline: bool
    indent: str
    unit: str
    width: int
    leaves: dict[tuple[type, Any], str]
    holes: Holes


def render(value: Any, style: Style) -> str:
    return _render(value, style, style.indent)


def _render(value: Any, style: Style, indent: str) -> str:
    if isinstance(value, dict):
        items = [f"{_render(k, style, indent)}: " for k in value]
        inner = indent + style.unit
        parts = [k + _render(v, style, inner) for k, v in zip(items, value.values())]
        return _container("{", "}", parts, style, indent, [_render(v, style, inner) for v in value.values()])
    if isinstance(value, list):
        inner = indent + style.unit
        parts = [_render(v, style, inner) for v in value]
        return _container("[", "]", parts, style, indent, parts)
    if isinstance(value, Opaque):
        return value.text
    if isinstance(value, bool) or value is None:
        return {True: "True", False: "False", None: "None"}[value]
    if isinstance(value, (int, float)):
        return style.leaves.get((type(value), value), repr(value))
    if isinstance(value, str):
        found = style.leaves.get((str, value))
        if found is not None:
            return found
        if has_hole(value):
            return _fstring(value, style)
        return _quote_plain(value, style.quote)
    raise Unsupported(f"a value of type {type(value).__name__} cannot be written back")


def _container(open_: str, close: str, parts: list[str], style: Style, indent: str, values: list[str]) -> str:
    flat = open_ + ", ".join(parts) + close
    if not parts:
        return open_ + close
    if not style.multiline or ("\n" not in "".join(parts) and len(indent) + len(flat) <= style.width):
        if "\n" not in flat:
            return flat
    inner = indent + style.unit
    return open_ + "\n" + "".join(f"{inner}{p},\n" for p in parts) + indent + close


def _quote_plain(value: str, quote: str) -> str:
    out = [quote]
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append(quote)
    return "".join(out)


def _fstring(value: str, style: Style) -> str:
    texts = [style.holes.text(c) for c in value if is_hole(c)]
    for quote in (style.quote, "'" if style.quote == '"' else '"'):
        if any(quote in t or "\\" in t or "\n" in t for t in texts):
            continue
        body: list[str] = []
        for ch in value:
            if is_hole(ch):
                body.append("{" + style.holes.text(ch) + "}")
            elif ch in "{}":
                body.append(ch * 2)
            else:
                body.append(_quote_plain(ch, quote)[1:-1])
        return "f" + quote + "".join(body) + quote
    raise Unsupported("an expression inside a string cannot be written back")


def contains_hole_or_opaque(value: Any) -> bool:
    if isinstance(value, Opaque):
        return True
    if isinstance(value, str):
        return has_hole(value)
    if isinstance(value, dict):
        return any(contains_hole_or_opaque(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_hole_or_opaque(v) for v in value)
    return False


def opaques(value: Any) -> list[Opaque]:
    if isinstance(value, Opaque):
        return [value]
    if isinstance(value, dict):
        return [o for v in value.values() for o in opaques(v)]
    if isinstance(value, list):
        return [o for v in value for o in opaques(v)]
    return []


def hole_texts(value: Any, holes: Holes) -> list[str]:
    if isinstance(value, str):
        return [holes.text(c) for c in value if is_hole(c)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in hole_texts(v, holes)]
    if isinstance(value, list):
        return [t for v in value for t in hole_texts(v, holes)]
    return []
