"""The click group of the commands (see `migrator.cli`)."""

from __future__ import annotations

import importlib
from typing import Any

import click

from migrator import __version__
from migrator.cli import COMMANDS, interrupt_exits


class _Commands(click.Group):
    """The commands, loaded when named. Ctrl-C is reported by `interrupt_exits`
    before click would say "Aborted!": around parsing and running a command."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with interrupt_exits(args):
            ctx = super().make_context(info_name, args, parent, **extra)
            ctx.meta[_ARGS] = tuple(args)
            return ctx

    def invoke(self, ctx: click.Context) -> Any:
        with interrupt_exits(ctx.meta.get(_ARGS, ())):
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        return importlib.import_module(module).command if module else None


_ARGS = "migrator.args"
"""Key of `click.Context.meta`: the arguments given to the group."""


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrator")
def cli() -> None:
    """Move code and data from Segment's Config API to the Public API."""
