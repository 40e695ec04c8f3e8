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
that into the smallest edits of the original source (see `edits`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from migrator.rewrite.source import Source

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
    folded: bool = False
    """Lowercased: a letter of a Config host written in capitals (`fold_hosts`)."""


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
    """Element spans (with their own parentheses) when the right side is a tuple literal."""
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
        prefix = code[: len(prefix)]  # as written: libcst lowercases `Rf`
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
            elements = [self.outer(e.value) for e in right.elements]
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
                node=self._percent_node(key),
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
            span = self.span(right.elements[key].value)  # type: ignore[attr-defined]
            return self.src.text[span[0] : span[1]], span
        if key == 0:
            span = self.span(right)
            return self.src.text[span[0] : span[1]], span
        raise _Unsupported("% placeholder without a value")

    def _percent_node(self, key: int | str) -> cst.BaseExpression | None:
        """The value expression of a `%` placeholder (for name resolution)."""
        right = self._right
        if isinstance(key, str):
            if isinstance(right, cst.Dict):
                for element in right.elements:
                    if (
                        isinstance(element, cst.DictElement)
                        and isinstance(element.key, cst.SimpleString)
                        and element.key.evaluated_value == key
                    ):
                        return element.value
            return None
        if isinstance(right, cst.Tuple) and right.lpar:
            return right.elements[key].value if key < len(right.elements) else None
        return right if key == 0 else None

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
    if any(isinstance(item, Cell) and is_hole_char(item.char) for item in builder.items):
        return None  # literal private-use characters would read as holes
    if src.host_fold is not None:
        fold_hosts(builder.items, src.host_fold)
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


def fold_hosts(items: list[Item], pattern: re.Pattern[str]) -> None:
    """A Config host in capitals (`https://Platform.SegmentAPIs.com`) is the
    same host (host names are case-insensitive): its cells read lowercase, so
    every kind sees it as it sees the host written lowercase; `plan_edits`
    writes any such cell it keeps lowercase."""
    text = "".join(item.char if isinstance(item, Cell) else hole_char(0) for item in items)
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            cell = items[i]
            assert isinstance(cell, Cell)
            if not cell.char.islower() and cell.char.lower() != cell.char:
                items[i] = Cell(cell.char.lower(), cell.span, cell.token, folded=True)


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
