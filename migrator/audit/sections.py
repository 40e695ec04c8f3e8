"""The parts of a settings file that a Config URL gives an API context to:
an INI file's sections (`[segment]`, not `[app]`), a YAML file's top-level
keys' blocks, in each of its documents (an umbrella chart's `segment:`,
not its `jupyterhub:`). A Config-only field name (`display_name`) is reported only in a
part that holds a Config host or path itself, or that names the key such a
part holds it under (`${segment:base_url}`, `$SEGMENT_API`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator

from migrator.audit.yaml_values import is_yaml

INI_SUFFIXES = (".ini", ".cfg", ".conf", ".cnf")
_INI_HEADER = re.compile(r"^[ \t]*\[[^\]\n]+\][ \t]*(?:[;#][^\n]*)?$", re.MULTILINE)
_YAML_TOP = re.compile(
    r"""^(?:(?:---|\.\.\.)(?=[ \t\r\n]|$)|(?:[\w.$/-]+|"[^"\n]*"|'[^'\n]*')[ \t]*:(?P<value>[^\n]*))""", re.MULTILINE
)
"""A YAML document's start or end, or a key at the top level (`jupyterhub:`, `page_size: 100`)."""
_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?([\w.-]+)[\"']?[ \t]*[:=]")
"""The key a line assigns (`  SEGMENT_API: ...`, `base_url = ...`, `- url: ...`)."""


def parts(path: str, text: str) -> list[tuple[int, bool]] | None:
    """Where each part of a sectioned settings file starts, and whether it is
    scoped: an INI section, a YAML top-level key holding a block (not one
    with its value on its line, `page_size: 100`, nor a document marker,
    nor what comes before the first: those are the whole file's); None for
    other files."""
    lowered = path.lower()
    if lowered.endswith(INI_SUFFIXES):
        found = [(m.start(), True) for m in _INI_HEADER.finditer(text)]
    elif is_yaml(lowered):
        found = [(m.start(), m.group("value") is not None and _opens_block(m.group("value")))
                 for m in _YAML_TOP.finditer(text)]
    else:
        return None
    return found if found and found[0][0] == 0 else [(0, False), *found]


def _opens_block(value: str) -> bool:
    """A top-level key's value on its line opens a block below it: none, a
    comment, an anchor or a tag alone."""
    rest = value.split(" #", 1)[0].strip()
    return not rest or rest.startswith("#") or re.fullmatch(r"(?:[&!][^\s]+[ \t]*)+", rest) is not None


def in_scope(path: str, text: str, holders: Iterable[int]) -> Callable[[int], bool] | None:
    """Whether an offset of `text` is in a part with an API context, given
    where the Config hosts and paths (`holders`) are: a scoped part holding
    one, or naming the key one is held under, and the parts that are the
    whole file's; None when every part has it: not a sectioned file, no
    scoped part, no holder, or one in a part that is the whole file's."""
    held = sorted(set(holders))
    found = parts(path, text) if held else None
    if found is None or not any(scoped for _, scoped in found):
        return None
    starts = [start for start, _ in found]
    where = {bisect.bisect_right(starts, at) - 1 for at in held}
    if any(not found[i][1] for i in where):
        return None
    kept = where | {i for i, (_, scoped) in enumerate(found) if not scoped}
    keys = {key for at in held if (key := _key_of_line(text, at))}
    kept.update(bisect.bisect_right(starts, at) - 1 for key in sorted(keys) for at in _mentions(text, key))

    def scoped(at: int) -> bool:
        return bisect.bisect_right(starts, at) - 1 in kept

    return scoped


def _key_of_line(text: str, at: int) -> str | None:
    line_start = text.rfind("\n", 0, at) + 1
    m = _KEY.match(text, line_start)
    return m.group(1) if m is not None and m.end() <= at else None


def _mentions(text: str, key: str) -> Iterator[int]:
    """Where `text` names `key` other than as a key of its own
    (`${segment:base_url}`, `"$SEGMENT_API/sources"`): one search of the
    whole text, whatever the number of parts."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text):
        at = m.start()
        line_start = text.rfind("\n", 0, at) + 1
        own = _KEY.match(text, line_start)
        if own is None or own.start(1) != at:
            yield at
