"""The event property names of a JSON Schema (a tracking plan rule's
`jsonSchema`): the keys of a `properties` object (`"properties":
{"page_size": {"type": "integer"}}`) and the reads through one
(`r["jsonSchema"]["properties"].get("display_name")`,
`x.jsonSchema.properties.display_name`). They are the user's own names,
free-form in both APIs, never Config fields."""

from __future__ import annotations

import re

from migrator.audit import lexer

_OBJECT_OF = re.compile(r"""(?:(['"`])properties\1|(?<![\w$.])properties)[ \t]*(?::|=(?![=>]))\s*\Z""")
"""What opens the object of a `properties` key: `"properties": {`, `properties: {`, `properties = {`."""
_THROUGH = re.compile(
    r"""(?:\[\s*(['"`])properties\1\s*\]|\??\.properties|\.get\(\s*(['"])properties\2\s*(?:,[^()\n]*)?\))"""
    r"""\s*(?:\[\s*['"`]?|\.(?:get|fetch|pop|setdefault)\(\s*['"]|\??\.)\Z"""
)
"""A read off a `properties` value, up to the key read: `["properties"]["`, `.properties.`, `.get("properties", {}).get("`."""
LOOK_BACK = 80
"""How far back from a name the read or key it follows is looked for."""
OBJECT_SPAN = 4000
"""How far back the bracket holding a key is looked for (a schema of many properties is long)."""


def property_name(text: str, at: int) -> bool:
    """The name starting at `at` (after its quote, if any) is an event
    property of a JSON Schema: read off a `properties` value, or a key of
    the object a `properties` key holds."""
    if _THROUGH.search(text, max(0, at - LOOK_BACK), at) is not None:
        return True
    opened = lexer.innermost_open(text, at, max(at - OBJECT_SPAN, 0))
    return opened >= 0 and text[opened] == "{" and _OBJECT_OF.search(text, max(0, opened - LOOK_BACK), opened) is not None
