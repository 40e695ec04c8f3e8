"""Names the codemod acts on wherever they stand in a file that uses the
Config API, with no link to a Config call needed (no libcst here: the audit
reads them without loading the codemod)."""

from __future__ import annotations

from collections import defaultdict
from weakref import WeakKeyDictionary

from migrator.ruleset import RuleSet
from migrator.ruleset.models import ResourceRow
from migrator.ruleset.outcomes import Outcomes

MOCK_FIXTURES = {"requests_mock": "requests_mock", "respx_mock": "respx"}
"""pytest fixtures the mocking libraries provide, by parameter name: every
test naming one shares its recorded requests."""

_FIELDS: WeakKeyDictionary[RuleSet, dict[str, str]] = WeakKeyDictionary()


def config_fields(rules: RuleSet) -> dict[str, str]:
    """Config field names (snake_case, or the page token) whose Public name or
    value differs → a hint for the marker: the Public name, or why it is
    dropped; when resources differ, the most common outcome first and the
    others with their resources (`` `name`; `displayName` for a function``)."""
    found = _FIELDS.get(rules)
    if found is None:
        uses: dict[str, list[tuple[ResourceRow, str | None, str]]] = defaultdict(list)
        for resource in rules.resources.values():
            for key, fm in resource.fields.items():
                if "_" not in key:
                    continue
                if fm.drop:
                    uses[key].append((resource, None, fm.reason or ""))
                elif fm.to != key or fm.transform != "copy":
                    uses[key].append((resource, f"`{fm.to}`", ""))
        envelope = rules.envelope
        found = {envelope.next_page_token: f"`{envelope.data_key}.{envelope.public_pagination}.{envelope.public_next}`"}
        for key, key_uses in uses.items():
            if key not in found:
                outcomes = Outcomes.of(key_uses)
                reason = outcomes.reason()
                first = outcomes.first or (f"dropped: {reason}" if reason else "not returned by the Public API")
                found[key] = "; ".join([first, *outcomes.others()])
        _FIELDS[rules] = found
    return found


_LINKED: WeakKeyDictionary[RuleSet, dict[str, str]] = WeakKeyDictionary()


def linked_fields(rules: RuleSet) -> dict[str, str]:
    """Config fields of a response whose name is one plain word (no `_`,
    so not among `config_fields`) but whose read breaks wherever the value
    comes from: no Public field anywhere has the name, and the transform
    reshapes the value (a destination's `config` array → the `settings`
    map) → the marker's hint. A file linked to a Segment client elsewhere
    marks their reads too, as it marks `config_fields`."""
    found = _LINKED.get(rules)
    if found is None:
        public = {entry.to for r in rules.resources.values() for fm in r.fields.values() for entry in (fm, *fm.also)}
        answered = {row.response for row in rules.endpoints if row.response}
        found = {}
        for resource in rules.resources.values():
            if resource.kind not in answered:
                continue
            for key, fm in resource.fields.items():
                if "_" in key or "." in key or key in public or fm.drop or fm.transform in ("copy", "segment"):
                    continue
                shape = ", a map of setting keys to values, not a list of items" if fm.transform == "config-settings" else ""
                found.setdefault(key, f"`{fm.to}`{shape}")
        _LINKED[rules] = found
    return found


def config_list_keys(rules: RuleSet) -> dict[str, str]:
    """Keys of Config list responses (`sources`) → where the Public list is
    (`data.sources`): in a file that reads what a Segment client of another
    module returns, reading one off a whole response is a Config-looking read."""
    envelope = rules.envelope
    places: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for resource in rules.resources.values():
        key = resource.config_list_key
        if key:
            inner = resource.public_key if resource.list_as_single else resource.public_list_key or key
            places[key].setdefault(f"`{envelope.data_key}.{inner}`", []).append(resource.kind)
    found: dict[str, str] = {}
    for key, where in places.items():
        # `data.sources`, or `data.sourcesCatalog` for a catalog-source list
        found[key] = ", or ".join(
            text if len(where) == 1 else f"{text} for a {'/'.join(kinds)} list" for text, kinds in where.items()
        )
    return found


def segmented_fields(rules: RuleSet) -> set[str]:
    """Config fields whose Public counterpart is one segment of them (`name`
    → `slug`): code takes them apart (`["name"].split("/")[-1]`)."""
    return {
        key for resource in rules.resources.values() for key, fm in resource.fields.items()
        for entry in (fm, *fm.also) if entry.transform == "segment"
    }


def name_fields(rules: RuleSet) -> dict[str, set[str]]:
    """Config fields whose value the table parses as a resource name (`name`
    with `workspaces/{workspace}/sources/{source}`, `parent`) → the name
    patterns: a key holding a value of one of them is a Config key, whatever
    its spelling (`name` is a Public key too)."""
    found: dict[str, set[str]] = defaultdict(set)
    for resource in rules.resources.values():
        for key, fm in resource.fields.items():
            for entry in (fm, *fm.also):
                if entry.parse and "/" in entry.parse:
                    found[key].add(entry.parse)
    return dict(found)
