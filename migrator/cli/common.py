"""Options and error handling shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from migrator.exclude import ExcludeError, Excludes
from migrator.idmap import IdMap, IdMapError, load_idmap
from migrator.ruleset import RuleSet, RulesError, load_rules

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
EXIT_PIPE = 141
"""`translate` to a stdout whose reader went away (`| head`): 128 + SIGPIPE, as a shell reports other tools."""


def fail(message: str) -> click.exceptions.Exit:
    """Print a one-line error and leave with the usage/input error code."""
    click.echo(f"migrator: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def rules_or_exit(directory: Path | None = None) -> RuleSet:
    try:
        return load_rules(directory)
    except RulesError as exc:
        raise fail(str(exc)) from None


def ids_or_exit(path: Path | None) -> IdMap | None:
    if path is None:
        return None
    try:
        return load_idmap(path)
    except IdMapError as exc:
        raise fail(str(exc)) from None


exclude_option = click.option(
    "--exclude", "exclude", multiple=True, metavar="PATTERN",
    help="Leave out the files and folders this gitignore-style pattern matches, relative to the working "
         "directory (vendor/, **/generated/*.js, third_party), tracked or not, named or not (repeatable).",
)


def excludes_or_exit(patterns: tuple[str, ...]) -> Excludes | None:
    """The `--exclude` patterns given, or None without any."""
    if not patterns:
        return None
    try:
        return Excludes.parse(patterns)
    except ExcludeError as exc:
        raise fail(str(exc)) from None
