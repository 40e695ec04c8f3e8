"""A compose volume's target in the long syntax, a container's folder:

    volumes:
      - type: bind
        source: .
        target: /workspaces/app

(also `- {type: bind, source: ., target: /workspaces/app}`). Told by the
YAML's indentation alone, line by line upwards: the `target:` key of a
mapping that is an item of a list held by a `volumes:` key."""

from __future__ import annotations

import re
from collections.abc import Callable

TARGET = re.compile(r"""(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)["']?target["']?[ \t]*:[ \t]+["']?/$""")
"""`target:` before a path rooted at `/` on its line, a key of a block
mapping (maybe its first, after a list's `-`) or of a flow mapping."""
_ITEM = re.compile(r"""([ \t]*)-[ \t]+""")
_VOLUMES = re.compile(r"""[ \t]*["']?volumes["']?[ \t]*:[ \t]*(?:#.*)?$""")
_INDENT = re.compile(r"""[ \t]*""")


def volume_target(line: Callable[[int], str], number: int, column: int) -> bool:
    """The path at `column` (0-based) of line `number` is the value of a
    `target:` key of an item of a `volumes:` list (`line` gives the lines'
    texts, 1-based)."""
    text = line(number)
    before = text[:column]
    found = TARGET.search(before)
    if found is None:
        return False
    item = _ITEM.match(text)
    if found[0].lstrip()[:1] in ("{", ","):  # a flow mapping, itself the item: `- {source: ., target: /...}`
        return item is not None and text[item.end():].startswith("{") and before.count("{") == 1 \
            and _in_volumes(line, number, len(item[1]))
    if item is not None:  # its first key
        return _in_volumes(line, number, len(item[1]))
    key = len(_INDENT.match(text)[0])  # type: ignore[index]
    for above in range(number - 1, 0, -1):  # up to the `-` starting the item, past its other keys
        text = line(above)
        if _blank(text):
            continue
        item = _ITEM.match(text)
        if item is not None and item.end() == key:
            return _in_volumes(line, above, len(item[1]))
        indent = len(_INDENT.match(text)[0])  # type: ignore[index]
        if indent > key or (indent == key and item is None):
            continue  # another key of the item, or what one holds
        return False
    return False


def _in_volumes(line: Callable[[int], str], number: int, dash: int) -> bool:
    """The list item starting on line `number` with its `-` at column `dash`
    is held by a `volumes:` key (past the items before it)."""
    for above in range(number - 1, 0, -1):
        text = line(above)
        if _blank(text):
            continue
        indent = len(_INDENT.match(text)[0])  # type: ignore[index]
        if indent > dash or (indent == dash and _ITEM.match(text)):
            continue  # an item before it, or what an item holds
        return _VOLUMES.match(text) is not None
    return False


def _blank(text: str) -> bool:
    return not text.strip() or text.lstrip().startswith("#")
