"""String expressions as chains of literal characters and holes.

A URL is rarely one literal. It is a plain string, an f-string, implicitly
concatenated pieces, a `.format` or `%` template, a `+` chain, or a mix.
`build_chain` turns any of these into one `Chain`: a sequence of `Cell`s
(literal characters, each with the span of source text that produced it)
and `Hole`s (values interpolated at run time: f-string expressions, format
and `%` placeholders, non-literal `+` operands).

`Chain.template()` is the text with each hole shown as one private-use
character, which the rewrite kinds match against the table. A kind
describes the text it wants (`NewCell`/`NewHole` items); `plan_edits` turns
that into the smallest edits of the original source: characters deleted or
inserted inside the string tokens they belong to, holes dropped together
with their format argument, tuple element or `+` operand. Every plan is
checked by re-reading the edited expression: the chain it yields must be
exactly the one asked for, or nothing is edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

import libcst as cst

from migrator.rewrite.source import Source, SourceError

PUA = 0xE000
"""Holes appear in templates as U+E000 + hole index."""
SEPARATORS = frozenset("/?&=")
"""Path text is compared in units of one separator and the text after it
(`/sources`), so edits keep whole segments together."""

Span = tuple[int, int]


def hole_char(index: int) -> str:
    return chr(PUA + index)


def is_hole_char(char: str) -> bool:
    return PUA <= ord(char) < PUA + 0x1000


# -- the model ----------------------------------------------------------------


@dataclass(eq=False)
class Token:
    """One string literal token: `"..."`, `f'...'`, `rb'''...'''`."""

    node: cst.SimpleString | cst.FormattedString
    span: Span
    prefix: str
    quote: str
    raw: bool
    is_bytes: bool
    fstring: bool
    braces: bool = False
    """Literal `{`/`}` must be doubled (f-string text, `.format` template)."""
    percent: bool = False
    """Literal `%` must be doubled (`%` template)."""


@dataclass(eq=False)
class Cell:
    char: str
    span: Span
    token: Token


HoleKind = Literal["fexpr", "format", "percent", "operand"]


@dataclass(eq=False)
class Hole:
    index: int
    kind: HoleKind
    text: str | None
    """Source text of the value expression (None when it cannot be known, e.g. `*args`)."""
    expr_span: Span | None
    raw: Span | None = None
    """Placeholder text inside its token (`{x}`, `{0}`, `%s`); None for operands."""
    token: Token | None = None
    plain: bool = True
    """No conversion, format spec or attribute access: a bare value."""
    container: FormatCall | PercentOp | None = None
    key: int | str | None = None
    auto: bool = False
    operand: Operand | None = None
    node: cst.BaseExpression | None = None
    """The value expression itself."""


Item = Cell | Hole


@dataclass(eq=False)
class Operand:
    node: cst.BaseExpression
    outer: Span
    is_string: bool
    tokens: list[Token] = field(default_factory=list)
    holes: list[Hole] = field(default_factory=list)


@dataclass(eq=False)
class FormatCall:
    call: cst.Call
    template_outer: Span
    call_span: Span
    args: list[cst.Arg]
    arg_spans: list[Span]
    has_star: bool
    placeholders: list[Hole] = field(default_factory=list)


@dataclass(eq=False)
class PercentOp:
    node: cst.BinaryOperation
    left_outer: Span
    right_outer: Span
    elements: list[Span] | None
    """Element spans when the right side is a tuple literal."""
    element_has_comma: list[bool]
    mapping: bool
    placeholders: list[Hole] = field(default_factory=list)


@dataclass(eq=False)
class Group:
    """Implicitly concatenated tokens (`"a" "b"`)."""

    tokens: list[Token]


@dataclass(eq=False)
class Chain:
    root: cst.BaseExpression
    outer: Span
    items: list[Item]
    tokens: list[Token]
    operands: list[Operand]
    """`+` operands in order (empty unless the root is a `+` chain)."""
    formats: list[FormatCall]
    percents: list[PercentOp]
    groups: list[Group]
    holes: list[Hole]

    def template(self) -> str:
        return "".join(
            item.char if isinstance(item, Cell) else hole_char(item.index) for item in self.items
        )

    def hole(self, char: str) -> Hole:
        return self.holes[ord(char) - PUA]

    @property
    def is_bytes(self) -> bool:
        return any(t.is_bytes for t in self.tokens)


@dataclass(frozen=True)
class NewCell:
    char: str


@dataclass(frozen=True)
class NewHole:
    hole: Hole
    replacement: str | None = None
    """New source text for the hole's value expression."""
    consumes: tuple[Hole, ...] = ()
    """Other holes folded into `replacement` (they disappear)."""


NewItem = NewCell | NewHole


def new_items(text: str, chain: Chain) -> list[NewItem]:
    """A template text (holes as private-use characters) as new items."""
    return [NewHole(chain.hole(c)) if is_hole_char(c) else NewCell(c) for c in text]


# -- building -----------------------------------------------------------------


class _Unsupported(Exception):
    pass


STRING_NODES = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)


