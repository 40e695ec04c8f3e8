"""`migrator`: the command line. Each command lives in its own module here,
imported only when it runs (or for `--help`), so a command does not pay for
the others' imports."""

from __future__ import annotations

import importlib

import click

from migrator import __version__

COMMANDS = {
    "rewrite": "migrator.cli.rewrite_cmd",
    "translate": "migrator.cli.translate_cmd",
    "audit": "migrator.cli.audit_cmd",
    "ids": "migrator.cli.ids_cmd",
    "rules": "migrator.cli.rules_cmd",
}
"""Command name → the module whose `command` it is."""


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        return importlib.import_module(module).command if module else None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrator")
def cli() -> None:
    """Move code and data from Segment's Config API to the Public API."""


def main() -> None:
    cli(prog_name="migrator")
