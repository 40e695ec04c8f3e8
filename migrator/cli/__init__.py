"""`migrator`: the command line. Each command lives in its own module here."""

from __future__ import annotations

import click

from migrator import __version__
from migrator.cli import audit_cmd, ids_cmd, rewrite_cmd, rules_cmd, translate_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrator")
def cli() -> None:
    """Move code and data from Segment's Config API to the Public API."""


for _module in (rewrite_cmd, translate_cmd, audit_cmd, ids_cmd, rules_cmd):
    cli.add_command(_module.command)


def main() -> None:
    cli(prog_name="migrator")