def is_stringish(node: cst.CSTNode) -> bool:
    """A node `build_chain` reads as literal text (possibly with holes)."""
    if isinstance(node, STRING_NODES):
        return True
    if _format_template(node) is not None:
        return True
    return _percent_template(node) is not None


def _format_template(node: cst.CSTNode) -> cst.BaseExpression | None:
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
        and isinstance(node.func.value, (cst.SimpleString, cst.ConcatenatedString))
        and not _has_fstring(node.func.value)
    ):
        return node.func.value
    return None


def _percent_template(node: cst.CSTNode) -> cst.BaseExpression | None:
    if (
        isinstance(node, cst.BinaryOperation)
        and isinstance(node.operator, cst.Modulo)
        and isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString))
        and not _has_fstring(node.left)
    ):
        return node.left
    return None


def _has_fstring(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.FormattedString):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _has_fstring(node.left) or _has_fstring(node.right)
    return False


def is_plus(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)


def plus_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Operands of an unparenthesized left-to-right `+` chain."""
    if is_plus(node):
        assert isinstance(node, cst.BinaryOperation)
        left = node.left
        right = node.right
        out = plus_operands(left) if is_plus(left) and not left.lpar else [left]
        out.extend(plus_operands(right) if is_plus(right) and not right.lpar else [right])
        return out
    return [node]


def is_chain_root(node: cst.CSTNode) -> bool:
    """Could `build_chain` read this node (a string-ish node or a `+` chain
    with a string operand)?"""
    if is_plus(node):
        assert isinstance(node, cst.BinaryOperation)
        return any(is_stringish(o) for o in plus_operands(node))
    return is_stringish(node)


def is_value_join(node: cst.CSTNode) -> bool:
    """`a + b` or `f"{a}{b}"` without any literal text."""
    if is_plus(node):
        return True
    return isinstance(node, cst.FormattedString) and not any(
        isinstance(p, cst.FormattedStringText) for p in node.parts
    )


def absorbed_parts(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Sub-nodes that are part of the same string expression as `node`
    (literal pieces, inner `+` nodes, the template of a `.format` or `%`)."""
    out: list[cst.CSTNode] = []

    def strings(n: cst.CSTNode) -> None:
        out.append(n)
        if isinstance(n, cst.ConcatenatedString):
            strings(n.left)
            strings(n.right)
        elif isinstance(n, cst.Call) and _format_template(n) is not None:
            out.append(n.func)
            strings(n.func.value)  # type: ignore[attr-defined]
        elif isinstance(n, cst.BinaryOperation) and _percent_template(n) is not None:
            strings(n.left)

    if is_plus(node):
        stack = [node]
        while stack:
            current = stack.pop()
            out.append(current)
            assert isinstance(current, cst.BinaryOperation)
            for side in (current.left, current.right):
                if is_plus(side) and not side.lpar:  # type: ignore[attr-defined]
                    stack.append(side)
                elif is_stringish(side):
                    strings(side)
    else:
        strings(node)
    return out


def outer_span(src: Source, node: cst.CSTNode) -> Span | None:
    """The node's span including its own parentheses."""
    span = src.span(node)
    if span is None:
        return None
    lpar = getattr(node, "lpar", None) or ()
    rpar = getattr(node, "rpar", None) or ()
    if lpar and rpar:
        first, last = src.span(lpar[0]), src.span(rpar[-1])
        if first is None or last is None:
            return None
        return first[0], last[1]
    return span


