"""Functions named after one Config resource (`def create_tracking_plan(`,
`fun listSources(`, `func (c *Client) DeleteDestination(`): a sign of the
resource the field names below them belong to (`field_names._resource_signs`),
weaker than a path's or a key's: it only narrows down the resources a field
may be of, as the nearest sign, and gives way to any sign between and to
any other function defined between (`def filter_by_label(`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

_FUNCTION = re.compile(
    r"(?<![\w.$])(?:def|defp|fun|func|function|fn|sub)[ \t]+(?:\([^()\n]*\)[ \t]*|self\.)?(?P<name>[A-Za-z_]\w*)"
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def function_signs(
    text: str, lo: int, hi: int, keys: Mapping[str, tuple[frozenset[str], str]],
) -> list[tuple[int, frozenset[str]]]:
    """Where each function between `lo` and `hi` is defined, and the rows of
    the resource whose key (`source`, `tracking_plan`, or its list,
    `sources`) its name holds, if exactly one (a longer key wins over the
    shorter ones in it, `catalog_source` over `source`); else none: only
    the nearest function above a field name may tell its resource."""
    singular = {key: rows for key, (rows, bracket) in keys.items() if bracket == "{"}
    return [(m.start("name"), _named(m.group("name"), singular) or frozenset())
            for m in _FUNCTION.finditer(text, lo, hi)]


def _named(name: str, keys: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    words = [w.lower() for w in _WORD.findall(name)]
    spans: list[tuple[int, int, frozenset[str]]] = []
    for key, rows in keys.items():
        parts = key.split("_")
        for i in range(len(words) - len(parts) + 1):
            got = words[i : i + len(parts)]
            if got[:-1] == parts[:-1] and got[-1] in (parts[-1], parts[-1] + "s"):
                spans.append((i, i + len(parts), rows))
    kept = {rows for i, j, rows in spans if not any(a <= i and j <= b and (a, b) != (i, j) for a, b, _ in spans)}
    return next(iter(kept)) if len(kept) == 1 else None
