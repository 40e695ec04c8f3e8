"""The id-map file: Config slugs and names → Public API ids.

Written by `migrator ids`, read by `translate --ids` and `rewrite --ids`.
Format (JSON, versioned; see docs/ids.md):

    {"format": "migrator.ids", "version": 1,
     "fetched_at": "2026-11-27T10:00:00Z", "api_url": "https://api.segmentapis.com",
     "workspace": {"id": "...", "slug": "acme", "name": "Acme"},
     "sources": {"<source slug>": "<source id>"},
     "destinations": {"<source slug>/<destination catalog slug>": ["<destination id>", ...]},
     "source_metadata": {"<catalog slug>": "<metadata id>"},
     "destination_metadata": {"<catalog slug or previous name>": "<metadata id>"},
     "previous_names": {"<previous name, slug form>": "<current catalog slug>"},
     "tracking_plans": {"<slug, name or id>": ["<tracking plan id>", ...]},
     "filters": {"<destination id>/<title>": ["<filter id>", ...]},
     "functions": {"<display name or id>": ["<function id>", ...]},
     "users": {"<email>": "<user id>"},
     "roles": {"<role name>": "<role id>"}}

Maps whose keys can name several Public objects hold lists: consumers report
ambiguity rather than pick one.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from migrator.ruleset.models import IdKind

FORMAT = "migrator.ids"
VERSION = 1

_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
"""The characters a URL path segment holds as they are (RFC 3986 `unreserved`):
every Public id seen has only letters, digits, `-` and `_` (`sfnc_…`, UUIDs)."""


def id_problem(value: str) -> str | None:
    """Why `value` cannot be a Public id put in a URL path segment; None when it can."""
    if not value:
        return "an id is never empty"
    if _SEGMENT.fullmatch(value) is None:
        return (f"{json.dumps(value, ensure_ascii=False)} is not a Public id: an id holds only letters, "
                "digits, \"-\", \".\", \"_\" and \"~\" (no space, no \"/\")")
    if value in (".", ".."):
        return f"\"{value}\" is not a Public id: a URL path segment of dots only means another path"
    return None


def _public_id(value: str) -> str:
    # A hand-edited map: an id of "" or "x/../y" would send the call to another path.
    problem = id_problem(value)
    if problem is not None:
        raise PydanticCustomError("public_id", "{problem}", {"problem": problem})
    return value


def names_several(ids: Iterable[str]) -> str:
    """The `skipped` reason of a key naming several objects (`NAMES_SEVERAL`
    reads it back: consumers report that key as ambiguous)."""
    distinct = sorted(set(ids))
    return f"it names {len(distinct)} objects in the Public API ({', '.join(distinct)})"


NAMES_SEVERAL = re.compile(r"it names \d+ objects in the Public API \(")
"""The start of a `names_several` reason."""


PublicId = Annotated[str, AfterValidator(_public_id)]
"""A Public id as the map holds it: non-empty, and safe in a URL path segment."""


def _distinct(ids: list[str]) -> list[str]:
    # A hand-edited map may list one id twice: one object, not an ambiguity.
    return list(dict.fromkeys(ids))


PublicIds = Annotated[list[PublicId], AfterValidator(_distinct)]
"""The ids of a key that may name several objects, each once, in their order."""


# Fields this version does not know are left out: a later migrator may add
# optional fields within version 1 (docs/ids.md, Versioning).
class WorkspaceIds(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    id: PublicId
    slug: str = Field(min_length=1)  # a map for "" would match no Config call
    name: str = ""


class IdMap(BaseModel):
    # validators built when first used: an audit never reads an id map
    model_config = ConfigDict(extra="ignore", defer_build=True)

    format: Literal["migrator.ids"] = FORMAT
    version: Literal[1] = VERSION
    fetched_at: datetime | None = None
    api_url: str | None = None
    workspace: WorkspaceIds | None = None
    sources: dict[str, PublicId] = {}
    destinations: dict[str, PublicIds] = {}
    source_metadata: dict[str, PublicId] = {}
    destination_metadata: dict[str, PublicId] = {}
    previous_names: dict[str, str] = {}
    """The keys of `destination_metadata` that are previous names (slug form)
    → the current slug of that catalog entry, which the Public API answers
    (empty in maps written before it was kept: then which key is current is not known)."""
    tracking_plans: dict[str, PublicIds] = {}
    filters: dict[str, PublicIds] = {}
    functions: dict[str, PublicIds] = {}
    users: dict[str, PublicId] = {}
    roles: dict[str, PublicId] = {}
    skipped: dict[str, str] | None = None
    """Maps `migrator ids` could not read, in whole or in part (`tracking_plans`)
    → why (`HTTP 403 (...)`): a key they lack may exist all the same; and
    keys it left out on purpose, as "<map>/<key>" (`sources/s5`) → why (a
    duplicate, an id a URL path cannot hold). Maps written before the
    latter have none: their keys were left out with a note only."""

    def skipped_for(self, kind: IdKind) -> str | None:
        """Why the map `kind` may lack keys the workspace has; None if it was read in full."""
        return (self.skipped or {}).get(_ATTRIBUTE.get(kind, ""))

    def unread(self, kind: IdKind) -> str | None:
        """Why the map `kind` holds no key at all: `migrator ids` could not
        read it (a lookup in it always fails); None when it holds some, or
        was read in full."""
        why = self.skipped_for(kind)
        return why if why is not None and not getattr(self, _ATTRIBUTE[kind]) else None

    def left_out(self, kind: IdKind, key: str) -> str | None:
        """Why `migrator ids` left `key` out of the map `kind` (a new fetch
        would too); None when it did not say."""
        if not self.skipped:
            return None
        attribute = _ATTRIBUTE.get(kind)
        return self.skipped.get(f"{attribute}/{key}") if attribute else None

    def keys_of(self, kind: IdKind, id_: str) -> list[str]:
        """The keys of the single-id map `kind` that hold `id_` (a catalog
        entry's slug and its previous names), sorted."""
        return sorted(k for k, v in getattr(self, _ATTRIBUTE[kind]).items() if v == id_)

    def left_out_as_several(self, kind: IdKind, key: str) -> str | None:
        """Why `migrator ids` left `key` out of the map `kind`, when that is
        because the key names several Public objects (ambiguous, not
        unknown); None otherwise."""
        why = self.left_out(kind, key)
        return why if why is not None and NAMES_SEVERAL.match(why) else None

    def resolve(self, kind: IdKind, key: str) -> Resolution:
        """The Public id for `key` in the map `kind`."""
        if kind == "workspace":
            ws = self.workspace
            if ws and key in (ws.slug, ws.id):
                return Resolution(key, (ws.id,))
            return Resolution(key, ())
        found = getattr(self, _ATTRIBUTE[kind]).get(key)
        if found is None:
            return Resolution(key, ())
        return Resolution(key, tuple(found) if isinstance(found, list) else (found,))

    def public_ids(self, kind: IdKind, within: str | None = None) -> frozenset[str]:
        """Every Public id the map `kind` holds; with `within` (an object's
        Public id), only those keyed below it (`<destination id>/<title>`)."""
        if kind == "workspace":
            return frozenset({self.workspace.id} if self.workspace else ())
        held = getattr(self, _ATTRIBUTE[kind])
        found = held.values() if within is None else (v for k, v in held.items() if k.startswith(within + "/"))
        return frozenset(i for v in found for i in (v if isinstance(v, list) else (v,)))

    def below(self, kind: IdKind, within: str) -> list[tuple[str, str]]:
        """(the rest of the key, the Public id) of each id the map `kind`
        keys below `within` (`<destination id>/<title>`), in the map's order."""
        held = getattr(self, _ATTRIBUTE[kind]) if kind in _ATTRIBUTE else {}
        return [(k[len(within) + 1 :], i) for k, v in held.items() if k.startswith(within + "/")
                for i in (v if isinstance(v, list) else (v,))]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True) + "\n"


