"""Paths left out with `--exclude PATTERN` (`migrator audit`, `migrator rewrite`).

The patterns are gitignore lines (`migrator.gitignore`) anchored at the
working directory, matched against paths as the reports show them (relative
to it when below it, else as given). As in git, a path is out when its last
matching pattern says so, or when a folder above it is: a folder left out is
not entered, so `vendor/` then `!vendor/keep.js` keeps nothing, while
`vendor/*` then `!vendor/keep.js` keeps that file. Unlike ignore files, an
exclusion holds for files git tracks and for paths named on the command line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from migrator.gitignore import IgnoreFile, Pattern, parse_line

EXCLUDED = "excluded by --exclude"
"""How a path named on the command line that a pattern leaves out is reported (with the pattern)."""


class ExcludeError(ValueError):
    """A pattern that matches nothing: blank, a comment, `!` or `/` alone."""


@dataclass(frozen=True)
class Excludes:
    given: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    spec: IgnoreFile

    @classmethod
    def parse(cls, given: Iterable[str]) -> Excludes:
        given = tuple(given)
        patterns = []
        for text in given:
            pattern = parse_line(_relative(text))
            if pattern is None:
                raise ExcludeError(f"--exclude {text!r} is no pattern (give a path, a name or a glob: vendor/, "
                                   "**/generated/*.js, third_party)")
            patterns.append(pattern)
        return cls(given, tuple(patterns), IgnoreFile(patterns))

    def excluded(self, shown: str, is_dir: bool) -> bool:
        """The path alone (not the folders above it) is left out: for a walk,
        which does not enter a folder left out."""
        return self.spec.decide(_slashed(shown), is_dir) is True

    def covering(self, shown: str, is_dir: bool) -> str | None:
        """The pattern leaving out the path or a folder above it, or None."""
        parts = _slashed(shown).split("/")
        for end in range(1, len(parts) + 1):
            path = "/".join(parts[:end])
            if path and path != "." and self.excluded(path, is_dir or end < len(parts)):
                return self._deciding(path, is_dir or end < len(parts))
        return None

    def of_file(self, path: str) -> bool:
        """A file at `path` (as code names it: `src/../lib/x.py`) is left out."""
        return self.covering(shown(path), False) is not None

    def below(self, prefix: str) -> Callable[[str, bool], bool]:
        """For `files.walk_tree`: whether a path relative to the folder walked,
        shown as `prefix` + it, is left out."""
        return lambda relative, is_dir: self.excluded(prefix + relative, is_dir)

    def _deciding(self, path: str, is_dir: bool) -> str:
        """The pattern (as given) deciding that `path` is left out: the last one matching."""
        for text, pattern in zip(reversed(self.given), reversed(self.patterns)):
            if (is_dir or not pattern.dir_only) and re.fullmatch(pattern.regex, path, re.DOTALL):
                return text
        raise AssertionError(path)


def _relative(text: str) -> str:
    """A pattern as a path from the working directory is also written: `./libs/`
    and `/abs/repo/libs` as `/libs/` (anchored there; `/libs/` itself is a
    pattern anchored there); a Windows path is refused."""
    negated, body = ("!", text[1:]) if text.startswith("!") else ("", text)
    if re.search(r"\\[A-Za-z0-9_.-]", body):
        raise ExcludeError(f"--exclude {text!r}: write paths with `/`, not `\\`")
    top = os.getcwd().rstrip(os.sep) + os.sep
    if body.startswith(top) and body != top:  # else `/a/*`: a pattern anchored at the working directory
        body = "/" + _slashed(body[len(top):])
    elif body.startswith("./"):
        while body.startswith("./"):
            body = body[2:]
        body = "/" + body
    return negated + body


def shown(path: str) -> str:
    """`path` as the reports show it: relative to the working directory when below it."""
    normal = os.path.normpath(path)
    if not os.path.isabs(normal):
        return normal
    cwd = os.getcwd()
    if normal == cwd:
        return "."
    top = cwd.rstrip(os.sep) + os.sep
    return normal[len(top):] if normal.startswith(top) else normal


def walk_prefix(shown_root: str) -> str:
    """What goes before a path relative to a folder walked to show it."""
    return "" if shown_root == "." else shown_root.rstrip("/" + os.sep) + "/"


def _slashed(path: str) -> str:
    return path if os.sep == "/" else path.replace(os.sep, "/")
