"""Reading and writing JSON text without losing anything on the way.

- Numbers keep their text: `0.1000000000000000055511151231257827`, `1e400`
  and `-0` come back as written (a float would round the first and overflow
  the second, an int drop the sign of the third).
- `NaN`, `Infinity` and `-Infinity` are not JSON: refused.
- Duplicate keys are kept apart: the last value wins (as in most JSON
  readers), and the values it hides are listed so that they can be reported.
- A lone surrogate escape (`"\\ud83d"`) is not Unicode and cannot be written
  as UTF-8: refused.
- Nesting deeper than the reader can follow, and integers longer than
  Python reads (`sys.get_int_max_str_digits()`), are refused, not a traceback.
"""

from __future__ import annotations

import json
import re
import sys
from json import encoder as _encoder
from typing import Any

from migrator.translate.context import join


class JsonTextError(ValueError):
    """The text is not a JSON document translate can take; the message says why."""


class Number(float):
    """A JSON number with a fraction or an exponent, written back as it was read."""

    text: str
    reworded = 0
    """How many were read so far whose text Python's float repr would not
    give back (`1e5`, `0.10`, `-0`): a document read without any can be
    written by the (faster) C encoder, which writes that repr."""

    def __new__(cls, text: str) -> Number:
        number = super().__new__(cls, text)
        number.text = text
        if float.__repr__(number) != text:
            Number.reworded += 1
        return number

    def __repr__(self) -> str:
        return self.text


class Object(dict):  # type: ignore[type-arg]
    """A JSON object read from text; `hidden` holds the values of repeated keys
    that a later value of the same key replaced, in input order."""

    __slots__ = ("hidden",)
    made = 0
    """How many were read so far: no need to look for repeated keys in a
    document read without any."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__()
        hidden: list[tuple[str, Any]] = []
        for key, value in pairs:
            if key in self:
                hidden.append((key, self[key]))
            self[key] = value
        self.hidden = hidden
        Object.made += 1


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    plain = dict(pairs)
    return plain if len(plain) == len(pairs) else Object(pairs)


def _constant(name: str) -> Any:
    raise JsonTextError(f"{name} is not a JSON value (JSON numbers are finite)")


def _integer(text: str) -> Any:
    """An integer; `-0` keeps its sign as a `Number` (int("-0") is 0)."""
    return Number(text) if text == "-0" else int(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=Number, parse_constant=_constant)
_SIGNED_ZERO_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=Number, parse_int=_integer, parse_constant=_constant
)
_SIGNED_ZERO = re.compile(r"-0(?![.0-9eE])")
"""A `-0` (perhaps in a string): read with `_integer`, slower, only then."""
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(text: str) -> Any:
    """The JSON value of `text`; raises `json.JSONDecodeError` (malformed) or
    `JsonTextError` (valid syntax that translate cannot take)."""
    try:
        value = (_SIGNED_ZERO_DECODER if _SIGNED_ZERO.search(text) else _DECODER).decode(text)
    except RecursionError:
        raise JsonTextError("nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise _cut_off(exc) or exc from None
    except JsonTextError:
        raise
    except ValueError:  # the only other one: `int()` of too many digits
        raise JsonTextError(too_long_integer()) from None
    if _SURROGATE.search(text):
        _check_unicode(value)
    return value


def _cut_off(exc: json.JSONDecodeError) -> json.JSONDecodeError | None:
    """A line break that ends the text inside a string (an NDJSON line cut
    off, its line's end) is no character of the string: the string is
    unterminated, as where the text ends without one."""
    doc, pos = exc.doc, exc.pos
    if not exc.msg.startswith("Invalid control character") or pos >= len(doc) or doc[pos] not in "\r\n" \
            or doc[pos:].strip():
        return None
    try:
        _DECODER.decode(doc[:pos])
    except json.JSONDecodeError as cut:
        return cut
    except (ValueError, RecursionError):
        return None
    return None


_CONTROLS = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def problem(exc: json.JSONDecodeError) -> str:
    """What is wrong, from Python's message without its trailing " at" (its
    position is said beside it): the control character is named."""
    message = exc.msg.removesuffix(" at")
    if message == exc.msg:
        return message
    if message == "Invalid control character" and exc.pos < len(exc.doc):
        char = exc.doc[exc.pos]
        code = f"U+{ord(char):04X}"
        return f"{message} in a string: {_CONTROLS[char]} ({code})" if char in _CONTROLS else \
            f"{message} in a string: {code}"
    return f"{message} here" if message.endswith("starting") else message


def too_long_integer() -> str:
    return f"an integer of more than {sys.get_int_max_str_digits()} digits cannot be read"


def _check_unicode(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                _check_string(key)
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            _check_string(item)


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise JsonTextError(f"string escape \\u{code:04x} is a lone surrogate, not a Unicode character") from None


def duplicates(value: Any) -> list[tuple[str, str, Any]]:
    """Every value a repeated key hid: (path of the key, key, hidden value)."""
    found: list[tuple[str, str, Any]] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, Object):
            found.extend((join(path, key), key, hidden) for key, hidden in item.hidden)
        if isinstance(item, dict):
            stack.extend((join(path, key), inner) for key, inner in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((join(path, i), inner) for i, inner in reversed(list(enumerate(item))))
    return found


def dumps(value: Any, *, pretty: bool, numbers: bool = True) -> str:
    """JSON text of `value` (two-space indent when `pretty`, else one compact
    line); numbers read from text are written as they were read. `numbers`
    False says `value` holds no `Number` whose float repr differs from its
    text (the faster C encoder, which writes that repr, is used)."""
    indent = 2 if pretty else None
    separators = (",", ": ") if pretty else (",", ":")
    try:
        return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False,
                          cls=_Encoder if numbers else None)
    except RecursionError:
        raise JsonTextError("nested too deeply to write") from None


def _floatstr(number: float) -> str:
    if isinstance(number, Number):
        return number.text
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{number!r} is not a JSON number")
    return float.__repr__(number)


class _Encoder(json.JSONEncoder):
    """The standard encoder with number text kept (the pure-Python path: the
    C encoder writes floats with `float.__repr__`)."""

    def iterencode(self, o: Any, _one_shot: bool = False) -> Any:
        markers: dict[int, Any] | None = {} if self.check_circular else None
        encode = _encoder.encode_basestring_ascii if self.ensure_ascii else _encoder.encode_basestring
        return _encoder._make_iterencode(  # type: ignore[attr-defined]
            markers, self.default, encode, self.indent, _floatstr, self.key_separator,
            self.item_separator, self.sort_keys, self.skipkeys, _one_shot,
        )(o, 0)
