"""Row ids and the default texts of the markers and notes of the paths kind
(a row's `message` in rules/ takes their place when it has one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.idmap import IdMap
    from migrator.rewrite.context import FileContext
    from migrator.rewrite.table import Table
    from migrator.ruleset.models import IdKind

ROW = "rewrite.paths"
PARTIAL = "rewrite.partial-path"
METHOD = "rewrite.http-method"
BODY = "rewrite.request-body"
SLUGS = "rewrite.slug-ids"
ANY_ENDPOINT = "endpoint.*"
"""In `FileContext.kept_rows`: a Config base the file keeps, to which more
path is appended elsewhere (its endpoints cannot be told: any may be kept)."""
OTHER_WORKSPACE = "rewrite.other-workspace"

DEFAULTS = {
    PARTIAL: "Config API path built from parts this rewrite cannot see whole, or not in the "
    "table: rebuild it as a Public API path by hand (see `migrator rules`)",
    METHOD: "{reason}",
    BODY: "the request body of `{endpoint}` must change too: {summary}",
    ROW: "responses of migrated calls come in the Public API shape ({{\"data\": ...}}, "
    "camelCase fields, cursor pagination): reads in this file were migrated or marked; "
    "code elsewhere that gets these responses must change too ({rules})",
}
UNPROVEN_BASE = (
    "Config API path joined to a base URL this file does not show (configuration, a parameter, "
    "another module): migrate that base URL and this path together by hand (Public API: `{public}`)"
)
TWO_WAYS_PATH = (
    "Config API path joined to `{name}`, which this file binds two ways: imported from `{module}` ({imported}) "
    "and assigned here ({assigned}); which base it holds at run time cannot be told, so it stays on the Config "
    "API with it: migrate them together by hand (Public API: `{public}`)"
)
TWO_WAYS_BASE = (
    "Config API base URL `{name}`, which this file also imports from `{module}` ({imported}): which of the two it "
    "holds at run time cannot be told, so it stays on the Config API with the paths joined to `{name}` here; "
    "migrate them, this value and that module's together, by hand"
)
PINNED_HELD = (
    "left on the Config API together with `{name}`, the base URL it is compared with, which {module} defines and "
    "keeps on the Config API (its marker says why): migrate them together by hand"
)
IMPORTED_BASE = (
    "Config API path joined to `{name}`, a base URL imported from `{module}`, whose value this file does not "
    "show: rewrite this file in one run with that module if it holds the base as a Config API URL string, "
    "else migrate that base URL and this path together by hand (Public API: `{public}`)"
)
"""A base imported from another module, when nothing says which (the
codemod alone, the audit); a run says more (`SharedBases.outside`)."""
UNSEEN_BASE = (
    "Config API path joined to `{name}`, a base URL imported from `{module}`, not found in this run: rewrite "
    "this file together with that module, or migrate that base URL and this path together by hand (Public "
    "API: `{public}`)"
)
UNPLACED_BASE = (
    "Config API path joined to `{name}`, a base URL imported from `{module}`, which this run finds from no "
    "folder its layout gives (a `sys.path` set in code, an installed package): `{path}` of this run bears that "
    "name and may be it: a base URL there stays on the Config API for this file's sake; migrate that base URL and this path together by "
    "hand (Public API: `{public}`)"
)
OUTSIDE_BASE = (
    "Config API path joined to `{name}`, the Config API base URL that `{path}` defines (line {line}), which is "
    "not in this run: rewrite this file and `{path}` in one run, which moves them together, or migrate that "
    "base URL and this path together by hand (Public API: `{public}`)"
)
UNREAD_BASE = (
    "Config API path joined to `{name}`, imported from `{path}`, which does not hold it as a Config API URL "
    "string this rewrite reads (a plain string bound once): migrate that base URL and this path together by "
    "hand (Public API: `{public}`)"
)
REEXPORTED_BASE = (
    "Config API path joined to `{name}`, imported from `{path}`, which re-exports it from `{origin}`: this "
    "rewrite does not follow a re-export, so that base URL stays on the Config API; migrate it and this path "
    "together by hand (Public API: `{public}`)"
)
OWN_BASE = (
    "Config API path joined to a base URL this rewrite cannot trace: this file's Config base URL on {lines} may "
    "be it, and stays on the Config API with this path; migrate them together by hand (Public API: `{public}`)"
)
BUILT_BASE = (
    "Config API path joined to `{base}`, which holds the Config API base URL `{config}` built from parts "
    "(`{built}`) this rewrite does not move together: make `{base}` hold `{public_base}` (the Public API host, "
    "without `{version}`) and this path the Public API's `{public}`, together, by hand"
)
PINNED = (
    "Config API path compared whole with `{value}` (a test pinning a path, joined to no base URL): it must "
    "change together with that value, which this rewrite does not migrate with it; migrate them together by "
    "hand (Public API: `{public}`)"
)
STARRED_VALUES = (
    "Config API path whose values come from `{star}`: which values fill it, its base URL among them, cannot "
    "be told here: give them by name, or migrate this path by hand (Public API: `{public}`)"
)
REQUEST_PATH = (
    "Config API path compared with the request's path in a test double's handler, but not a whole Config "
    "request path (`/v1beta/...`): the code under test joins it to a base this test does not show; migrate "
    "them together by hand (Public API: `{public}`)"
)
REBOUND_PATH = (
    "Config API path compared with `{name}`, which this function binds to `{part}` on {line} and binds again: "
    "it may no longer be the whole request path, so this rewrite does not migrate it; migrate this comparison "
    "by hand (Public API: `{public}`)"
)
LAYERED_BASE = (
    "Config API base URL that ends at the workspace, {why}: the Public API drops the workspace from every path, "
    "so it becomes the base in front of it only together with every path joined to it; migrate them together, "
    "by hand"
)
JOINED_LAYERED = (
    "Config API path joined to `{name}`, a base URL that ends at the workspace and stays on the Config API (its "
    "marker says why): migrate them together by hand"
)
WORKSPACE_HELPER = (
    "Config API path joined to `{base}`, a base URL that ends at the workspace, from a value (`{value}`) this "
    "rewrite does not follow: it follows the paths a private helper of this file joins after the workspace "
    "itself, its callers passing path strings (`def _url(self, path): return "
    "f\"{{self.base_url}}/workspaces/{{self.workspace}}/{{path}}\"`, the base URL without the workspace; see "
    "docs/rewrite.md): write it so, or migrate the base and the paths given here together, by hand"
)
LAYERED_KEPT = (
    "Config API base URL that ends at the workspace, which the Public API drops from every path: it stays on the "
    "Config API with every path joined to it, as its {uses} on {where} cannot move with it (used whole, or a path "
    "not followed or kept: see there); migrate them together by hand"
)
UNREAD_WORKSPACE = (
    "whose workspace `{value}` is neither a literal nor a constant of this file (a Public API token serves one "
    "workspace: give it as a literal or a constant holding the id map's)"
)
LAYERED_SLASH = (
    "built on `{base}`, which ends with {end} while the paths joined to it start with `/` (with the workspace "
    "gone, the two could meet at `//`)"
)
IMPORTED_WORKSPACE = "which another module of the run imports (the paths joined to it there are not seen here)"
JOINED = (
    "left on the Config API together with the Config URL part it is joined to on {lines}, "
    "which cannot be migrated: migrate them together by hand"
)
APART = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `{base}` "
    "written out: `{base}` moved to the Public API with the other doubles joined to it: if the code under test "
    "still sends this Config API request (a module it imports kept on the Config API), keep this double and "
    "migrate them together, else migrate or remove it by hand"
)
"""Said alike by the audit, which reads the test file alone, and by a run
whose modules the test reaches do not keep the endpoint (`driver`: they do,
the double stays with its base, `KEPT`); code outside the run may still."""
APART_BEFORE = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `{base}` "
    "written out: `{base}` moved to the Public API with the other doubles joined to it, for the code under test, "
    "which no longer sends this Config API request: migrate or remove this double by hand"
)
"""`APART` as earlier versions wrote it (a later run finds their comments again)."""
DECLARED = (
    "Config API path that `@{decorator}` declares, joined to a base URL given apart (the client's `base_url`) and "
    "filled from the method's parameters: this rewrite does not move declared paths, nor the Config base URLs of "
    "this file with them; migrate every path of the client, its method's parameters and its base URL together "
    "by hand (Public API: `{public}`)"
)
"""A declarative client's path (`declared`): it holds the file's Config bases back (`paths.finish`)."""
JOINED_SUPPRESSED_HERE = (
    "left on the Config API together with the Config URL part it is joined to on {lines}, "
    "kept there by {suppression}: migrate them together by hand"
)
JOINED_IMPORT = (
    "left on the Config API together with `{name}`, the base URL it is joined to, which {module} "
    "defines and keeps on the Config API (its marker says why): migrate them together by hand"
)
JOINED_SUPPRESSED = (
    "left on the Config API together with `{name}`, the base URL it is joined to, which {module} "
    "defines and keeps on the Config API, its marker suppressed there ({suppression}): migrate them "
    "together by hand"
)
KEPT = (
    "the code this file tests keeps calling the Config API for this endpoint ({where}): left on the "
    "Config API with it; migrate them together by hand"
)
KEPT_CALL = (
    "the code this file tests keeps calling the Config API for this endpoint ({where}), and this file's test "
    "doubles stay with it: this call, which they may answer, is left on the Config API too; migrate them "
    "together by hand"
)
"""`KEPT` for a call the test itself sends in a file with doubles (`sent_calls`): not a double itself."""
KEPT_MOVED = (
    "the code this file tests keeps calling the Config API for this endpoint ({where}), while {calls} to "
    "the Public API: this double answers the Config API calls only, a test of the migrated one needs a "
    "Public API double; migrate them together by hand"
)
"""`KEPT` when the code the test reaches also migrated calls of the endpoint
(`calls`: "the call on client.py:12 now goes"): which of them the test
makes is not followed (`kept_marker`)."""
JOINED_MOVED = (
    "{joined}; but the code this file tests calls the Public API for this endpoint now ({where}): a double of "
    "this URL no longer answers it"
)
"""Added to the marker of a test's URL held on the Config API with its base
(`JOINED`...) when the code the test reaches migrated calls of its endpoint."""
SLUGS_BY_HAND = ("kept-id", "ambiguous", "left-out", "unread", "unread-variable", "missing", "twice", "deferred", "taken", "unreached", "unreached-unquoted")
"""Kinds of slug markers below that no id map fixes (their markers say so:
`Marker.by_hand`; the audit tags them needs-a-person)."""
SLUG_DEFAULTS = {
    "needs-ids": "`{endpoint}` needs the Public id of {kind} `{key}`: run `migrator ids`, then "
    "`migrator rewrite --ids FILE`",
    "unknown": "`{endpoint}`: the id map has no {kind} `{key}`; check the slug or refresh the id map "
    "with `migrator ids`",
    "ambiguous": "`{endpoint}`: {kind} `{key}` names {count} objects in the Public API; put the right "
    "id in by hand",
    "left-out": "`{endpoint}`: the id map leaves out {kind} `{key}` ({why}), and a new `migrator ids` would "
    "too; put the right id in by hand",
    "unread": "`{endpoint}`: the id map has no {kind} `{key}`, and could not read them all ({why}): a new "
    "`migrator ids` with the same token could not either; put the right id in by hand",
    "unread-variable": "`{endpoint}` needs the Public id of the {kind} in `{value}`, but the id map could not "
    "read them all ({why}) and holds none, so the generated lookup would always fail: pass the id by hand",
    "variable": "`{endpoint}` needs the Public id of the {kind} in `{value}`: rewrite with an id map "
    "and the generated lookup module, or pass the id",
    "missing": "`{endpoint}`: the rule gives no value for `{param}`; fix the path by hand",
    "twice": "`{endpoint}` would need one value of this expression twice (in an id lookup and "
    "as it is): write the Public path by hand",
    "absent": "`{endpoint}`: the id map has no id for {kind} `{key}` (created since the map was fetched, "
    "or created by this code): take the id from the create call's response{where}, or refresh the id map "
    "with `migrator ids`",
    "taken": "`{endpoint}` needs the Public id of the {kind} in `{value}`, but here `{module}`, the name of the "
    "generated lookup module, is {how}: rename it, or rewrite with another `--lookup-module`",
    "unreached": "`{lookup}(...)` raises LookupError for an object the id map does not hold, before the "
    "request is sent (where the Config API answered 404 to `{endpoint}`), so its 404 handling (`{check}`) is not "
    "reached for it: handle LookupError too",
    "unreached-unquoted": "`{lookup}(...)` raises LookupError for an object the id map does not hold, before the "
    "request is sent (where the Config API answered 404), so its 404 handling (`{check}`) is not reached "
    "for it: handle LookupError too",
    "kept-id": "`{endpoint}` keeps the Config {kind} id `{value}` in its Public path, but the id map does not hold it"
    "{where}: whether Public {kind} ids equal Config ids is not documented; write the Public id of this {kind} "
    "by hand (`migrator ids` lists them)",
    "deferred": "`{endpoint}` needs the Public id of the {kind}, whose slug is filled into this "
    "template elsewhere: pass the id there (or wrap the slug with the generated lookup)",
}


def unknown_key(ids: IdMap, kind: IdKind, key: str, which: str = "unknown") -> tuple[str, dict[str, str]]:
    """The slug marker kind (and its extra fields) for a `key` the id map
    lacks: `left-out` when `migrator ids` left it out on purpose (a refresh
    would too), `unread` when it could not read that map in full (a refresh
    meets the same refusal), else `which`."""
    why = ids.left_out(kind, key)
    if why is not None:
        return "left-out", {"why": why}
    skipped = ids.skipped_for(kind)
    return ("unread", {"why": skipped}) if skipped is not None else (which, {})


def unread_map(ids: IdMap | None, kind: IdKind) -> str | None:
    """Why a lookup in the map `kind` would always fail: `migrator ids`
    could not read it and it holds no key (None when it holds some)."""
    return ids.unread(kind) if ids is not None else None


def slug_message(ctx: FileContext, table: Table, which: str, **fields: str) -> str:
    """The text of a slug marker of kind `which` (a key of `SLUG_DEFAULTS`),
    noted in `ctx` when no id map resolves it."""
    text = table.message(SLUGS + "." + which, SLUG_DEFAULTS[which], **fields)
    if which in SLUGS_BY_HAND:
        ctx.by_hand.add(text)
        ctx.slugs_by_hand.add(text)
    return text