class _Builder:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.items: list[Item] = []
        self.tokens: list[Token] = []
        self.holes: list[Hole] = []
        self.formats: list[FormatCall] = []
        self.percents: list[PercentOp] = []
        self.groups: list[Group] = []
        self.operands: list[Operand] = []

    def span(self, node: cst.CSTNode) -> Span:
        found = self.src.span(node)
        if found is None:
            raise _Unsupported("node in a region libcst does not reproduce")
        return found

    def outer(self, node: cst.CSTNode) -> Span:
        found = outer_span(self.src, node)
        if found is None:
            raise _Unsupported("node in a region libcst does not reproduce")
        return found

    def new_hole(self, **kwargs: object) -> Hole:
        hole = Hole(index=len(self.holes), **kwargs)  # type: ignore[arg-type]
        self.holes.append(hole)
        return hole

    # plain tokens, f-strings and implicit concatenation

    def stringish(self, node: cst.BaseExpression) -> tuple[list[Item], list[Token], list[Hole]]:
        """Items of a string-ish node (appended to self.items too)."""
        start_items, start_tokens, start_holes = len(self.items), len(self.tokens), len(self.holes)
        template = _format_template(node)
        percent = _percent_template(node)
        if template is not None:
            assert isinstance(node, cst.Call)
            self._format(node, template)
        elif percent is not None:
            assert isinstance(node, cst.BinaryOperation)
            self._percent(node, percent)
        else:
            self._strings(node)
        return (
            self.items[start_items:],
            self.tokens[start_tokens:],
            self.holes[start_holes:],
        )

    def _strings(self, node: cst.BaseExpression, mode: str = "plain") -> list[Token]:
        tokens: list[Token] = []
        self._collect(node, mode, tokens)
        if len(tokens) > 1:
            self.groups.append(Group(tokens))
        return tokens

    def _collect(self, node: cst.BaseExpression, mode: str, tokens: list[Token]) -> None:
        if isinstance(node, cst.ConcatenatedString):
            self._collect(node.left, mode, tokens)
            self._collect(node.right, mode, tokens)
        elif isinstance(node, cst.SimpleString):
            tokens.append(self._simple(node, mode))
        elif isinstance(node, cst.FormattedString):
            tokens.append(self._fstring(node))
        else:
            raise _Unsupported(f"not a string: {type(node).__name__}")

    def _token(self, node: cst.SimpleString | cst.FormattedString) -> Token:
        span = self.span(node)
        if isinstance(node, cst.SimpleString):
            code = node.value
            prefix = node.prefix
            quote = node.quote
        else:
            code = self.src.text[span[0] : span[1]]
            prefix = node.prefix
            quote = node.quote
        lower = prefix.lower()
        token = Token(
            node=node,
            span=span,
            prefix=prefix,
            quote=quote,
            raw="r" in lower,
            is_bytes="b" in lower,
            fstring="f" in lower,
            braces="f" in lower,
        )
        if len(code) != span[1] - span[0]:
            raise _Unsupported("token text does not match its span")
        self.tokens.append(token)
        return token

    def _simple(self, node: cst.SimpleString, mode: str) -> Token:
        token = self._token(node)
        body_start = token.span[0] + len(token.prefix) + len(token.quote)
        body = node.value[len(token.prefix) + len(token.quote) : len(node.value) - len(token.quote)]
        cells = _decode(body, body_start, token)
        if mode == "format":
            token.braces = True
            self._scan_format(cells, token)
        elif mode == "percent":
            token.percent = True
            self._scan_percent(cells, token)
        else:
            self.items.extend(cells)
        return token

    def _fstring(self, node: cst.FormattedString) -> Token:
        token = self._token(node)
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                start = self.span(part)[0]
                self.items.extend(_decode(part.value, start, token, fbraces=True))
            else:
                assert isinstance(part, cst.FormattedStringExpression)
                expr_span = self.span(part.expression)
                self.items.append(
                    self.new_hole(
                        kind="fexpr",
                        node=part.expression,
                        text=self.src.text[expr_span[0] : expr_span[1]],
                        expr_span=expr_span,
                        raw=self.span(part),
                        token=token,
                        plain=part.conversion is None
                        and part.format_spec is None
                        and part.equal is None,
                    )
                )
        return token

    # `.format` templates

    def _format(self, call: cst.Call, template: cst.BaseExpression) -> None:
        args = list(call.args)
        fmt = FormatCall(
            call=call,
            template_outer=self.outer(template),
            call_span=self.span(call),
            args=args,
            arg_spans=[self.span(a) for a in args],
            has_star=any(a.star for a in args),
        )
        self.formats.append(fmt)
        self._current_format = fmt
        self._auto = 0
        self._strings(template, "format")

    def _scan_format(self, cells: list[Cell], token: Token) -> None:
        fmt = self._current_format
        i = 0
        while i < len(cells):
            c = cells[i]
            if c.char == "{" and i + 1 < len(cells) and cells[i + 1].char == "{":
                self.items.append(Cell("{", (c.span[0], cells[i + 1].span[1]), token))
                i += 2
                continue
            if c.char == "}" and i + 1 < len(cells) and cells[i + 1].char == "}":
                self.items.append(Cell("}", (c.span[0], cells[i + 1].span[1]), token))
                i += 2
                continue
            if c.char == "}":
                raise _Unsupported("single '}' in a format template")
            if c.char != "{":
                self.items.append(c)
                i += 1
                continue
            depth, j = 1, i + 1
            while j < len(cells) and depth:
                if cells[j].char == "{":
                    depth += 1
                elif cells[j].char == "}":
                    depth -= 1
                j += 1
            if depth:
                raise _Unsupported("unterminated format placeholder")
            field_text = "".join(x.char for x in cells[i + 1 : j - 1])
            name = re.split(r"[!:\.\[]", field_text, maxsplit=1)[0]
            plain = name == field_text
            auto = name == ""
            key: int | str
            if auto:
                key = self._auto
                self._auto += 1
            elif name.isdigit():
                key = int(name)
            else:
                key = name
            text, expr_span, value = self._format_arg(fmt, key)
            hole = self.new_hole(
                kind="format",
                node=value,
                text=text,
                expr_span=expr_span,
                raw=(c.span[0], cells[j - 1].span[1]),
                token=token,
                plain=plain,
                container=fmt,
                key=key,
                auto=auto,
            )
            fmt.placeholders.append(hole)
            self.items.append(hole)
            i = j

    def _format_arg(
        self, fmt: FormatCall, key: int | str
    ) -> tuple[str | None, Span | None, cst.BaseExpression | None]:
        if fmt.has_star:
            return None, None, None
        if isinstance(key, int):
            positional = [a for a in fmt.args if a.keyword is None]
            if key >= len(positional):
                raise _Unsupported("format placeholder without an argument")
            arg = positional[key]
        else:
            named = [a for a in fmt.args if a.keyword is not None and a.keyword.value == key]
            if not named:
                raise _Unsupported("format placeholder without an argument")
            arg = named[0]
        span = self.span(arg.value)
        return self.src.text[span[0] : span[1]], span, arg.value

    # `%` templates

    def _percent(self, node: cst.BinaryOperation, template: cst.BaseExpression) -> None:
        right = node.right
        elements: list[Span] | None = None
        commas: list[bool] = []
        mapping = False
        if isinstance(right, cst.Tuple) and right.lpar:
            if any(isinstance(e, cst.StarredElement) for e in right.elements):
                raise _Unsupported("starred element in a % tuple")
            elements = [self.span(e.value) for e in right.elements]
            commas = [isinstance(e.comma, cst.Comma) for e in right.elements]
        elif isinstance(right, cst.Dict):
            mapping = True
        op = PercentOp(
            node=node,
            left_outer=self.outer(template),
            right_outer=self.outer(right),
            elements=elements,
            element_has_comma=commas,
            mapping=mapping,
        )
        self.percents.append(op)
        self._current_percent = op
        self._pos = 0
        self._right = right
        self._strings(template, "percent")

    def _scan_percent(self, cells: list[Cell], token: Token) -> None:
        op = self._current_percent
        i = 0
        while i < len(cells):
            c = cells[i]
            if c.char != "%":
                self.items.append(c)
                i += 1
                continue
            if i + 1 < len(cells) and cells[i + 1].char == "%":
                self.items.append(Cell("%", (c.span[0], cells[i + 1].span[1]), token))
                i += 2
                continue
            j = i + 1
            name: str | None = None
            if j < len(cells) and cells[j].char == "(":
                k = j
                while k < len(cells) and cells[k].char != ")":
                    k += 1
                if k == len(cells):
                    raise _Unsupported("unterminated %(name)")
                name = "".join(x.char for x in cells[j + 1 : k])
                j = k + 1
            spec_start = j
            while j < len(cells) and cells[j].char not in "diouxXeEfFgGcrsa":
                if cells[j].char == "*":
                    raise _Unsupported("'*' width in a % template")
                j += 1
            if j == len(cells):
                raise _Unsupported("unterminated % placeholder")
            conversion = cells[j].char
            plain = j == spec_start and conversion in "sdi"
            key: int | str
            if name is not None:
                key = name
                text, expr_span = self._percent_value(op, name)
            else:
                key = self._pos
                self._pos += 1
                text, expr_span = self._percent_value(op, key)
            hole = self.new_hole(
                kind="percent",
                text=text,
                expr_span=expr_span,
                raw=(c.span[0], cells[j].span[1]),
                token=token,
                plain=plain,
                container=op,
                key=key,
            )
            op.placeholders.append(hole)
            self.items.append(hole)
            i = j + 1

    def _percent_value(self, op: PercentOp, key: int | str) -> tuple[str | None, Span | None]:
        right = self._right
        if isinstance(key, str):
            if isinstance(right, cst.Dict):
                for element in right.elements:
                    if (
                        isinstance(element, cst.DictElement)
                        and isinstance(element.key, cst.SimpleString)
                        and element.key.evaluated_value == key
                    ):
                        span = self.span(element.value)
                        return self.src.text[span[0] : span[1]], span
            return None, None
        if op.elements is not None:
            if key >= len(op.elements):
                raise _Unsupported("% placeholder without a value")
            span = op.elements[key]
            return self.src.text[span[0] : span[1]], span
        if key == 0:
            span = self.span(right)
            return self.src.text[span[0] : span[1]], span
        raise _Unsupported("% placeholder without a value")

    # `+` chains

    def plus(self, node: cst.BinaryOperation) -> None:
        for operand_node in plus_operands(node):
            outer = self.outer(operand_node)
            if is_stringish(operand_node):
                operand = Operand(node=operand_node, outer=outer, is_string=True)
                _, tokens, holes = self.stringish(operand_node)
                operand.tokens, operand.holes = tokens, holes
            else:
                operand = Operand(node=operand_node, outer=outer, is_string=False)
                span = self.span(operand_node)
                hole = self.new_hole(
                    kind="operand",
                    node=operand_node,
                    text=self.src.text[span[0] : span[1]],
                    expr_span=span,
                )
                hole.operand = operand
                operand.holes = [hole]
                self.items.append(hole)
            self.operands.append(operand)
        for operand in self.operands:
            for hole in operand.holes:
                hole.operand = operand


