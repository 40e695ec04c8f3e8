"""Request bodies pinned in the asserts of tests that use test doubles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrator.rewrite.context import FileContext
from migrator.rewrite.table import Table

if TYPE_CHECKING:
    from migrator.rewrite.mocks import Mock


def migrate_asserts(ctx: FileContext, mocks: list[Mock], table: Table) -> None:
    return None
