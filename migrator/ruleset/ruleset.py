"""The loaded table, indexed for the engines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import unquote, urlsplit

from migrator.ruleset.models import (
    EndpointRow,
    EnvelopeRow,
    ErrorRow,
    HostRow,
    PaginationRow,
    ResourceRow,
    Row,
    RuleFile,
    UpdateMaskRow,
)
from migrator.ruleset.templates import Template


@dataclass(frozen=True)
class EndpointMatch:
    row: EndpointRow
    params: dict[str, str]
    """The path's values, decoded (`andr%6Fid` → `android`): slugs as the Config API read them."""
    query: str


class RuleSet:
    def __init__(self, files: list[RuleFile]) -> None:
        self.files = files

    def _rows(self, attr: str) -> list:
        return [row for f in self.files for row in getattr(f, attr)]

    @cached_property
    def rows(self) -> list[Row]:
        from migrator.ruleset.loader import ROW_LISTS

        return [row for name in ROW_LISTS for row in self._rows(name)]

    @cached_property
    def by_id(self) -> dict[str, Row]:
        return {row.id: row for row in self.rows}

    @cached_property
    def hosts(self) -> list[HostRow]:
        return self._rows("hosts")

    @cached_property
    def public_hosts(self) -> tuple[str, ...]:
        """The Public API's host names (`api.segmentapis.com`), longest first."""
        found = {urlsplit(url).netloc for row in self.hosts for url in row.public.values()}
        return tuple(sorted(found, key=lambda h: (-len(h), h)))

    @cached_property
    def config_hosts(self) -> tuple[str, ...]:
        """The Config API's host names (`platform.segmentapis.com`), as the table gives them."""
        return tuple(dict.fromkeys(urlsplit(row.config).netloc for row in self.hosts))

    @cached_property
    def config_prefix(self) -> str:
        """The Config API's path prefix (`/v1beta`), from the host row."""
        return urlsplit(self.hosts[0].config).path.rstrip("/")

    @cached_property
    def endpoints(self) -> list[EndpointRow]:
        return self._rows("endpoints")

    @cached_property
    def resources(self) -> dict[str, ResourceRow]:
        return {row.kind: row for row in self._rows("resources")}

    def query_enum(self, row: EndpointRow, key: str) -> dict[str, str]:
        """The Config → Public value map of query parameter `key` of `row`
        (`query_enums`: a resource field's `enum`); empty when it has none."""
        ref = row.query_enums.get(key)
        if ref is None:
            return {}
        row_id, _, name = ref.partition(":")
        resource = self.by_id[row_id]
        assert isinstance(resource, ResourceRow)
        return resource.fields[name].enum

    @cached_property
    def named_resources(self) -> list[tuple[Template, ResourceRow]]:
        """Resources detected by their `name`, most specific pattern first."""
        named = [(Template(r.name_pattern), r) for r in self.resources.values() if r.name_pattern and not r.nested]
        return sorted(named, key=lambda item: -item[0].literal_length)

    @cached_property
    def list_keys(self) -> dict[str, list[ResourceRow]]:
        """Config list key → the resources listed under it."""
        keys: dict[str, list[ResourceRow]] = {}
        for row in self.resources.values():
            if row.config_list_key:
                keys.setdefault(row.config_list_key, []).append(row)
        return keys

    @cached_property
    def envelope(self) -> EnvelopeRow:
        return self._rows("envelopes")[0]

    @cached_property
    def pagination(self) -> PaginationRow:
        return self._rows("pagination")[0]

    @cached_property
    def error(self) -> ErrorRow:
        return self._rows("errors")[0]

    @cached_property
    def update_mask(self) -> UpdateMaskRow:
        return self._rows("update_masks")[0]

    @cached_property
    def _path_heads(self) -> frozenset[str]:
        """The first segments of the Config paths after the prefix, where literal (`workspaces`, `catalog`)."""
        prefix = self.config_prefix + "/"
        paths = (template.text.removeprefix(prefix) for _, template, _ in self._endpoint_templates)
        return frozenset(head for path in paths if (head := path.split("/", 1)[0]) and "{" not in head)

    @cached_property
    def _endpoint_templates(self) -> list[tuple[str, Template, EndpointRow]]:
        table = []
        for row in self.endpoints:
            method, path = row.config.split(" ", 1)
            table.append((method, Template(path), row))
        # Most specific first: `/sources/{source}/destinations` before `/sources/{source}`.
        table.sort(key=lambda item: -item[1].literal_length)
        return table

    def match_endpoint(self, endpoint: str, body: Any = None) -> EndpointMatch | None:
        """Find the row of a concrete Config call, `METHOD /v1beta/...` or a full URL.

        Rows with `when_body` are picked only when `body` has those values."""
        method, _, target = endpoint.strip().partition(" ")
        parts = urlsplit(target.strip())
        path = parts.path
        prefix = self.config_prefix + "/"
        if not path.startswith(prefix):
            path = prefix + path.lstrip("/")
        path = path.rstrip("/") or path
        fallback: EndpointMatch | None = None
        for row_method, template, row in self._endpoint_templates:
            if row_method != method.upper():
                continue
            params = template.match(path)
            if params is None or template.spans_over(params, self._path_heads):
                continue
            params = {name: unquote(value) for name, value in params.items()}  # matched encoded: `%2F` splits nothing
            if not row.when_body:
                fallback = fallback or EndpointMatch(row, params, parts.query)
            elif all(dotted_get(body, k) == v for k, v in row.when_body.items()):
                return EndpointMatch(row, params, parts.query)
        return fallback


def dotted_get(value: Any, dotted: str) -> Any:
    """`value["a"]["b"]` for `a.b`, or None when any step is missing."""
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
