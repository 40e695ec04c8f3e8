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
from collections.abc import Iterable

MARKER_PREFIX = "migrator["
MARKER = re.compile(r"#\s*migrator\[(?P<rule>[a-z][a-z0-9.-]*)\]:\s*(?P<message>.*?)\s*$")
SUPPRESSION = re.compile(r"migrator:\s*ignore(?:\[(?P<rules>[^\]\n]*)\]?|\b)")
"""`rules` is None for a bare `ignore` (every rule), and whatever stands in
the brackets otherwise (closed or not): a malformed list covers only what
it names, never every rule (`ignore[Host.Base_URL]` covers nothing)."""


_ASCII = str.maketrans({"→": "->", "…": "...", "—": "--", "–": "-", "•": "*", "§": "s.", "‘": "'", "’": "'", "“": '"', "”": '"'})


def in_ascii(message: str) -> str:
    """A marker's message with ASCII for the characters the table's messages
    use, as a rewrite writes it in a file whose encoding lacks them
    (`# coding: ascii`)."""
    return message.translate(_ASCII)


_QUOTED = re.compile(r"`([^`\n]+)`")


def subject_of(message: str, code: str) -> str | None:
    """What a marker is about: what it names first, when it starts by
    naming it (`` `create_time` looks like…``), or else the first name it
    quotes that `code`, of the statement it points at, holds
    (`` the Public field `metadata.slug` is not the Config `catalog_name` ``
    is about `catalog_name`)."""
    first = _QUOTED.match(message)
    if first is not None:
        return first.group(1)
    return next((name for name in _QUOTED.findall(message) if holds_name(code, name)), None)


def quoted(message: str) -> list[str]:
    """The names a marker's message quotes (`` `catalog_name` ``), in order."""
    return _QUOTED.findall(message)


def holds_name(code: str, name: str) -> bool:
    """Whether `code` has `name` in it, not as part of a longer word."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", code) is not None


IDS_ADVICE = "; or let `migrator rewrite --ids FILE --lookup-module NAME` migrate it (FILE from `migrator ids`)"
"""What a marker whose problem an id map solves says last, when the rewrite
that wrote it had no id map and lookup module (see `rewrite.with_ids`)."""


def with_ids_advice(message: str) -> str:
    """`message`, saying that a rewrite with an id map fixes it (once)."""
    return message if advises_ids(message) else message + IDS_ADVICE


def advises_ids(message: str) -> bool:
    """Whether a marker's message ends with `IDS_ADVICE` (as a comment holds it)."""
    return " ".join(message.split()).endswith(IDS_ADVICE)


def without_ids_advice(message: str) -> str:
    """`message` without `IDS_ADVICE`: what a marker says of its problem,
    the same whether the rewrite that wrote it added the advice or not
    (an older version, a run with ids). Whitespace collapsed."""
    text = " ".join(message.split())
    return text[: -len(IDS_ADVICE)] if text.endswith(IDS_ADVICE) else text


def says(text: str, message: str) -> bool:
    """Whether `text` holds a marker comment saying `message`, with or
    without `IDS_ADVICE` (which `audit` adds to a marker an id map fixes)."""
    found = MARKER.search(text) if MARKER_PREFIX in text else None
    return found is not None and without_ids_advice(found.group("message")) == without_ids_advice(message)


def suppressed_rules(rules: str | None) -> set[str]:
    """The rule ids of `ignore[...]`, separated by commas or spaces."""
    return set(rules.replace(",", " ").split()) if rules else set()


def selects(rule: str, selector: str) -> bool:
    """`endpoint` selects `endpoint.sources.get`, and so does `endpoint.`."""
    return rule == selector or rule.startswith(selector.rstrip(".") + ".")


def suppression_problem(rules: str | None, rule_ids: Iterable[str]) -> str | None:
    """What is wrong with a suppression comment's `rules` group: names that
    are no rule id nor prefix of one (a typo leaves its finding in place, and
    would say nothing), or empty brackets."""
    if rules is None:
        return None
    named = suppressed_rules(rules)
    if not named:
        return "`migrator: ignore[]` names no rule, so it covers nothing (`migrator: ignore` covers every rule)"
    ids = tuple(rule_ids)
    unknown = sorted(n for n in named if not any(selects(rule, n) for rule in ids))
    if not unknown:
        return None
    listed = ", ".join(f"`{n}`" for n in unknown)
    which = "those names cover" if len(unknown) > 1 else "that name covers"
    return (f"`migrator: ignore[...]` names {listed}, no rule id nor the start of one "
            f"(see `migrator rules`): {which} nothing")


def suppresses(rules: str | None, rule: str) -> bool:
    """Whether a suppression comment's `rules` group covers `rule`."""
    return rules is None or any(selects(rule, s) for s in suppressed_rules(rules))


def marker_comment(rule: str, message: str) -> str:
    """The one form a marker takes: `# migrator[<rule id>]: <what to do>`."""
    text = " ".join(message.split())
    if not text.isprintable():  # a comment line holds no control characters
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return f"# migrator[{rule}]: {text}"
