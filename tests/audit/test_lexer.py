"""The shared reading of strings, comments and brackets (`migrator.audit.lexer`)."""

from __future__ import annotations

import re

import pytest

from migrator.audit import lexer


@pytest.mark.parametrize(("text", "found"), [
    (r"""x = 'a\'b' + "c\"d" # 'e'""", ["'a\\'b'", '"c\\"d"', "'e'"]),
    ("'open\n'", []),  # closed on its line only
    (r"'a\\' 'b'", ["'a\\\\'", "'b'"]),  # an escaped backslash ends no escape
    ("'a\\\n'", []),  # no escaped line break
])
def test_quoted(text: str, found: list[str]) -> None:
    assert re.findall(lexer.QUOTED, text) == found


def test_backtick_spans_lines() -> None:
    assert re.findall(lexer.BACKTICK, "a `b\n\\`c` d `e") == ["`b\n\\`c`"]


def test_hash_comment() -> None:
    assert re.findall(f"{lexer.QUOTED}|{lexer.HASH_COMMENT}", "x = '#' # note\ny") == ["'#'", "# note"]


@pytest.mark.parametrize(("text", "at", "hash_comments", "end"), [
    ("a // b\nc", 2, False, 6),
    ("a // b", 2, False, 6),
    ("a /* b\n */ c", 2, False, 10),
    ("a /* b", 2, False, 6),
    ("a # b\nc", 2, False, None),
    ("a # b\nc", 2, True, 5),
    ("a / b", 2, False, None),
])
def test_comment_end(text: str, at: int, hash_comments: bool, end: int | None) -> None:
    assert lexer.comment_end(text, at, hash_comments) == end


@pytest.mark.parametrize(("text", "at", "lo", "brackets", "opened"), [
    ("f(a, [b], {c: ", 14, 0, ("([{", ")]}"), 10),
    ("f(a, [b], {c}, ", 15, 0, ("([{", ")]}"), 1),
    ("f(a, [b], {c}, ", 15, 2, ("([{", ")]}"), -1),  # not looked for before `lo`
    ("f(a, [b, ", 9, 0, ("(", ")"), 1),  # round brackets only
    ("x = ')' + (", 11, 0, ("(", ")"), 10),
    ("f(x) + g(')', ", 14, 0, ("(", ")"), -1),  # strings are not skipped: `')'` closes `g(`
])
def test_innermost_open(text: str, at: int, lo: int, brackets: tuple[str, str], opened: int) -> None:
    assert lexer.innermost_open(text, at, lo, *brackets) == opened
