"""YAML: a field name written as a whole value is data, not a key.

    streams:
      - name: tracking_plans                 # a stream's name: no field
        paginator:
          page_token_option: {field_name: page_token}    # the key names a field: one
        record_selector: {extractor: {field_path: [sources]}}   # the same
    update_mask:
      paths:
        - display_name                       # the same

A word is a whole value when it is all of a scalar (plain or quoted): the
value after a key's `:`, an item of a block list (`- x`) or of a flow list
(`[a, x]`). Such a value names something of the file's own (a stream, a
job, a label), unless its key says it names a field or a parameter
(`field_name`, `field_path`, `paths`...): those are Config field references
in a file of the Config API, as keys are. A word in a dotted path
(`tracking_plan.display_name`), a template (`{{ response.next_page_token }}`)
or a sentence is not a whole value, and is read as before.
"""

from __future__ import annotations

import re

YAML_SUFFIXES = (".yaml", ".yml")

NAMES_A_FIELD = re.compile(r"(?:^|[_-])(?:fields?|field_names?|field_paths?|params?|parameters?|paths)$", re.I)
"""A key whose value names fields or parameters (`field_name`, `cursor_field`, `paths` of an update mask)."""

_AFTER_KEY = re.compile(r"""(?P<key>[\w.$-]+|"[^"\n]*"|'[^'\n]*')[ \t]*:[ \t]+\Z""")
_ITEM = re.compile(r"\A(?P<indent>[ \t]*)-[ \t]+\Z")
_FLOW_ITEM = re.compile(r"[\[,][ \t]*\Z")
_END = re.compile(r"[ \t]*(?:#.*|[,\]}].*)?\Z")
_KEY_LINE = re.compile(r"""[ \t]*(?:-[ \t]+)?(?P<key>[\w.$-]+|"[^"\n]*"|'[^'\n]*')[ \t]*:[ \t]*(?:#.*)?\Z""")
LOOK_UP = 50
"""Lines looked at above a block list's item for its key."""


def is_yaml(path: str) -> bool:
    return path.lower().endswith(YAML_SUFFIXES)


def data_value(text: str, start: int, end: int) -> bool:
    """The word at `start:end` of the YAML `text` is a whole value whose key
    does not say it names a field (`- name: tracking_plans`)."""
    key = _key_of_value(text, start, end)
    return key is not None and not NAMES_A_FIELD.search(key.strip("\"'"))


def _key_of_value(text: str, start: int, end: int) -> str | None:
    """The key whose whole value (or an item of it) the word at `start:end`
    is ("" when a list item has none found); None when it is no whole value."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end].rstrip("\r")
    if before.endswith(("'", '"')):
        if not after.startswith(before[-1]):
            return None  # (part of a quoted string)
        before, after = before[:-1], after[1:]
    if not _END.match(after):
        return None  # part of a longer value, or a key (`name:`)
    if m := _AFTER_KEY.search(before):
        return m.group("key")
    if m := _ITEM.match(before):
        return _block_key(text, line_start, len(m.group("indent")))
    if _FLOW_ITEM.search(before):
        return _flow_key(before)
    return None


def _block_key(text: str, line_start: int, indent: int) -> str:
    """The key of the block list whose item starts at `indent` on the line at `line_start`."""
    end = line_start - 1
    for _ in range(LOOK_UP):
        if end < 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].rstrip("\r")
        code = line.lstrip()
        own = len(line) - len(code)
        if code and not code.startswith("#") and (own < indent or own == indent and not code.startswith("-")):
            m = _KEY_LINE.match(line)
            return m.group("key") if m is not None else ""
        end = start - 1
    return ""


def _flow_key(before: str) -> str | None:
    """The key of the flow list `before` (a line up to an item) is in (`key: [a, `)."""
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        char = before[i]
        if char in "]}":
            depth += 1
        elif char in "{" and depth:
            depth -= 1
        elif char == "[":
            if depth:
                depth -= 1
                continue
            m = _AFTER_KEY.search(before, 0, i)
            return m.group("key") if m is not None else ""
    return None
