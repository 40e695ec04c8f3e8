"""What a Config field name becomes across the resources that have it
(`display_name` is `name`, but `displayName` for a function), for the
messages of the audit and the codemod's markers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from migrator.ruleset.models import ResourceRow


@dataclass(frozen=True)
class Outcomes:
    """Public name (`` `name` ``, None when dropped) → the resources that
    give it and why (for drops), the most common first."""

    by_outcome: dict[str | None, list[tuple[ResourceRow, str]]]
    ranked: list[str | None]

    @classmethod
    def of(cls, uses: Iterable[tuple[ResourceRow, str | None, str]]) -> Outcomes:
        by_outcome: dict[str | None, list[tuple[ResourceRow, str]]] = defaultdict(list)
        for resource, to, why in uses:
            by_outcome[to].append((resource, why))
        ranked = sorted(by_outcome, key=lambda to: (-len(by_outcome[to]), to is None, to or ""))
        return cls(dict(by_outcome), ranked)

    @property
    def first(self) -> str | None:
        return self.ranked[0]

    def reason(self) -> str | None:
        """Why the most common outcome drops the field, when all say the same."""
        reasons = {why for _, why in self.by_outcome[None] if why} if self.first is None else set()
        return reasons.pop() if len(reasons) == 1 else None

    def others(self) -> list[str]:
        """`` `displayName` for a function``, `not returned for an invite`."""
        return [
            f"{'not returned' if to is None else to} for {kinds_phrase(r.kind for r, _ in self.by_outcome[to])}"
            for to in self.ranked[1:]
        ]


def kinds_phrase(kinds: Iterable[str]) -> str:
    """`a destination, an invite or a source`."""
    named = [f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in sorted({k.replace("-", " ") for k in kinds})]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
