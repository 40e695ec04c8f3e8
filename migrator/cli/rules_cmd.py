"""`migrator rules`: print the mapping table."""

from __future__ import annotations

import click

from migrator.cli.common import rules_or_exit
from migrator.ruleset.render import render_json, render_markdown, render_text

RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True)
def command(fmt: str) -> None:
    """Print the mapping table that drives rewrite, translate and audit."""
    click.echo(RENDERERS[fmt](rules_or_exit()), nl=False)