def build_chain(src: Source, node: cst.BaseExpression) -> Chain | None:
    """The chain of a string-ish expression or `+` chain; None if it is not one
    (or uses a form this module does not read, e.g. `%*d`)."""
    builder = _Builder(src)
    try:
        if is_plus(node):
            assert isinstance(node, cst.BinaryOperation)
            operands = plus_operands(node)
            if not any(is_stringish(o) for o in operands):
                return None
            builder.plus(node)
        elif is_stringish(node):
            builder.stringish(node)
        else:
            return None
        outer = builder.outer(node)
    except _Unsupported:
        return None
    if not any(isinstance(item, Cell) for item in builder.items):
        return None
    return Chain(
        root=node,
        outer=outer,
        items=builder.items,
        tokens=builder.tokens,
        operands=builder.operands,
        formats=builder.formats,
        percents=builder.percents,
        groups=builder.groups,
        holes=builder.holes,
    )


_SIMPLE_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


def _decode(body: str, offset: int, token: Token, *, fbraces: bool = False) -> list[Cell]:
    """Characters of a literal body with the source span of each."""
    cells: list[Cell] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if fbraces and c in "{}" and i + 1 < n and body[i + 1] == c:
            cells.append(Cell(c, (offset + i, offset + i + 2), token))
            i += 2
            continue
        if c != "\\" or token.raw:
            cells.append(Cell(c, (offset + i, offset + i + 1), token))
            i += 1
            continue
        if i + 1 >= n:
            raise _Unsupported("dangling backslash")
        nxt = body[i + 1]
        if nxt == "\n":
            i += 2
            continue
        if nxt == "\r":
            i += 3 if body[i + 2 : i + 3] == "\n" else 2
            continue
        if nxt in _SIMPLE_ESCAPES:
            cells.append(Cell(_SIMPLE_ESCAPES[nxt], (offset + i, offset + i + 2), token))
            i += 2
            continue
        if nxt in "01234567":
            j = i + 1
            while j < n and j < i + 4 and body[j] in "01234567":
                j += 1
            cells.append(Cell(chr(int(body[i + 1 : j], 8)), (offset + i, offset + j), token))
            i = j
            continue
        width = {"x": 2, "u": 4, "U": 8}.get(nxt)
        if width and not (token.is_bytes and nxt != "x"):
            digits = body[i + 2 : i + 2 + width]
            if len(digits) != width or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _Unsupported("bad escape")
            cells.append(Cell(chr(int(digits, 16)), (offset + i, offset + i + 2 + width), token))
            i += 2 + width
            continue
        if nxt == "N" and not token.is_bytes:
            raise _Unsupported("\\N{...} escape")
        # Unknown escapes keep the backslash.
        cells.append(Cell("\\", (offset + i, offset + i + 1), token))
        i += 1
    return cells


