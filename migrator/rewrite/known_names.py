"""Names the codemod acts on wherever they stand in a file that uses the
Config API, with no link to a Config call needed (no libcst here: the audit
reads them without loading the codemod)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from migrator.ruleset import RuleSet

MOCK_FIXTURES = {"requests_mock": "requests_mock", "respx_mock": "respx"}
"""pytest fixtures the mocking libraries provide, by parameter name: every
test naming one shares its recorded requests."""

_FIELDS: WeakKeyDictionary[RuleSet, dict[str, str]] = WeakKeyDictionary()


def config_fields(rules: RuleSet) -> dict[str, str]:
    """Config field names (snake_case, or the page token) whose Public name or
    value differs → a hint for the marker."""
    found = _FIELDS.get(rules)
    if found is None:
        found = {rules.envelope.next_page_token: f"`{rules.envelope.data_key}.{rules.envelope.public_pagination}.{rules.envelope.public_next}`"}
        for resource in rules.resources.values():
            for key, fm in resource.fields.items():
                if "_" not in key or key in found:
                    continue
                if fm.drop:
                    found[key] = f"dropped: {fm.reason}"
                elif fm.to != key or fm.transform != "copy":
                    found[key] = f"`{fm.to}`"
        _FIELDS[rules] = found
    return found
