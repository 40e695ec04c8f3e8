"""The git guard of `migrator rewrite`: files are written only when git can
show and undo the rewrite (each one tracked and without uncommitted changes)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path


def git_guard(paths: Iterable[Path]) -> str | None:
    """Why writing `paths` is unsafe (uncommitted changes to them), or None.

    Only the files this run would write are checked: a file must be tracked
    and unmodified (nothing staged, nothing in the work tree) so that the
    rewrite can be reviewed with `git diff` and undone with `git checkout`.
    Files outside any git work tree are not checked.
    """
    by_tree: dict[Path, list[Path]] = {}
    tops: dict[Path, Path | None] = {}
    for path in paths:
        real = path.resolve()
        top = _work_tree(real.parent, tops)
        if top is not None:
            by_tree.setdefault(top, []).append(real)
    dirty: list[str] = []
    for top, members in sorted(by_tree.items()):
        try:
            dirty += _dirty(top, members)
        except _GitError as exc:
            return f"cannot check for uncommitted changes in {top}: {exc}; rerun with --force to write anyway"
    if not dirty:
        return None
    shown = "\n".join(f"  {line}" for line in dirty[:10])
    more = f"\n  ... and {len(dirty) - 10} more" if len(dirty) > 10 else ""
    return (
        f"refusing to write: {len(dirty)} file(s) to rewrite have uncommitted changes, "
        f"so the rewrite could not be reviewed or reverted with git:\n{shown}{more}\n"
        "commit or stash them first, or rerun with --force"
    )


class _GitError(Exception):
    pass


def _work_tree(directory: Path, cache: dict[Path, Path | None]) -> Path | None:
    if directory in cache:
        return cache[directory]
    if (directory / ".git").exists():
        top: Path | None = directory
    elif directory.parent == directory:
        top = None
    else:
        top = _work_tree(directory.parent, cache)
    cache[directory] = top
    return top


_STATES = {"?": "untracked", "!": "ignored by git"}


def _dirty(top: Path, files: list[Path]) -> list[str]:
    """`<path> (<state>)` for each of `files` that is not tracked and clean."""
    found = []
    # The work tree found above, not one named by a hook's GIT_DIR & co.
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
    for start in range(0, len(files), 200):
        batch = [os.path.relpath(f, top) for f in files[start : start + 200]]
        try:
            proc = subprocess.run(
                ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all",
                 "--ignored=matching", "--", *batch],
                cwd=top, env=env, capture_output=True, check=False,
            )
        except OSError as exc:
            raise _GitError(f"cannot run git ({exc.strerror})") from None
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise _GitError(message[-1] if message else f"git exited with {proc.returncode}")
        entries = iter(proc.stdout.decode("utf-8", "surrogateescape").split("\0"))
        for entry in entries:
            if len(entry) < 4:
                continue
            code, name = entry[:2], entry[3:]
            if "R" in code or "C" in code:
                next(entries, None)  # the original name of a rename or copy
            state = _STATES.get(code[0]) or ("staged" if code[1] == " " else "modified")
            # A folder stands for every file of ours inside it (an ignored folder is listed whole).
            names = [f for f in batch if f.replace(os.sep, "/").startswith(name)] if name.endswith("/") else []
            found += [f"{os.path.join(top, n)} ({state})" for n in names or [name]]
    return found