def escape_for(token: Token, text: str) -> str | None:
    """Source text that reads as `text` inside `token`; None if impossible."""
    if token.is_bytes and not text.isascii():
        return None
    out = []
    for c in text:
        if token.raw:
            if c in ("\\", "\n", "\r") or c == token.quote[0]:
                return None
            out.append(c)
            continue
        if c == "\\":
            out.append("\\\\")
        elif c == token.quote[0]:
            out.append("\\" + c)
        elif c in "\n\r" and len(token.quote) == 1:
            out.append("\\n" if c == "\n" else "\\r")
        else:
            out.append(c)
    escaped = "".join(out)
    if token.braces:
        escaped = escaped.replace("{", "{{").replace("}", "}}")
    if token.percent:
        escaped = escaped.replace("%", "%%")
    return escaped


# -- planning edits -----------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass
class _Unit:
    key: tuple[str, object]
    cells: list[Cell] = field(default_factory=list)
    hole: Hole | None = None
    new: NewHole | None = None


def _old_units(items: list[Item]) -> list[_Unit]:
    units: list[_Unit] = []
    for item in items:
        if isinstance(item, Hole):
            units.append(_Unit(("H", item.index), hole=item))
            continue
        last = units[-1] if units else None
        if (
            last is not None
            and last.hole is None
            and last.cells[-1].token is item.token
            and item.char not in SEPARATORS
        ):
            last.cells.append(item)
            last.key = ("L", last.key[1] + item.char)  # type: ignore[operator]
        else:
            units.append(_Unit(("L", item.char), cells=[item]))
    return units


def _new_units(items: list[NewItem]) -> list[_Unit]:
    units: list[_Unit] = []
    text = ""
    for item in items:
        if isinstance(item, NewHole):
            if text:
                units.extend(_split_text(text))
                text = ""
            units.append(_Unit(("H", item.hole.index), hole=item.hole, new=item))
        else:
            text += item.char
    if text:
        units.extend(_split_text(text))
    return units


def _split_text(text: str) -> list[_Unit]:
    return [_Unit(("L", part)) for part in re.findall(r"[/?&=][^/?&=]*|[^/?&=]+", text)]


class PlanError(Exception):
    """The wanted text cannot be reached by small edits of this expression."""


def plan_edits(src: Source, chain: Chain, wanted: list[NewItem]) -> list[Edit]:
    """Edits of the original text that make `chain` read as `wanted`.

    Raises PlanError when that is not possible or not provably right.
    """
    plan = _Plan(src, chain)
    edits = plan.run(wanted)
    verify(src, chain, edits, wanted)
    return edits


