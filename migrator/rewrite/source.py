"""A Python file as the codemod sees it: original bytes, decoded text, the
libcst tree, and node spans measured in the ORIGINAL text.

libcst does not regenerate every file byte for byte (`except X :` loses its
space, a BOM disappears), and its position metadata is computed by
regenerating the code. So spans are computed on the regenerated text and
mapped back onto the original text; a span that touches a region where the
two differ maps to nothing, and nothing is ever edited there.
"""

from __future__ import annotations

import ast
import codecs
import re
import warnings
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import libcst as cst
from libcst._nodes.internal import CodegenState

from migrator.markers import in_ascii
from migrator.source_encoding import declared_encoding

NEWLINE = re.compile(r"\r\n|\r|\n")


class SourceError(Exception):
    """The file cannot be read as Python; the message says why and where."""


class _Record:
    """`with state.record_syntactic_position(node):` without a generator."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _SpanState, node: cst.CSTNode, start_node: object, end_node: object) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = self.state.position

    def __exit__(self, *exc: object) -> None:
        state = self.state
        spans = state.spans
        start = spans[id(self.start_node)][0] if self.start_node is not None else self.start
        end = spans[id(self.end_node)][1] if self.end_node is not None else state.position
        spans[id(self.node)] = (start, end)


class _SpanState(CodegenState):
    """Code generation that records each node's character span (by node id).

    libcst's own span provider does the same through a context-manager
    generator and node hashing; this is the same bookkeeping, cheaper."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.position = 0
        self.spans: dict[int, tuple[int, int]] = {}
        self._stack: list[int] = []

    def add_indent_tokens(self) -> None:
        tokens = self.indent_tokens
        self.tokens.extend(tokens)
        for token in tokens:
            self.position += len(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.position += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append(self.position)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._stack.pop()
        key = id(node)
        if key not in self.spans:
            self.spans[key] = (start, self.position)

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Record:
        return _Record(self, node, start_node, end_node)


@dataclass
class OffsetMap:
    """Regenerated-text offsets → original-text offsets (None where they differ)."""

    identity: bool
    gen_starts: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, original: str, generated: str) -> OffsetMap:
        if original == generated:
            return cls(identity=True)
        result = cls(identity=False)
        orig_lines = original.splitlines(keepends=True)
        gen_lines = generated.splitlines(keepends=True)
        orig_offsets = _prefix_sums(orig_lines)
        gen_offsets = _prefix_sums(gen_lines)
        matcher = SequenceMatcher(None, orig_lines, gen_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            o_start, g_start = orig_offsets[i1], gen_offsets[j1]
            if tag == "equal":
                result._add(g_start, o_start, orig_offsets[i2] - o_start)
            elif tag == "replace":
                a = original[o_start : orig_offsets[i2]]
                b = generated[g_start : gen_offsets[j2]]
                inner = SequenceMatcher(None, a, b, autojunk=False)
                for t, a1, a2, b1, _ in inner.get_opcodes():
                    if t == "equal":
                        result._add(g_start + b1, o_start + a1, a2 - a1)
        return result

    def _add(self, gen: int, orig: int, length: int) -> None:
        if length > 0:
            self.gen_starts.append(gen)
            self.orig_starts.append(orig)
            self.lengths.append(length)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a regenerated span; None unless it lies inside one unchanged block."""
        if self.identity:
            return start, end
        i = bisect_right(self.gen_starts, start) - 1
        if i < 0:
            return None
        g, o, n = self.gen_starts[i], self.orig_starts[i], self.lengths[i]
        # An empty span may sit at the very end of a block.
        if start >= g and end <= g + n and (start < g + n or start == end):
            return o + (start - g), o + (end - g)
        return None


def _prefix_sums(lines: list[str]) -> list[int]:
    sums = [0]
    for line in lines:
        sums.append(sums[-1] + len(line))
    return sums


class Source:
    """A parsed file. Spans (one libcst code generation pass) and the check
    that the original compiles are computed on first use: files whose
    strings cannot concern the Config API never pay for them."""

    def __init__(
        self, data: bytes, encoding: str, bom: bytes, text: str, module: cst.Module
    ) -> None:
        self.data = data
        self.encoding = encoding
        """Codec of the text after any BOM (`utf-8` when the file has a BOM)."""
        self.bom = bom
        self.text = text
        """Decoded text without the BOM, line endings as in the file."""
        self.module = module
        self._spans: dict[int, tuple[int, int]] | None = None
        self._map: OffsetMap | None = None
        self._line_starts: list[int] | None = None
        self._compiles: bool | None = None
        self.line_numbers: Sequence[int] | None = None
        """The file's line of each line, when the text is a slice of a file."""
        self.host_fold: re.Pattern[str] | None = None
        """The Config hosts in any case (`Table.host_fold`): chains read them lowercase (`strings.fold_hosts`)."""

    @classmethod
    def parse(cls, data: bytes) -> Source:
        encoding, bom = detect_encoding(data)
        try:
            text = data[len(bom) :].decode(encoding)
        except UnicodeDecodeError as exc:
            start = len(bom) + exc.start
            line = data[:start].count(b"\n") + 1
            raise SourceError(
                f"line {line}: not valid {encoding} (byte {data[start]:#04x}); "
                "the file must be valid in its declared encoding"
            ) from None
        except LookupError as exc:  # a cookie naming a codec of bytes (`hex`): Python refuses it too
            raise SourceError(f"its declared encoding: {exc}") from None
        if "\0" in text:  # Python refuses it; libcst does not, but later steps would
            line = text.count("\n", 0, text.index("\0")) + 1
            raise SourceError(f"line {line}: does not parse: a NUL byte (not a text file)")
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            raise SourceError(_syntax_message(text, exc)) from None
        except Exception as exc:  # libcst raises a few other errors on odd input
            raise SourceError(f"cannot parse: {exc}") from None
        return cls(data, encoding, bom, text, module)

    def _positions(self) -> None:
        state = _SpanState(self.module.default_indent, self.module.default_newline)
        self.module._codegen(state)
        self._spans = state.spans
        self._map = OffsetMap.build(self.text, "".join(state.tokens))

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = _line_starts(self.text)
        return self._line_starts

    @property
    def compiles(self) -> bool:
        """The original compiles with this Python (so the output is checked with `ast`)."""
        if self._compiles is None:
            self._compiles = _compiles(self.text)
        return self._compiles

    # -- positions -----------------------------------------------------------

    def span(self, node: cst.CSTNode) -> tuple[int, int] | None:
        """Offsets of `node` in the original text (parentheses excluded)."""
        if self._spans is None:
            self._positions()
        assert self._spans is not None and self._map is not None
        found = self._spans.get(id(node))
        if found is None:
            return None
        return self._map.span(found[0], found[1])

    def code(self, node: cst.CSTNode) -> str | None:
        found = self.span(node)
        return None if found is None else self.text[found[0] : found[1]]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line, 0-based column (characters) of a text offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1]

    def shown_line(self, line: int) -> int:
        """The line to report for `line`: the file's, when this is a slice."""
        numbers = self.line_numbers
        return numbers[line - 1] if numbers is not None and 0 < line <= len(numbers) else line

    def line_text(self, line: int) -> str:
        """Line `line` (1-based) without its terminator."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_newline(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        found = NEWLINE.search(self.text, start, end)
        return found.group(0) if found else self.module.default_newline

    # -- output --------------------------------------------------------------

    def encode(self, text: str, *, comment: bool = False) -> bytes | None:
        """`text` in the file's encoding; None when it cannot be encoded
        (comments say it in ASCII instead: `->` for `→`, then `?`)."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError:
            if comment:
                return in_ascii(text).encode(self.encoding, errors="replace")
            return None

    def splice(self, edits: list[tuple[int, int, bytes]]) -> bytes:
        """Original bytes with text ranges replaced by already encoded bytes.
        Bytes outside the ranges are copied, never re-encoded."""
        out = [self.bom]
        prev_char, prev_byte = 0, len(self.bom)
        for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
            start_byte = prev_byte + len(self.text[prev_char:start].encode(self.encoding))
            end_byte = start_byte + len(self.text[start:end].encode(self.encoding))
            out.append(self.data[prev_byte:start_byte])
            out.append(replacement)
            prev_char, prev_byte = end, end_byte
        out.append(self.data[prev_byte:])
        return b"".join(out)


