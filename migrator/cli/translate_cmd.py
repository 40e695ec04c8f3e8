"""`migrator translate`: Config API JSON → Public API JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from migrator.cli.common import EXIT_ERROR, EXIT_FOUND, EXIT_OK, EXIT_PIPE, fail, ids_or_exit, rules_or_exit
from migrator.translate.runner import Log, Options, Runner, StdoutClosed


@click.command("translate")
@click.argument("inputs", nargs=-1, metavar="[FILE|DIR|-]...")
@click.option("-o", "--output", type=click.Path(), help="Output file, or directory mirroring the inputs (a name ending in "
              "`/` is a directory; `-` is stdout).")
@click.option("--endpoint", metavar='"METHOD /v1beta/..."', help="The Config call the documents belong to.")
@click.option("--request", is_flag=True, help="Translate request bodies into Public calls (needs --endpoint).")
@click.option("--ids", "ids_path", type=click.Path(path_type=Path, dir_okay=False), help="Id map from `migrator ids`.")
@click.option("--strict", is_flag=True, help="Exit 1 when fields are unknown, ids unresolved, values conflict, need a review, are missing or of "
                   "another JSON type than the Public field takes.")
@click.option("--ndjson/--no-ndjson", default=None, help="Force one document per line (default: by suffix or content).")
@click.option("-v", "--verbose", is_flag=True, help="List every dropped, unknown and unresolved field.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def command(
    inputs: tuple[str, ...],
    output: str | None,
    endpoint: str | None,
    request: bool,
    ids_path: Path | None,
    strict: bool,
    ndjson: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Translate Config API JSON (files, directories of *.json, stdin, NDJSON)
    into Public API JSON. Responses by default; request bodies with --request."""
    if request and not endpoint:
        raise fail('--request needs --endpoint "METHOD /v1beta/..."')
    rules = rules_or_exit()
    if endpoint and rules.match_endpoint(endpoint) is None:
        raise fail(f"no Config API endpoint in the table matches {json.dumps(endpoint, ensure_ascii=False)} (see `migrator rules`)")
    log = Log(sys.stderr)  # its reader gone: the messages are lost, not the exit code
    runner = Runner(rules, ids_or_exit(ids_path), Options(endpoint, request, ndjson, verbose), log,
                    progress=log.isatty() and not quiet)
    into_directory = output is not None and output.endswith(("/", os.sep))
    try:
        runner.run(list(inputs), None if output in (None, "-") else Path(output), sys.stdout, into_directory)
    except StdoutClosed:  # no summary: the reader has what it wanted, and the run did not finish
        sys.exit(EXIT_PIPE)
    summary = runner.summary
    if not quiet:
        for line in summary.lines():
            print(line, file=log)
    log.flush()
    if summary.errors:
        sys.exit(EXIT_ERROR)
    found = [what for count, what in ((summary.unknown, "unknown fields"), (summary.unresolved, "unresolved ids"),
                                      (summary.ambiguous, "ambiguous ids"), (summary.conflicts, "conflicting values"),
                                      (summary.review, "values to review"),
                                      (summary.other["missing"], "required values missing"),
                                      (summary.other["mistyped"], "values of another JSON type")) if count]
    if strict and found:
        print(f"strict: {', '.join(found)} (see -v)", file=log)
        sys.exit(EXIT_FOUND)
    sys.exit(EXIT_OK)