class _Plan:
    def __init__(self, src: Source, chain: Chain) -> None:
        self.src = src
        self.chain = chain
        self.deleted_cells: set[int] = set()
        self.deleted_holes: set[int] = set()
        self.inserts: list[tuple[Token, int, str, int]] = []  # token, pos, text, order
        self.replacements: dict[int, str] = {}

    def run(self, wanted: list[NewItem]) -> list[Edit]:
        old = _old_units(self.chain.items)
        new = _new_units(wanted)
        matcher = SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                    if n.new is not None and n.new.replacement is not None:
                        self.replacements[n.new.hole.index] = n.new.replacement
                continue
            if tag in ("delete", "replace"):
                for unit in old[i1:i2]:
                    self._delete(unit)
            if tag in ("insert", "replace"):
                if any(u.hole is not None for u in new[j1:j2]):
                    raise PlanError("a value would move")
                literals = [u for u in old[i1:i2] if u.hole is None]
                tokens = {id(u.cells[0].token) for u in literals}
                if tag == "replace" and j2 - j1 >= 2 and len(tokens) >= 2:
                    # Keep the pieces on their lines: the last new segment goes
                    # where the last replaced literal was.
                    head = "".join(str(u.key[1]) for u in new[j1 : j2 - 1])
                    tail = str(new[j2 - 1].key[1])
                    last = old.index(literals[-1], i1)
                    self._insert(old, i1, last, head)
                    self._insert(old, last, i2, tail)
                    continue
                text = "".join(str(u.key[1]) for u in new[j1:j2])
                self._insert(old, i1, i2, text)
        for item in wanted:
            if isinstance(item, NewHole):
                for consumed in item.consumes:
                    self.deleted_holes.add(consumed.index)
        return self._edits()

    def _delete(self, unit: _Unit) -> None:
        if unit.hole is not None:
            self.deleted_holes.add(unit.hole.index)
        for cell in unit.cells:
            self.deleted_cells.add(id(cell))

    def _anchor_after(self, unit: _Unit) -> tuple[Token, int] | None:
        if unit.hole is None:
            return unit.cells[-1].token, unit.cells[-1].span[1]
        if unit.hole.token is not None and unit.hole.raw is not None:
            return unit.hole.token, unit.hole.raw[1]
        return None

    def _anchor_before(self, unit: _Unit) -> tuple[Token, int] | None:
        if unit.hole is None:
            return unit.cells[0].token, unit.cells[0].span[0]
        if unit.hole.token is not None and unit.hole.raw is not None:
            return unit.hole.token, unit.hole.raw[0]
        return None

    def _insert(self, old: list[_Unit], i1: int, i2: int, text: str) -> None:
        candidates: list[tuple[Token, int] | None] = []
        for unit in old[i1:i2]:  # replaced literals: put the text where they were
            if unit.hole is None:
                candidates.append(self._anchor_before(unit))
        if i1 > 0:
            candidates.append(self._anchor_after(old[i1 - 1]))
        if i2 < len(old):
            candidates.append(self._anchor_before(old[i2]))
        for candidate in candidates:
            if candidate is None:
                continue
            token, pos = candidate
            escaped = escape_for(token, text)
            if escaped is not None:
                self.inserts.append((token, pos, escaped, len(self.inserts)))
                return
        raise PlanError("no string literal to hold the new text")

    # -- turning decisions into edits ----------------------------------------

    def _edits(self) -> list[Edit]:
        chain = self.chain
        edits: list[Edit] = []
        removed: list[Span] = []  # whole ranges removed (operands, format calls, ...)

        live_tokens: dict[int, bool] = {}
        for token in chain.tokens:
            live_tokens[id(token)] = self._token_alive(token)

        # format calls
        for fmt in chain.formats:
            edits.extend(self._format_edits(fmt, removed))
        # % operations
        for op in chain.percents:
            edits.extend(self._percent_edits(op, removed))

        # + operands
        if chain.operands:
            dead = [self._operand_dead(o, live_tokens) for o in chain.operands]
            if all(dead):
                raise PlanError("nothing would be left of the expression")
            removed.extend(_removal_ranges([o.outer for o in chain.operands], dead))

        # implicitly concatenated tokens that end up empty
        for group in chain.groups:
            alive = [live_tokens[id(t)] for t in group.tokens]
            if not any(alive):
                alive[0] = True  # keep one (empty) token
            spans = [t.span for t in group.tokens]
            dead = [not a for a in alive]
            for start, end in _removal_ranges(spans, dead):
                if "#" in self._between_tokens(group, start, end):
                    continue  # a comment sits between the pieces: keep the empty piece
                removed.append((start, end))

        # character deletions and insertions inside tokens
        for token in chain.tokens:
            edits.extend(self._token_edits(token))
        # replaced hole values
        for hole in chain.holes:
            text = self.replacements.get(hole.index)
            if text is not None and hole.index not in self.deleted_holes:
                if hole.expr_span is None:
                    raise PlanError("value expression unknown")
                edits.append(Edit(hole.expr_span[0], hole.expr_span[1], text))

        return _merge(edits, removed)

    def _between_tokens(self, group: Group, start: int, end: int) -> str:
        """Source in [start, end) with the string tokens blanked out."""
        chars = list(self.src.text[start:end])
        for token in group.tokens:
            a, b = max(token.span[0], start), min(token.span[1], end)
            for i in range(a, b):
                chars[i - start] = " "
        return "".join(chars)

    def _token_alive(self, token: Token) -> bool:
        for item in self.chain.items:
            if isinstance(item, Cell) and item.token is token and id(item) not in self.deleted_cells:
                return True
            if isinstance(item, Hole) and item.token is token and item.index not in self.deleted_holes:
                return True
        return any(t is token and text for t, _, text, _ in self.inserts)

    def _operand_dead(self, operand: Operand, live_tokens: dict[int, bool]) -> bool:
        if not operand.is_string:
            return all(h.index in self.deleted_holes for h in operand.holes)
        if any(live_tokens[id(t)] for t in operand.tokens):
            return False
        return all(h.index in self.deleted_holes for h in operand.holes)

    def _token_edits(self, token: Token) -> list[Edit]:
        edits: list[Edit] = []
        for item in self.chain.items:
            if isinstance(item, Cell) and item.token is token and id(item) in self.deleted_cells:
                edits.append(Edit(item.span[0], item.span[1], ""))
            elif (
                isinstance(item, Hole)
                and item.token is token
                and item.index in self.deleted_holes
                and item.raw is not None
            ):
                edits.append(Edit(item.raw[0], item.raw[1], ""))
        for t, pos, text, order in sorted(self.inserts, key=lambda x: (x[1], x[3])):
            if t is token:
                edits.append(Edit(pos, pos, text))
        return edits

    def _format_edits(self, fmt: FormatCall, removed: list[Span]) -> list[Edit]:
        kept = [h for h in fmt.placeholders if h.index not in self.deleted_holes]
        gone = [h for h in fmt.placeholders if h.index in self.deleted_holes]
        if not gone:
            return []
        if fmt.has_star:
            raise PlanError("cannot drop a value passed through *args/**kwargs")
        edits: list[Edit] = []
        if not kept:
            # No placeholder left: drop `.format(...)` and unescape doubled braces.
            removed.append((fmt.template_outer[1], fmt.call_span[1]))
            edits.extend(self._unescape(fmt_tokens(self.chain, fmt), "{}"))
            return edits
        used = {h.key for h in kept}
        positional = [i for i, a in enumerate(fmt.args) if a.keyword is None]
        drop_args: list[int] = []
        dropped_positions: list[int] = []
        for h in gone:
            if h.key in used:
                continue
            if isinstance(h.key, int):
                drop_args.append(positional[h.key])
                dropped_positions.append(h.key)
            else:
                drop_args.extend(
                    i
                    for i, a in enumerate(fmt.args)
                    if a.keyword is not None and a.keyword.value == h.key
                )
        if any(not h.auto and isinstance(h.key, int) for h in kept) and dropped_positions:
            for h in kept:
                if h.auto or not isinstance(h.key, int):
                    continue
                shift = sum(1 for p in dropped_positions if p < h.key)
                if shift:
                    assert h.raw is not None
                    raw = self.src.text[h.raw[0] : h.raw[1]]
                    m = re.fullmatch(r"\{(\d+)(.*)\}", raw, re.S)
                    if not m:
                        raise PlanError("placeholder written with escapes")
                    edits.append(Edit(h.raw[0], h.raw[1], "{" + str(h.key - shift) + m.group(2) + "}"))
        dead = [i in drop_args for i in range(len(fmt.args))]
        removed.extend(_removal_ranges(fmt.arg_spans, dead))
        return edits

    def _percent_edits(self, op: PercentOp, removed: list[Span]) -> list[Edit]:
        kept = [h for h in op.placeholders if h.index not in self.deleted_holes]
        gone = [h for h in op.placeholders if h.index in self.deleted_holes]
        if not gone:
            return []
        edits: list[Edit] = []
        if not kept:
            removed.append((op.left_outer[1], op.right_outer[1]))
            edits.extend(self._unescape(percent_tokens(self.chain, op), "%"))
            return edits
        if op.mapping:
            return []  # unused mapping keys are harmless
        if op.elements is None:
            raise PlanError("cannot drop a value from a non-literal % operand")
        dead = [False] * len(op.elements)
        for h in gone:
            assert isinstance(h.key, int)
            dead[h.key] = True
        removed.extend(_removal_ranges(op.elements, dead))
        alive = [i for i, d in enumerate(dead) if not d]
        if len(alive) == 1:
            # one value left: keep the tuple a tuple; its own comma survives
            # only when it is the last element
            a = alive[0]
            if not (a == len(dead) - 1 and op.element_has_comma[a]):
                end = op.elements[a][1]
                edits.append(Edit(end, end, ","))
        return edits

    def _unescape(self, tokens: list[Token], chars: str) -> list[Edit]:
        edits = []
        for item in self.chain.items:
            if (
                isinstance(item, Cell)
                and item.char in chars
                and any(item.token is t for t in tokens)
                and id(item) not in self.deleted_cells
                and item.span[1] - item.span[0] == 2
                and self.src.text[item.span[0] : item.span[1]] == item.char * 2
            ):
                edits.append(Edit(item.span[0], item.span[1], item.char))
        return edits


