"""From a wanted text to the smallest edits of the original source.

A kind describes the text it wants for a chain (`NewCell`/`NewHole` items,
see `strings`); `plan_edits` compares it with the chain in units of path
segments and turns the difference into edits inside the string tokens the
characters belong to: characters deleted or inserted (escaped for their
token), holes dropped together with their format argument, `%` value or
`+` operand, emptied pieces removed (kept as `""` when a comment or
another piece would change line), `.format`/`%` dropped when no
placeholder is left. Every plan is then checked by Python's own parser: the
edited expression must evaluate to exactly the wanted characters, filled
from exactly the wanted expressions, or nothing is edited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import libcst as cst

from migrator.rewrite import newer_fstrings
from migrator.rewrite.source import Source
from migrator.rewrite.strings import (
    SEPARATORS,
    Cell,
    Chain,
    FormatCall,
    Group,
    Hole,
    Item,
    NewCell,
    NewHole,
    NewItem,
    Operand,
    PercentOp,
    Span,
    Token,
    escape_for,
)

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
            last.key = (last.key[0] if not item.folded else "F", last.key[1] + item.char)  # type: ignore[operator]
        else:
            units.append(_Unit(("F" if item.folded else "L", item.char), cells=[item]))
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
        consumed = {h.index for item in wanted if isinstance(item, NewHole) for h in item.consumes}
        self._check_dropped(consumed)
        self.deleted_holes |= consumed
        return self._edits()

    def _check_dropped(self, consumed: set[int]) -> None:
        """A value that leaves the code must not be needed for its effect:
        `{(ws := slug)}`, `next(it)`, `ws.pop()` are kept and the chain left."""
        for hole in self.chain.holes:
            if hole.index not in self.deleted_holes or hole.index in consumed:
                continue
            container = hole.container
            if isinstance(container, PercentOp) and container.mapping:
                continue  # the mapping stays whole (or goes whole, checked below)
            if isinstance(container, FormatCall) and any(
                h.key == hole.key and h.index not in self.deleted_holes for h in container.placeholders
            ):
                continue  # the value still fills another placeholder
            if hole.node is None or not effect_free(hole.node):
                raise PlanError("a dropped value may have an effect")
        for fmt in self.chain.formats:
            if all(h.index in self.deleted_holes for h in fmt.placeholders) and fmt.placeholders:
                if not all(effect_free(a.value) for a in fmt.args):
                    raise PlanError("a dropped value may have an effect")
        for op in self.chain.percents:
            if all(h.index in self.deleted_holes for h in op.placeholders) and op.placeholders:
                if not effect_free(op.node.right):
                    raise PlanError("a dropped value may have an effect")

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
            for i, j in _runs([not a for a in alive]):
                span = self._piece_removal(group, i, j)
                if span is not None:
                    removed.append(span)
                    continue
                for token in group.tokens[i : j + 1]:  # kept empty (`""`), on its line
                    live_tokens[id(token)] = True

        # character deletions and insertions inside tokens
        for token in chain.tokens:
            edits.extend(self._token_edits(token))
            if token.fstring and live_tokens[id(token)]:
                edits.extend(self._plain_string(token))
        # replaced hole values
        for hole in chain.holes:
            text = self.replacements.get(hole.index)
            if text is not None and hole.index not in self.deleted_holes:
                if hole.expr_span is None:
                    raise PlanError("value expression unknown")
                edits.append(Edit(hole.expr_span[0], hole.expr_span[1], text))

        return _merge(edits, removed)

    def _plain_string(self, token: Token) -> list[Edit]:
        """An f-string left with no value: a plain string (`f"sources"` →
        `"sources"`, which linters accept), its doubled braces undone."""
        for item in self.chain.items:
            if isinstance(item, Hole) and item.token is token and item.index not in self.deleted_holes:
                return []
        if any(t is token and ("{" in text or "}" in text) for t, _, text, _ in self.inserts):
            return []
        if "f" not in token.prefix.lower():
            return []
        start = token.span[0]
        prefix = token.prefix.replace("f", "").replace("F", "")
        return [Edit(start, start + len(token.prefix), prefix), *self._unescape([token], "{}")]

    def _piece_removal(self, group: Group, i: int, j: int) -> Span | None:
        """The range that removes the emptied pieces i..j of `group` with
        nothing else changing line: a comment never moves to another piece,
        a kept piece never to another line. None when there is no such range
        (the emptied pieces then stay, as `""`)."""
        tokens = group.tokens
        first, last = tokens[i].span[0], tokens[j].span[1]
        before = (tokens[i - 1].span[1], last) if i > 0 else None
        if before is not None and not _moves(self._between_tokens(group, *before), across_lines=False):
            return before  # ` "dead"` after a piece of the same line
        if j + 1 < len(tokens):
            after = (first, tokens[j + 1].span[0])
            gap = "" if i == 0 else self._between_tokens(group, tokens[i - 1].span[1], first)
            starts_line = i == 0 or _NEWLINE.search(gap) is not None
            if not _moves(self._between_tokens(group, *after), across_lines=starts_line):
                return after  # the next piece takes the place of the emptied ones
        elif before is not None:
            rest = _NEWLINE.split(self.src.text[last:], maxsplit=1)[0]
            if "#" not in self._between_tokens(group, *before) and "#" not in rest:
                return before  # the last piece: what follows it on its line has no comment
        return None

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


def effect_free(node: cst.BaseExpression) -> bool:
    """Evaluating it only reads: names, attributes, subscripts, literals and
    operators on them, containers of them. No call, `:=`, `await`, lambda."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
        return True
    if isinstance(node, cst.Attribute):
        return effect_free(node.value)
    if isinstance(node, cst.Subscript):
        return effect_free(node.value) and all(
            isinstance(e.slice, cst.Index) and effect_free(e.slice.value) for e in node.slice
        )
    if isinstance(node, cst.ConcatenatedString):
        return effect_free(node.left) and effect_free(node.right)
    if isinstance(node, cst.FormattedString):
        return all(
            effect_free(p.expression) for p in node.parts if isinstance(p, cst.FormattedStringExpression)
        )
    if isinstance(node, cst.BinaryOperation):
        return effect_free(node.left) and effect_free(node.right)
    if isinstance(node, cst.UnaryOperation):
        return effect_free(node.expression)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(isinstance(e, cst.Element) and effect_free(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(
            isinstance(e, cst.DictElement) and effect_free(e.key) and effect_free(e.value) for e in node.elements
        )
    if isinstance(node, cst.Call) and all(a.star == "" and effect_free(a.value) for a in node.args):
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _READING_METHODS:
            if func.attr.value == "get" and not _key_like(node.args):
                return False  # `requests.get(url)`, `client.get(path)`: a request, not a read
            return effect_free(func.value)
        return dotted(func) in _READERS
    return False


_READERS = frozenset({
    "os.getenv", "os.environ.get", "getenv", "environ.get", "str", "quote", "quote_plus",
    "urllib.parse.quote", "urllib.parse.quote_plus", "parse.quote", "parse.quote_plus",
})
"""Calls that only read the environment (`{os.getenv("SEGMENT_WORKSPACE")}`)
or turn a value into text."""
_READING_METHODS = frozenset({"get", "lower", "upper", "casefold", "strip", "lstrip", "rstrip"})
"""Methods that only read a mapping (`cfg.get("workspace")`) or give new text."""


def _key_like(args: Sequence[cst.Arg]) -> bool:
    """`.get("workspace"[, default])`: a mapping's key, no URL or path."""
    if not 1 <= len(args) <= 2 or args[0].keyword is not None or not isinstance(args[0].value, cst.SimpleString):
        return False
    key = args[0].value.evaluated_value
    return isinstance(key, str) and "/" not in key


def dotted(node: cst.BaseExpression) -> str | None:
    """`requests.put`, `client.session.put`: names only, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def fmt_tokens(chain: Chain, fmt: FormatCall) -> list[Token]:
    return [t for t in chain.tokens if fmt.template_outer[0] <= t.span[0] < fmt.template_outer[1]]


def percent_tokens(chain: Chain, op: PercentOp) -> list[Token]:
    return [t for t in chain.tokens if op.left_outer[0] <= t.span[0] < op.left_outer[1]]


_NEWLINE = re.compile(r"\r\n?|\n")


def _moves(between: str, across_lines: bool) -> bool:
    """Removing this text (string tokens blanked) would lose or move a comment,
    or join two lines when that is not allowed."""
    return "#" in between or (not across_lines and _NEWLINE.search(between) is not None)


def _runs(dead: list[bool]) -> list[tuple[int, int]]:
    """First and last index of each run of dead items."""
    runs: list[tuple[int, int]] = []
    for i, d in enumerate(dead):
        if d and runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        elif d:
            runs.append((i, i))
    return runs


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

    def parsed(snippet: str) -> ast.Expression | None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return ast.parse(snippet, mode="eval")
            except (SyntaxError, ValueError):
                return None

    snippet = "(\n" + text + "\n)"
    fields: dict[str, str] = {}
    tree = parsed(snippet)
    if tree is None:  # maybe syntax of a newer Python (`f"{s["slug"]}"`) that libcst read in the file
        readable = newer_fstrings.readable(snippet)
        if readable is None:
            return None
        snippet, fields = readable
        tree = parsed(snippet)
        if tree is None:
            return None

    def segment(node: ast.AST) -> tuple[str, str | None]:
        shown = ast.get_source_segment(snippet, node)
        if fields and shown is not None:
            shown = newer_fstrings.HOLE.sub(lambda m: fields[m.group(0)], shown)
        return ("hole", _norm(shown))

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