CATALOGS: frozenset[IdKind] = frozenset({"source-metadata", "destination-metadata"})
"""The maps of Segment's catalogs: the same ids in every workspace."""

_ATTRIBUTE: dict[str, str] = {
    "source": "sources",
    "destination": "destinations",
    "source-metadata": "source_metadata",
    "destination-metadata": "destination_metadata",
    "tracking-plan": "tracking_plans",
    "filter": "filters",
    "function": "functions",
    "user": "users",
    "role": "roles",
}


@dataclass(frozen=True)
class Resolution:
    key: str
    ids: tuple[str, ...]

    @property
    def id(self) -> str | None:
        """The id when exactly one object matches."""
        return self.ids[0] if len(self.ids) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.ids) > 1


EMPTY = IdMap.model_construct()
"""`IdMap()`, made without building the validators."""


REFRESH = "run `migrator ids --refresh`"
"""What replaces a map of another version or without a workspace."""


class IdMapError(ValueError):
    """An id-map file that cannot be used; the message names the file and,
    when one does, the command that replaces it (`fix`). `problem` is the
    message without it: `migrator ids` replaces the file itself."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(f"{problem}; {fix}" if fix else problem)
        self.problem = problem


class UnreadableJson(ValueError):
    """Valid JSON that Python cannot read: nesting too deep, an integer too long."""


def read_json(text: str) -> object:
    """The JSON value of `text`; raises `json.JSONDecodeError` (malformed) or
    `UnreadableJson`, both with a one-line message."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise UnreadableJson("nested too deeply to read") from None
    except ValueError:  # the only other one: `int()` of too many digits
        raise UnreadableJson(f"an integer of more than {sys.get_int_max_str_digits()} digits cannot be read") from None


def _location(loc: tuple[int | str, ...]) -> str:
    """`workspace.slug`, `sources.js`, `destinations["js/google-analytics"][0]`: a key that is no plain word quoted."""
    where = str(loc[0]) if loc else ""
    for part in loc[1:]:
        if isinstance(part, int):
            where += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            where += f".{part}"
        else:
            where += f"[{json.dumps(part, ensure_ascii=False)}]"
    return where


def load_idmap(path: Path) -> IdMap:
    try:
        raw = read_json(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise IdMapError(f"{path}: cannot read id map: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise IdMapError(f"{path}: not a JSON id map: {exc}") from None
    return parse_idmap(raw, str(path))


def parse_idmap(raw: object, origin: str = "id map") -> IdMap:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise IdMapError(f"{origin}: not a migrator id map (expected \"format\": \"{FORMAT}\")")
    version = raw.get("version")
    if type(version) is not int or version != VERSION:  # not `true` nor `1.0`, which Python takes for 1
        given = f"version {json.dumps(raw['version'], ensure_ascii=False)}" if "version" in raw else "without a version"
        raise IdMapError(f"{origin}: id map {given} is not supported (this migrator reads version {VERSION})", REFRESH)
    try:
        idmap = IdMap.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _location(first["loc"])
        raise IdMapError(f"{origin}: invalid id map at {where}: {first['msg']}", REFRESH) from None
    if idmap.workspace is None:
        # Its slug tells which workspace a Config call is for: without it, ids of any workspace would be taken.
        raise IdMapError(f"{origin}: invalid id map at workspace: a map names its workspace ({{id, slug, name}}, "
                         "from `GET /`)", REFRESH)
    return idmap
