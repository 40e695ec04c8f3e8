"""The thin layer: walk trees, scan the files (in this process, or on
several cores: see `parallel`), and collect per-file results."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrator.audit.core import PYTHON_SUFFIXES, Auditor, decode
from migrator.audit.environments import with_environments
from migrator.audit.links import add_linked_reads
from migrator.audit.python import exports_of, linked_findings
from migrator.audit.shared import with_shared_bases
from migrator.audit.workspaces import with_run_workspaces
from migrator.audit.model import FileResult, Finding
from migrator.audit.parallel import auditor_for, scan_parallel
from migrator.audit.stats import count_precise
from migrator.audit.reading import CHUNK, DEFAULT_MAX_SIZE, Chunk, read_file, scan_files
from migrator.audit.walk import Walk, printable, shown_path
from migrator.exclude import EXCLUDED, Excludes
from migrator.gittree import is_work_tree_top
from migrator.imports import imported_from_above, using_layout, walks_all
from migrator.layout import Layout
from migrator.ruleset import RuleSet

__all__ = ["DEFAULT_MAX_SIZE", "Run", "audit_paths", "default_jobs", "printable", "read_file", "scan_files"]


@dataclass
class Run(Chunk):
    """Everything one audit run saw."""

    errors: list[str] = field(default_factory=list)
    """Problems with the run itself (a path that does not exist)."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(path, note): what was left out of the run or may be missed, and why."""

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def audit_paths(
    roots: list[Path],
    rules: RuleSet,
    *,
    jobs: int = 1,
    max_size: int = DEFAULT_MAX_SIZE,
    use_gitignore: bool = True,
    precise: bool = True,
    cache: Path | None = None,
    exclude: Collection[Path] = (),
    excludes: Excludes | None = None,
    own_folders: Collection[Path] = (),
    auditor: Auditor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    """Audit every file under `roots`. `precise` reads Python files that may
    use the Config API with the codemod (when installed), keeping what it
    finds in the `cache` directory when given; `auditor` replaces the
    default one (tests use it). Files in `exclude` (the
    report being written) are not read, nor those `excludes` (`--exclude`)
    leaves out, even as context (shared bases, linked files); a path named
    that it leaves out is reported skipped; nor the folders of `own_folders`
    (the cache's, wherever it is given), even as context."""
    run = Run()
    walk = Walk()
    roots = walk.statable(roots)
    own = _own_folder(own_folders)
    files = walk.files(roots, use_gitignore, own, excludes)
    if exclude:
        left_out = {shown_path(path) for path in exclude}
        files = (f for f in files if f not in left_out)
    json_files: list[str] = []  # for Postman environments (`with_environments`)
    python_files: set[str] = set()  # for `add_linked_reads`: modules a response is followed through
    batches = _batches(_noting_python(_noting_json(files, json_files), python_files), CHUNK)
    first = next(batches, [])
    auditor = auditor or auditor_for(rules, precise, cache)
    if jobs <= 1 or len(first) < CHUNK:  # a small tree: other processes would cost more than they save
        _serial(run, _chain(first, batches), auditor, max_size, progress)
    else:
        run.add(scan_parallel(_chain(first, batches), auditor, rules, precise, cache, jobs, max_size, progress))
    with_environments(run, auditor, json_files, max_size)
    with using_layout(Layout(python_files)):  # the roots of the run's imports, as the rewrite's
        folders = [shown_path(root) for root in roots if root.is_dir()]
        # as a rewrite of the whole run reads them; a run of some files of the working tree, as one of it all
        whole = _whole_tree(roots, folders, use_gitignore, excludes, own)
        read_with: dict[str, frozenset[str]] = {}
        planned = with_shared_bases(run.results, auditor, max_size, whole, run.precise, excludes, read_with)
        # calls of different files for different workspaces, as a rewrite of the run marks them
        planned = with_run_workspaces(
            run.results, auditor, max_size, planned, read_with,
            lambda given: with_shared_bases(run.results, auditor, max_size, whole, run.precise, excludes, read_with,
                                            given),
            run.precise,
        )
        # Python findings are the codemod's; what it does not migrate needs a person.
        python_fix = "manual" if auditor.codemod is not None else None
        codemod = linked_findings(auditor.codemod, rules, auditor.cache, _noting(run)) \
            if auditor.codemod is not None else None
        run.results = add_linked_reads(
            run.results, auditor.catalog, run.clean, max_size, python_fix, run.entries, folders, codemod, rules,
            excludes, exports_of(auditor.codemod, rules, planned) if auditor.codemod is not None else None,
            python_files,
        )
        above = imports_above(run.results)
    run.results.extend(FileResult(path, skipped=f"{EXCLUDED} {pattern}") for path, pattern in walk.excluded)
    run.errors.extend(f"{printable(path)}: {why}" for path, why in walk.missing)
    run.notes.extend((printable(path), f"skipped, {reason}") for path, reason in walk.skipped)
    if above is not None:
        run.notes.append(above)
    for result in run.results:
        if not result.path.isascii():
            _printable_paths(result)
    run.results.sort(key=lambda r: r.path)
    return run


def _noting(run: Run) -> Callable[[str, str], None]:
    """Counts a file of the run the codemod reads as linked (`linked_findings`) in `run.precise`."""
    by_path = {r.path: r for r in run.results}

    def noted(path: str, how: str) -> None:
        result = by_path.get(path)
        if result is not None:
            count_precise(run.precise, result.precise, how)
            result.precise = how

    return noted


def _noting_json(files: Iterator[str], found: list[str]) -> Iterator[str]:
    for path in files:
        if path.lower().endswith(".json"):
            found.append(path)
        yield path


def _noting_python(files: Iterator[str], found: set[str]) -> Iterator[str]:
    for path in files:
        if path.endswith(PYTHON_SUFFIXES):
            found.add(path)
        yield path


def _own_folder(folders: Collection[Path]) -> Callable[[str], bool] | None:
    """Whether a folder walked is one of `folders` (the audit's cache: its
    entries quote the findings), by real path; its name is checked first."""
    reals = {os.path.realpath(folder) for folder in folders}
    names = {os.path.basename(real) for real in reals}
    if not reals:
        return None
    return lambda path: os.path.basename(path) in names and os.path.realpath(path) in reals


def _whole_tree(
    roots: list[Path], folders: list[str], use_gitignore: bool, excludes: Excludes | None,
    own: Callable[[str], bool] | None = None,
) -> Callable[[], Iterator[str]] | None:
    """The files of the project a run of some of them belongs to (None for
    a run of it all, or of files outside the working directory): the
    nearest git work tree holding them in the working directory, else the
    working directory less the work trees in it that hold none of them
    (other projects beside the run's are not read)."""
    if walks_all(folders) or any(os.path.isabs(shown_path(root)) for root in roots):
        return None
    paths = [os.path.normpath(shown_path(root)) for root in roots]
    tops = sorted({_project_top(path) for path in paths})
    if all(top in {os.path.normpath(f) for f in folders} for top in tops):
        return None  # the run walks them whole
    keep = {folder for path in paths for folder in _self_and_above(path)}

    def not_walked(folder: str) -> bool:
        """Another project beside the run's, or the audit's own folder."""
        if own is not None and own(folder):
            return True
        return is_work_tree_top(folder) and os.path.normpath(folder) not in keep

    return lambda: Walk().files([Path(top) for top in tops], use_gitignore, not_walked, excludes)


def imports_above(results: list[FileResult]) -> tuple[str, str] | None:
    """A note (path, note) when the working directory is below the top of its git work
    tree and a Python file with findings imports a module found only above
    it (`imports.imported_from_above`): not followed (a shared base there is
    not read), so a run from the top may say more of the file."""
    for result in results:
        if not result.findings or not result.path.endswith(PYTHON_SUFFIXES):
            continue
        data, _ = read_file(result.path, DEFAULT_MAX_SIZE)
        found = imported_from_above(result.path, decode(data, True)[0]) if data is not None else None
        if found is not None:
            spec, top = found
            return printable(result.path), (
                f"imports `{spec}` from above the working directory, which is not read: run from the top "
                f"of the repository ({printable(top)}) for what a run of it says of this file"
            )
    return None


PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
"""What the top folder of a Python project outside git holds."""


def _project_top(path: str) -> str:
    """The nearest folder holding `path` (a relative, normal path), itself
    included, that is a git work tree's top; outside one, the nearest
    holding a `PROJECT_FILES`, else the working directory. The file system's
    root and the home folder are no project (walked, every project of the
    machine or the user would be read, a home folder's dotfiles repository
    too): run from there, the run's own folder is (`path` when it is one,
    else the folder holding it)."""
    cwd = os.path.realpath(os.getcwd())
    everything = cwd == os.path.dirname(cwd) or cwd == os.path.realpath(os.path.expanduser("~"))
    above = [folder for folder in _self_and_above(path) if folder != "." or not everything]
    for folder in above:
        if is_work_tree_top(folder):
            return folder
    for folder in above:
        if any(os.path.isfile(os.path.join(folder, name)) for name in PROJECT_FILES):
            return folder
    if not everything:
        return "."
    return path if os.path.isdir(path) else os.path.dirname(path) or "."


def _self_and_above(path: str) -> Iterator[str]:
    """`path` and the folders above it, up to the working directory (`.`)."""
    while path not in ("", "."):
        yield path
        path = os.path.dirname(path)
    yield "."


def _printable_paths(result: FileResult) -> None:
    result.path = printable(result.path)
    result.findings = [replace(f, path=result.path) for f in result.findings]


def _serial(
    run: Run, batches: Iterator[list[str]], auditor: Auditor, max_size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    done = 0
    for batch in batches:
        run.add(scan_files(auditor, batch, max_size))
        done += len(batch)
        if progress:
            progress(done, done)


def _batches(files: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for path in files:
        batch.append(path)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    if first:
        yield first
    yield from rest


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
