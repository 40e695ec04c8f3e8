"""`migrator`: the command line. Each command lives in its own module here."""

from __future__ import annotations

import click

from migrator import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrator")
def cli() -> None:
    """Move code and data from Segment's Config API to the Public API."""


def _register() -> None:
    from migrator.cli import rules_cmd, translate_cmd

    for module in (rules_cmd, translate_cmd):
        cli.add_command(module.command)
    for optional in ("ids_cmd", "audit_cmd", "rewrite_cmd"):
        try:
            module = __import__(f"migrator.cli.{optional}", fromlist=["command"])
        except ModuleNotFoundError as exc:
            if exc.name != f"migrator.cli.{optional}":
                raise
            continue
        cli.add_command(module.command)


_register()


def main() -> None:
    cli(prog_name="migrator")
