"""The comment forms shared by `rewrite` (which writes them) and `audit`
(which reads them).

A marker says a person must act on the line below it:

    # migrator[endpoint.access-tokens.create]: no Public API counterpart; create tokens in the Segment app

A suppression tells `audit` a use is deliberate (any comment syntax):

    # migrator: ignore                      (every rule on this line)
    # migrator: ignore[host.base-url]       (only these rules)
"""

from __future__ import annotations

import re

MARKER_PREFIX = "migrator["
MARKER = re.compile(r"#\s*migrator\[(?P<rule>[a-z][a-z0-9.-]*)\]:\s*(?P<message>.*?)\s*$")
SUPPRESSION = re.compile(r"migrator:\s*ignore(?:\[(?P<rules>[a-z0-9., -]+)\])?")


def suppressed_rules(rules: str) -> set[str]:
    """The rule ids of `ignore[...]`, separated by commas or spaces."""
    return set(rules.replace(",", " ").split())


def marker_comment(rule: str, message: str) -> str:
    """The one form a marker takes: `# migrator[<rule id>]: <what to do>`."""
    text = " ".join(message.split())
    if not text.isprintable():  # a comment line holds no control characters
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return f"# migrator[{rule}]: {text}"
