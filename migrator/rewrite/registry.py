"""The rewrite kinds, in the order they see each string expression.

Each kind is a module with one `KIND` object:

    row: str                                     its row id in rules/rewrite.toml
    chain(ctx, chain) -> bool                    look at one string expression;
                                                 True claims it (later kinds skip it)
    finish(ctx) -> None                          once per file, after every chain

Later slices (responses, request bodies, pagination) add their modules here.
"""

from __future__ import annotations

from typing import Protocol

from migrator.rewrite import bodies, hosts, mocks, paths, responses, tokens
from migrator.rewrite.context import FileContext
from migrator.rewrite.strings import Chain


class Kind(Protocol):
    row: str

    def chain(self, ctx: FileContext, chain: Chain) -> bool: ...

    def finish(self, ctx: FileContext) -> None: ...


KINDS: tuple[Kind, ...] = (bodies.CHOOSER, paths.KIND, hosts.KIND, tokens.KIND, mocks.KIND, bodies.KIND, responses.KIND)