def fmt_tokens(chain: Chain, fmt: FormatCall) -> list[Token]:
    return [t for t in chain.tokens if fmt.template_outer[0] <= t.span[0] < fmt.template_outer[1]]


def percent_tokens(chain: Chain, op: PercentOp) -> list[Token]:
    return [t for t in chain.tokens if op.left_outer[0] <= t.span[0] < op.left_outer[1]]


def _removal_ranges(spans: list[Span], dead: list[bool]) -> list[Span]:
    """Ranges that remove the dead items of a separated list (operands,
    arguments, tuple elements, tokens) together with one separator each."""
    ranges: list[Span] = []
    n = len(spans)
    i = 0
    while i < n:
        if not dead[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and dead[j + 1]:
            j += 1
        if i > 0:
            ranges.append((spans[i - 1][1], spans[j][1]))
        elif j + 1 < n:
            ranges.append((spans[0][0], spans[j + 1][0]))
        else:
            ranges.append((spans[0][0], spans[j][1]))
        i = j + 1
    return ranges


def _merge(edits: list[Edit], removed: list[Span]) -> list[Edit]:
    """Drop edits inside removed ranges; fail on any other overlap."""
    out: list[Edit] = [Edit(start, end, "") for start, end in _union(removed)]
    for edit in edits:
        if any(
            start <= edit.start and edit.end <= end and not (edit.start == edit.end == start)
            for start, end in _union(removed)
        ):
            continue
        out.append(edit)
    out.sort(key=lambda e: (e.start, e.end))
    for a, b in zip(out, out[1:]):
        if b.start < a.end:
            raise PlanError("overlapping edits")
    return out


def _union(spans: list[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def apply(text: str, edits: list[Edit], offset: int = 0) -> str:
    out = []
    last = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[last : edit.start - offset])
        out.append(edit.text)
        last = edit.end - offset
    out.append(text[last:])
    return "".join(out)


# -- verification -------------------------------------------------------------


def _norm(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def verify(src: Source, chain: Chain, edits: list[Edit], wanted: list[NewItem]) -> None:
    """Re-read the edited expression with Python's own parser; what it
    evaluates to (literal characters, and which expressions fill the holes)
    must be exactly the wanted chain."""
    start, end = chain.outer
    new_text = apply(src.text[start:end], edits, start)
    expected: list[str | tuple[str, str | None]] = []
    for item in wanted:
        if isinstance(item, NewCell):
            expected.append(item.char)
        else:
            text = item.replacement if item.replacement is not None else item.hole.text
            expected.append(("hole", _norm(text)))
    found = ast_signature(new_text)
    if found is None:
        raise PlanError("edited expression does not parse")
    if found != expected:
        raise PlanError("edited expression does not read as intended")


_PERCENT = re.compile(r"%(?:\(([^)]*)\))?[#0\- +]*(?:\d+)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def ast_signature(text: str) -> list[str | tuple[str, str | None]] | None:
    """Literal characters and ("hole", source) items of a string expression,
    as Python reads it; None when it does not parse or is not understood."""
    import ast
    import string
    import warnings

    snippet = "(\n" + text + "\n)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(snippet, mode="eval")
        except (SyntaxError, ValueError):
            return None

    def segment(node: ast.AST) -> tuple[str, str | None]:
        return ("hole", _norm(ast.get_source_segment(snippet, node)))

    def chars(value: object) -> list[str | tuple[str, str | None]]:
        if isinstance(value, bytes):
            return list(value.decode("latin-1"))
        return list(str(value))

    def sig(node: ast.AST) -> list[str | tuple[str, str | None]]:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            return chars(node.value)
        if isinstance(node, ast.JoinedStr):
            out: list[str | tuple[str, str | None]] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    out.extend(chars(value.value))
                elif isinstance(value, ast.FormattedValue):
                    out.append(segment(value.value))
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return sig(node.left) + sig(node.right)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
        ):
            out = []
            auto = 0
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            for literal, field_name, _, _ in string.Formatter().parse(node.func.value.value):
                out.extend(literal)
                if field_name is None:
                    continue
                name = re.split(r"[.\[]", field_name, maxsplit=1)[0]
                if name == "":
                    value = node.args[auto] if auto < len(node.args) else None
                    auto += 1
                elif name.isdigit():
                    value = node.args[int(name)] if int(name) < len(node.args) else None
                else:
                    value = keywords.get(name)
                out.append(segment(value) if value is not None else ("hole", None))
            return out
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
        ):
            template = node.left.value
            right = node.right
            values = right.elts if isinstance(right, ast.Tuple) else [right]
            out = []
            last = 0
            position = 0
            for m in _PERCENT.finditer(template):
                out.extend(template[last : m.start()])
                last = m.end()
                if m.group(2) == "%":
                    out.append("%")
                    continue
                if m.group(1) is not None:
                    value = None
                    if isinstance(right, ast.Dict):
                        for k, v in zip(right.keys, right.values):
                            if isinstance(k, ast.Constant) and k.value == m.group(1):
                                value = v
                    out.append(segment(value) if value is not None else ("hole", None))
                else:
                    value = values[position] if position < len(values) else None
                    position += 1
                    out.append(segment(value) if value is not None else ("hole", None))
            out.extend(template[last:])
            return out
        return [segment(node)]

    return sig(tree.body)


Resolver = Callable[[Hole], str | None]
