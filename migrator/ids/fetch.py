"""Walk the Public API and build the id map that `translate --ids` and `rewrite --ids` read.

Requests are bounded: one per page of each list (200 items a page), plus one
per destination for its filters. Destinations come from one walk of
`GET /destinations`, not one call per source.

Tracking plans, functions, filters, users and roles depend on workspace
features (Protocols, Functions) and token permissions. A 4xx on them (a 403
or 404, a 422 for a function type not enabled) leaves that map (for filters,
that destination's filters) empty with a note instead of failing the whole
fetch; a 401 always fails, and a 429 is
waited for (or fails) as everywhere.

Tracking plans are listed with the query the table's list row sends
(`type=LIVE`): the Public list also holds plans the Config API never had
(templates, libraries), whose names would make the Config ones ambiguous.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from migrator.counts import counted
from migrator.idmap import IdMap, WorkspaceIds, id_problem
from migrator.ids import maps
from migrator.ids.client import PublicApi, PublicApiError
from migrator.ruleset import load_rules

Progress = Callable[[str, int, bool], None]
"""Called as progress(kind, items fetched so far, done) after every page."""

KINDS = (
    "workspace",
    "sources",
    "destinations",
    "source_metadata",
    "destination_metadata",
    "tracking_plans",
    "filters",
    "functions",
    "users",
    "roles",
)
FUNCTION_TYPES = ("DESTINATION", "INSERT_DESTINATION", "SOURCE")
PLANS = "GET /tracking-plans"


@dataclass
class FetchResult:
    idmap: IdMap
    notes: list[str] = field(default_factory=list)  # maps skipped or keys left out
    requests: int = 0


def _quiet(kind: str, count: int, done: bool) -> None:
    pass


def fetch_workspace(api: PublicApi) -> WorkspaceIds:
    """The token's workspace. Its `id` and `slug` are required (`GET /`): the
    slug is how consumers tell which workspace a Config call is for, so a map
    without one would match no call."""
    workspace = api.get("/").get("workspace")
    if not isinstance(workspace, dict):
        raise PublicApiError("GET /: unexpected response, no JSON object at data.workspace")
    for field_name in ("id", "slug"):
        value = workspace.get(field_name)
        if not isinstance(value, str) or not value.strip():
            raise PublicApiError(
                f"GET /: unexpected response, no workspace {field_name} at data.workspace.{field_name} "
                "(a non-empty string)"
            )
    if (problem := id_problem(workspace["id"])) is not None:
        raise PublicApiError(f"GET /: unexpected response, data.workspace.id: {problem}")
    name = workspace.get("name")
    return WorkspaceIds(id=workspace["id"], slug=workspace["slug"], name=name if isinstance(name, str) else "")


def fetch_idmap(
    api: PublicApi,
    *,
    progress: Progress = _quiet,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> FetchResult:
    notes: list[str] = []
    started = now().replace(microsecond=0)
    workspace = fetch_workspace(api)
    progress("workspace", 1, True)

    sources = _walk(api, "/sources", "sources", "sources", progress)
    destinations = _walk(api, "/destinations", "destinations", "destinations", progress)
    source_catalog = _walk(api, "/catalog/sources", "sourcesCatalog", "source_metadata", progress)
    destination_catalog = _walk(
        api, "/catalog/destinations", "destinationsCatalog", "destination_metadata", progress
    )
    plan_query = fixed_query(PLANS)
    skipped: dict[str, str] = {}
    plans = _optional(
        lambda: _walk(api, "/tracking-plans", "trackingPlans", "tracking_plans", progress, dict(plan_query)),
        "tracking plans", notes, skipped, "tracking_plans",
    )
    filters = _filters(api, [_id(d) for d in destinations], progress, notes, skipped)
    functions = _functions(api, progress, notes, skipped)
    users = _optional(lambda: _walk(api, "/users", "users", "users", progress), "users", notes, skipped, "users")
    roles = _optional(lambda: _walk(api, "/roles", "roles", "roles", progress), "roles", notes, skipped, "roles")

    left: maps.Left = {}  # keys left out on purpose, said under `skipped` too
    source_ids = maps.source_map(sources, notes, left)
    slug_by_id = {id_: slug for slug, id_ in source_ids.items()}
    idmap = IdMap(
        fetched_at=started,
        api_url=api.base_url,
        workspace=workspace,
        sources=source_ids,
        destinations=maps.destination_map(
            destinations, slug_by_id, destination_catalog, notes=notes, left=left,
            left_out=maps.left_sources(sources, left),
        ),
        source_metadata=maps.source_metadata_map(source_catalog, notes, left),
        destination_metadata=(metadata := maps.destination_metadata_map(destination_catalog, notes, left)),
        previous_names=maps.previous_name_map(destination_catalog, metadata),
        tracking_plans=maps.tracking_plan_map(plans, notes, plan_query, left),
        filters=maps.filter_map(filters, notes, left),
        functions=maps.function_map(functions, notes, left),
        users=maps.user_map(users, notes, left),
        roles=maps.role_map(roles, notes, left),
    )
    for entry, why in sorted(left.items()):  # a key another item holds all the same is not left out
        section, _, key = entry.partition("/")
        if key not in getattr(idmap, section):
            skipped[entry] = why
    idmap.skipped = skipped or None
    return FetchResult(idmap, notes, api.requests)


def _walk(
    api: PublicApi,
    path: str,
    key: str,
    kind: str,
    progress: Progress,
    params: dict[str, str | int] | None = None,
    start: int = 0,
    last: bool = True,
) -> list[Any]:
    items: list[Any] = []
    for page in api.pages(path, key, params):
        items += page
        progress(kind, start + len(items), False)
    if last:
        progress(kind, start + len(items), True)
    return items


def fixed_query(public: str) -> dict[str, str]:
    """The query the table sends with every `public` call (its endpoint row's `fixed_query`)."""
    return next((dict(row.fixed_query) for row in load_rules().endpoints if row.public == public), {})


def _skippable(exc: PublicApiError) -> bool:
    """A 4xx an optional part of the workspace may answer (a feature off, a
    permission lacking, a type not enabled): not 401 (the token is bad) nor
    429 (a rate-limit wait too long to make)."""
    return exc.status is not None and 400 <= exc.status < 500 and exc.status not in (401, 429)


def _why(exc: PublicApiError) -> str:
    """`HTTP 403 (feature not enabled ...)`, or another 4xx with what the server said."""
    if exc.status in (403, 404):
        return f"HTTP {exc.status} (feature not enabled or token lacks access)"
    return f"HTTP {exc.status}" + (f": {json.dumps(exc.detail, ensure_ascii=False)}" if exc.detail else "")


def _optional(
    walk: Callable[[], list[Any]], what: str, notes: list[str], skipped: dict[str, str], kind: str,
) -> list[Any]:
    """What `walk` reads, or nothing with a note when the server refuses
    (the map `kind` of the id map then says why it lacks keys: `skipped`)."""
    try:
        return walk()
    except PublicApiError as exc:
        if not _skippable(exc):
            raise
        notes.append(f"{what}: skipped, {_why(exc)}")
        skipped[kind] = "; ".join(filter(None, (skipped.get(kind), f"{what}: {_why(exc)}")))
        return []


def _functions(api: PublicApi, progress: Progress, notes: list[str], skipped: dict[str, str]) -> list[Any]:
    found: list[Any] = []
    for type_ in FUNCTION_TYPES:
        found += _optional(
            lambda: _walk(
                api, "/functions", "functions", "functions", progress,
                {"resourceType": type_}, start=len(found), last=False,
            ),
            f"functions of type {type_}", notes, skipped, "functions",
        )
    progress("functions", len(found), True)
    return found


def _filters(
    api: PublicApi, destination_ids: Iterable[str], progress: Progress, notes: list[str], left: dict[str, str],
) -> list[tuple[str, Any]]:
    """Each destination's filters; those the server refuses are left out, with
    a note per status (and said in the id map: `left`, as `_optional`)."""
    found: list[tuple[str, Any]] = []
    destinations = sorted(set(filter(None, destination_ids)))
    skipped: dict[int, list[tuple[str, PublicApiError]]] = {}  # status → destinations that answered it
    for dest in destinations:
        path = f"/destination/{quote(dest, safe='')}/filters"
        try:
            for page in api.pages(path, "filters"):
                found += [(dest, item) for item in page]
                progress("filters", len(found), False)
        except PublicApiError as exc:  # a 403 too: only this destination's filters are left out
            if not _skippable(exc):
                raise
            skipped.setdefault(exc.status or 0, []).append((dest, exc))
    said = [_filters_note(status, failed, len(destinations)) for status, failed in sorted(skipped.items())]
    notes += said
    if said:
        left["filters"] = "; ".join(note.replace(": skipped, ", ": ", 1) for note in said)
    progress("filters", len(found), True)
    return found


def _filters_note(status: int, failed: list[tuple[str, PublicApiError]], total: int) -> str:
    """One note for the destinations whose filters answered `status`: a 404 from
    some may be a destination deleted meanwhile, from all of them the route off."""
    ids = maps.examples(dest for dest, _ in failed)
    every = len(failed) == total
    if status != 404:
        why = _why(failed[0][1])
    elif every:
        why = "HTTP 404 (the filters route may be off for the workspace" + (", or it was deleted meanwhile)"
                                                                             if total == 1 else ")")
    else:
        why = "HTTP 404 (deleted meanwhile?)"
    which = ("all " if total > 1 else "the ") if every else ""
    return f"filters of {which}{counted(len(failed), 'destination')}: skipped, {why}: {ids}"


def _id(item: Any) -> str:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else ""
