"""What the codemod reports for a file: migrated spans and markers (no
libcst here, so that importing them costs nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One migrated span."""

    rule: str
    line: int
    """1-based line in the original source."""
    column: int
    """0-based column (characters) in the original source."""
    before: str
    after: str


@dataclass(frozen=True)
class Marker:
    """A place a person must look at (a `# migrator[rule]: ...` comment above it)."""

    rule: str
    line: int
    column: int
    reason: str
    by_hand: bool = False
    """No id map resolves it, though its row is one `--ids` fixes (an
    ambiguous slug, one filled in elsewhere)."""
    with_ids: bool = False
    """An id map resolves it, though its row is not one `--ids` fixes (a
    base kept on the Config API with a path that only lacked ids)."""
    slug_by_hand: bool = field(default=False, compare=False)
    """A slug marker that no id map resolves by its own kind (ambiguous,
    filled in elsewhere), not only for what is kept with it (`by_hand`)."""
    new_line: int | None = field(default=None, compare=False)
    """1-based line of the same code in the rewritten source (marker comments
    and other edits above it shift it)."""
    new_reason: str | None = field(default=None, compare=False)
    """`reason` as written into the rewritten source: the lines it names are
    that source's (`line_refs`)."""
    held: str | None = field(default=None, compare=False)
    """The message of the marker comment an earlier run left there for the
    same rule and thing, when this run writes none: what the file says,
    which may be worded otherwise than `reason` (that run saw Config calls
    in the file, where this one sees Public ones)."""
