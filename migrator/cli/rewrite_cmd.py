"""`migrator rewrite`: migrate Python code from the Config API to the Public API."""

from __future__ import annotations

import builtins
import keyword
import sys
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import click

from migrator.cli.common import EXIT_ERROR, EXIT_FOUND, EXIT_OK, exclude_option, excludes_or_exit, fail, ids_or_exit
from migrator.files import write_atomic
from migrator.rewrite import driver, run_report
from migrator.rewrite.diffs import encode_diff
from migrator.ruleset import RulesError

STDOUT = Path("-")
"""`--report -`: the report goes to standard output."""


@click.command("rewrite")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@click.option("--diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if any file would change."
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report (changes, markers, notes per file) to FILE ('-': standard output, not with --diff).",
)
@click.option(
    "--ids",
    "ids_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Id map from `migrator ids`: turns literal slugs into Public API ids.",
)
@click.option(
    "--lookup-module",
    metavar="NAME",
    help="With --ids: resolve slugs held in variables through a generated module NAME.py "
    "(e.g. segment_ids), written beside the code that imports it. Without it, such lines are marked.",
)
@click.option(
    "--region",
    type=click.Choice(["us", "eu"]),
    default="us",
    show_default=True,
    help="Region of the workspace: picks the Public API host.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), help="Processes to use; 0 means all cores, as for audit [default: all cores]."
)
@click.option(
    "--force", is_flag=True, help="Write even when the files have uncommitted git changes."
)
@exclude_option
def command(
    paths: tuple[Path, ...],
    diff: bool,
    check: bool,
    report_path: Path | None,
    ids_path: Path | None,
    lookup_module: str | None,
    region: str,
    jobs: int | None,
    force: bool,
    exclude: tuple[str, ...],
) -> None:
    """Rewrite Python files under PATH... in place to use the Public API.

    Lines that cannot be migrated safely get a `# migrator[<rule>]: ...`
    comment and are listed in the summary. Exit codes: 0 nothing to do or
    changes written, 1 changes needed (--check), 2 usage or input errors,
    including any file that could not be rewritten, 130 interrupted (Ctrl-C),
    143 terminated (SIGTERM).
    """
    if lookup_module is not None:
        problem = _lookup_module_problem(lookup_module)
        if problem is not None:
            raise click.BadParameter(problem, param_hint="'--lookup-module'")
        if ids_path is None:
            raise click.UsageError("--lookup-module needs --ids (the ids it holds come from the id map)")
    if report_path == STDOUT and diff:
        raise fail("--report - and --diff both write to standard output: give the report a file")
    ids = ids_or_exit(ids_path)
    excludes = excludes_or_exit(exclude)
    progress = _terminal_progress()
    try:
        outcome = driver.run(
            list(paths),
            write=not (diff or check),
            diff=diff,
            force=force,
            region=region,
            ids=ids,
            jobs=jobs or None,
            lookup_module=lookup_module,
            progress=progress,
            excludes=excludes,
        )
        if progress:
            # The last count covers every result the summary counts: files
            # skipped by discovery (symlinks out of the tree) and the
            # generated lookup module are not counted while the run goes.
            progress(len(outcome.results), len(outcome.results))
    except RulesError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a bug: report it, without a traceback
        raise fail(f"internal error: {type(exc).__name__}: {exc}") from None
    finally:
        if progress:
            progress.clear()

    if diff:
        out = getattr(sys.stdout, "buffer", sys.stdout)
        for result in outcome.results:
            if result.diff:
                out.write(encode_diff(result.diff))
        out.flush()
    if report_path is not None:
        data = run_report.report(outcome, region=region, ids=str(ids_path) if ids_path else None)
        text = run_report.report_json(data).encode("utf-8", "backslashreplace")
        try:
            if report_path == STDOUT:
                _write_stdout(text)
            else:
                write_atomic(report_path, text)
        except OSError as exc:
            raise fail(f"cannot write the report {report_path}: {exc.strerror or exc}") from None
    click.echo(run_report.summary(outcome), err=True, nl=False)
    if outcome.refused:
        raise fail(outcome.refused)
    if outcome.failed:
        raise SystemExit(EXIT_ERROR)
    if check and outcome.modified:
        raise SystemExit(EXIT_FOUND)
    raise SystemExit(EXIT_OK)


def _write_stdout(data: bytes) -> None:
    out = getattr(sys.stdout, "buffer", sys.stdout)
    out.write(data)
    out.flush()


def _lookup_module_problem(name: str) -> str | None:
    """Why `name` cannot name the generated lookup module, or None. It is
    written as `name.py` and imported as `name` by the rewritten files, so it
    must be one plain module name that no other module the code may import
    has: a module of the standard library, a built-in name, or the module of
    an installed distribution (unless that is a module this rewrite generated)."""
    if "." in name and all(part.isidentifier() for part in name.split(".")):
        return f"{name!r} is not a plain module name (the module is written as NAME.py beside the code)"
    if not name.isidentifier() or keyword.iskeyword(name):
        return f"{name!r} is not a module name"
    if name in sys.stdlib_module_names:
        return f"{name!r} is a module of the standard library: choose another name"
    if hasattr(builtins, name):
        return f"{name!r} is a built-in name, which `import {name}` would hide: choose another name"
    owner = _installed_owner(name)
    if owner is not None:
        return f"{name!r} is a module of the installed distribution {owner}: choose another name"
    return None


def _installed_owner(name: str) -> str | None:
    """The installed distribution whose top-level module is `name`, unless
    that module is one `migrator rewrite` generated."""
    for owner in packages_distributions().get(name, ()):
        files = distribution(owner).files or ()
        module = next((f for f in files if f.parts == (f"{name}.py",)), None)
        try:
            generated = module is not None and driver.LOOKUP_HEADER in Path(module.locate()).read_bytes()[:1024]
        except OSError:
            generated = False
        if not generated:
            return owner
    return None


def _terminal_progress() -> _Progress | None:
    return _Progress() if sys.stderr.isatty() else None


class _Progress:
    """A one-line counter on stderr, for terminals only."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        line = f"rewrite: {done}/{total} files"
        self.width = max(self.width, len(line))
        click.echo(f"\r{line}", err=True, nl=False)

    def clear(self) -> None:
        if self.width:
            click.echo(f"\r{' ' * self.width}\r", err=True, nl=False)