def detect_encoding(data: bytes) -> tuple[str, bytes]:
    """(codec for the text after the BOM, the BOM bytes) as Python reads source."""
    try:
        encoding = declared_encoding(data)
    except SyntaxError as exc:
        raise SourceError(f"line {exc.lineno or 1}: {exc.msg}") from None
    if encoding == "utf-8-sig":
        return "utf-8", codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    return encoding, b""


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in NEWLINE.finditer(text)]


def _compiles(text: str) -> bool:
    return parses(text)


def parses(text: str | bytes) -> bool:
    """Does this source compile as Python (with this interpreter)?"""
    return parsed(text) is not None


_last_parsed: tuple[str | bytes, ast.Module | None] | None = None


def parsed(text: str | bytes) -> ast.Module | None:
    """The `ast` tree of this source, None when it does not compile. The last
    text's tree is kept: the output checked here is read again for the
    base constants it moved (`patched_bases`), without a second parse.
    Callers only read the tree."""
    global _last_parsed
    last = _last_parsed
    if last is not None and type(last[0]) is type(text) and last[0] == text:
        return last[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = compile(text, "<rewrite>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError):
            tree = None
    _last_parsed = (text, tree)
    return tree


def _syntax_message(text: str, exc: cst.ParserSyntaxError) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<rewrite>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except SyntaxError as syntax:
            return f"line {syntax.lineno}: does not parse: {syntax.msg}"
        except ValueError as value:
            return f"does not parse: {value}"
    return f"line {exc.raw_line}: does not parse: {exc.message}"
