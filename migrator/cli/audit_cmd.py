"""`migrator audit`: leftover Config API usage in any file, for people and CI."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import click

from migrator.audit import baseline as baselines
from migrator.audit.cache import default_directory, sweep, unusable
from migrator.audit.model import Finding, selects
from migrator.audit.report import FORMATS, Report, reporter
from migrator.audit.report.text import error_lines
from migrator.audit.run import DEFAULT_MAX_SIZE, audit_paths, default_jobs
from migrator.audit.stats import compute, counted, render as render_stats
from migrator.cli.common import (
    EXIT_ERROR, EXIT_FOUND, EXIT_OK, exclude_option, excludes_or_exit, fail, rules_or_exit,
)
from migrator.files import write_atomic

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
STDOUT = Path("-")
"""What `-o` and `--write-baseline` take for standard output."""


class Size(click.ParamType):
    name = "size"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m:
            self.fail(f"{value!r} is not a size such as 5MB or 200k", param, ctx)
        unit = (m.group(2) or "").lower()[:1]
        return int(float(m.group(1)) * _UNITS[unit])


def _rule_list(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


@click.command("audit")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, sarif for GitHub code scanning, github for Actions annotations.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Report only these rule ids or prefixes (comma-separated, repeatable), e.g. endpoint,host.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not report these rule ids or prefixes.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current findings in FILE (for --baseline) and exit 0 (`-`: standard output).")
@click.option("--stats", is_flag=True,
              help="Also print counts per rule and per file type, and how many Python files the cache answered.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output (`-`: standard output).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes to use; 0 means all cores.")
@click.option("--max-size", type=Size(), default=str(DEFAULT_MAX_SIZE), show_default="5MB",
              help="Skip files larger than this (with a note).")
@click.option("--no-gitignore", is_flag=True, help="Also read files that .gitignore excludes.")
@exclude_option
@click.option("--precise/--no-precise", default=True, show_default=True,
              help="Read Python files that use the Config API with the codemod (what `migrator rewrite` "
                   "would change or mark); --no-precise reads them as text, which is faster.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where --precise keeps what the codemod found in each Python file, so that files "
                   "read before cost a hash [default: $MIGRATOR_CACHE_DIR, else the user cache folder].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def command(
    paths: tuple[Path, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    stats: bool,
    output: Path | None,
    jobs: int,
    max_size: int,
    no_gitignore: bool,
    exclude: tuple[str, ...],
    precise: bool,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Find leftover Config API usage in any file under PATH... (default: .).

    Exit codes: 0 no findings, 1 findings (new ones, with --baseline),
    2 usage errors or files that could not be read, 130 interrupted (Ctrl-C),
    143 terminated (SIGTERM).
    Deliberate uses can be kept with a `migrator: ignore[rule-id]` comment
    on the line or alone on the line above.
    """
    baseline_out = write_baseline == STDOUT
    if baseline_out and output == STDOUT:
        raise fail("-o - and --write-baseline - both name standard output: give one of them a file")
    if output == STDOUT:
        output = None
    rules = rules_or_exit()
    excludes = excludes_or_exit(exclude)
    selected, ignored = _rule_list(select), _rule_list(ignore)
    for option, given, read in (("--select", select, selected), ("--ignore", ignore, ignored)):
        if given and not read:
            raise fail(f"{option} names no rule (give rule ids or prefixes, comma-separated; see `migrator rules`)")
    known = set(rules.by_id)
    for selector in selected + ignored:
        if not any(selects(rule, selector) for rule in known):
            raise fail(f"unknown rule id or prefix: {selector!r} (see `migrator rules`)")
    for target in (output, write_baseline):
        problem = _unwritable(target) if target is not None and target != STDOUT else None
        if problem:  # said before a long run, not after it
            raise fail(problem)
    known_prints = None
    if baseline_path is not None:
        try:
            known_prints = baselines.load(baseline_path)
        except baselines.BaselineError as exc:
            raise fail(str(exc)) from None

    if fmt in ("sarif", "github") or baseline_path is not None or write_baseline is not None:
        below = _below_top()
        if below is not None:
            click.echo(f"migrator audit: {below}", err=True)
    progress = _Progress() if sys.stderr.isatty() and not os.environ.get("CI") else None
    started = time.perf_counter()
    own_cache = cache_dir or default_directory()  # never read, used or not
    cache = None if no_cache or not precise else own_cache
    problem = unusable(cache) if cache is not None else None
    if problem:
        click.echo(f"migrator audit: {problem}: Python files will be read again next time", err=True)
        cache = None
    run = audit_paths(
        list(paths) or [Path(".")], rules, jobs=jobs or default_jobs(), max_size=max_size,
        use_gitignore=not no_gitignore, precise=precise, progress=progress, cache=cache,
        exclude=[output] if output is not None else [], excludes=excludes,
        own_folders=[own_cache] if own_cache is not None else [],
    )
    if cache is not None:
        sweep(cache)
    if progress:
        progress.clear()
    elapsed = time.perf_counter() - started

    findings: list[Finding] = [
        f for f in run.findings
        # A finding of the codemod also answers to the rows the text scanner
        # reports at its place (`Finding.also`).
        if (not selected or f.answers_to(selected)) and not (ignored and f.covered_by(ignored))
    ]
    if baseline_out:
        click.echo(baselines.dump(findings), nl=False)
    elif write_baseline is not None:
        _write(write_baseline, baselines.dump(findings).encode())
    baselined = 0
    if known_prints is not None:
        findings, baselined = baselines.new_findings(findings, known_prints)

    summary = compute(run.results, findings, baselined, run.clean, run.binary, run.precise)
    report = Report(findings, run.results, summary, rules.by_id, run.errors, run.notes)
    text = reporter(fmt)(report)
    if stats and fmt == "text" and output is None and write_baseline is None:
        text += "\n" + render_stats(summary)
    elif stats:
        click.echo(render_stats(summary), err=True, nl=False)
    if output is not None:
        _write(output, text.encode())
        click.echo(f"migrator audit: {counted(len(findings), 'finding')} in {counted(summary.files, 'file')} read "
                   f"({elapsed:.1f}s); report in {output}", err=True)
    elif write_baseline is None:  # recording a baseline says only that (the findings are in it)
        click.echo(text, nl=False)
    if output is not None or write_baseline is not None:  # the report is not on the screen: its errors are
        for line in error_lines(report):
            click.echo(f"migrator audit: {line}", err=True)
    if write_baseline is not None:
        unread = len(error_lines(report))
        short = f" (incomplete: {counted(unread, 'path')} could not be read)" if unread else ""
        click.echo(f"migrator audit: baseline of {len(findings) + baselined} findings written to "
                   f"{'standard output' if baseline_out else write_baseline}{short}", err=True)

    if run.errors or summary.failed:
        raise click.exceptions.Exit(EXIT_ERROR)
    if findings and not exit_zero and write_baseline is None:
        raise click.exceptions.Exit(EXIT_FOUND)
    raise click.exceptions.Exit(EXIT_OK)


def _below_top() -> str | None:
    """A note when the working directory is below the top of its git work
    tree: paths, and so fingerprints, are relative to it, where GitHub
    code scanning and a baseline written at the top expect the top's."""
    from migrator.gittree import work_tree_of

    here = os.path.realpath(os.getcwd())
    tree = work_tree_of(here)
    if tree is None or os.path.realpath(tree.root) == here:
        return None
    return (f"paths are relative to the working directory, not to the top of the repository ({tree.root}): "
            "GitHub code scanning places files from the top, and a baseline written there names files by "
            "paths from the top (its findings show as new here, or as those of another file whose path from "
            "here is the same); run from the top")


def _unwritable(path: Path) -> str | None:
    """Why a file cannot be written at `path` (a file where a folder is needed), or None."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else f"{path}: cannot write: {parent} is a file, not a directory"
    return None


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise fail(_unwritable(path) or f"{path}: cannot write: {exc.strerror or exc}") from None


class _Progress:
    """A one-line counter on stderr, for terminals only."""

    def __init__(self) -> None:
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last > 0.1 or done == total:
            click.echo(f"\raudit: {done}/{total} files", err=True, nl=False)
            self.shown = True
            self.last = now

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)
