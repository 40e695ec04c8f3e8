"""`migrator`: the command line. Each command lives in its own module here,
imported only when it runs (or for `--help`), so a command does not pay for
the others' imports.

Ctrl-C (SIGINT) ends every command, at any point once this module is loaded
(imports and option parsing included), with one line, `migrator <command>:
interrupted`, and exit code 130: click would print "Aborted!" and exit 1, the
code of findings. So this module imports little, and `main` imports click and
the group of commands (`migrator.cli.group`) under `interrupt_exits`, as the
group parses and runs a command. What a command does on the way out
(`finally`, `except KeyboardInterrupt: ...; raise`) runs first.

SIGTERM (`kill`, a CI job cancelled, a container stopped) takes the same
way out (`Terminated`, a KeyboardInterrupt), so that a temporary file is
removed as on Ctrl-C, with `migrator <command>: terminated` and exit code
143; a second SIGTERM ends the run at once."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

COMMANDS = {
    "rewrite": "migrator.cli.rewrite_cmd",
    "translate": "migrator.cli.translate_cmd",
    "audit": "migrator.cli.audit_cmd",
    "ids": "migrator.cli.ids_cmd",
    "rules": "migrator.cli.rules_cmd",
}
"""Command name → the module whose `command` it is."""

EXIT_INTERRUPTED = 130
"""The exit code of a run stopped by Ctrl-C (SIGINT), as shells report it."""
EXIT_TERMINATED = 143
"""The exit code of a run stopped by SIGTERM, as shells report it (128 + 15)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, as Ctrl-C raises KeyboardInterrupt."""


def main() -> None:
    _terminate_in(os.getpid())
    _encodable_output()
    with interrupt_exits(sys.argv[1:]):
        from migrator.cli.group import cli
    cli(prog_name="migrator")


def _encodable_output() -> None:
    """Text that the console's encoding cannot hold (`→` on a Windows code
    page, `PYTHONIOENCODING=cp1252`) is written escaped as JSON escapes it
    (`\\u2192`, `\\u00e9`, `\\ud83d\\ude80`: JSON written to the console
    stays JSON) rather than ending the run with a traceback."""
    import codecs

    codecs.register_error(JSON_ESCAPES, _json_escapes)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=JSON_ESCAPES)


JSON_ESCAPES = "migrator.jsonescape"
"""The error handler `_encodable_output` registers."""


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """`\\uXXXX` for each character that cannot be encoded (a UTF-16 pair above U+FFFF)."""
    assert isinstance(error, UnicodeEncodeError)
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


@contextmanager
def interrupt_exits(args: Sequence[str]) -> Iterator[None]:
    """Ctrl-C (KeyboardInterrupt) → one line naming the command `args` name,
    exit 130. SystemExit, which click lets through to the caller."""
    try:
        yield
    except KeyboardInterrupt as exc:
        command, terminated = _named(args), isinstance(exc, Terminated)
        sys.stderr.write(f"migrator{f' {command}' if command else ''}: {'terminated' if terminated else 'interrupted'}\n")
        sys.stderr.flush()
        raise SystemExit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED) from None


def _terminate_in(main_process: int) -> None:
    """SIGTERM raises `Terminated` in the process `main_process` (once: the
    next one ends it at once); in a process forked from it (a worker, which
    its parent may end with SIGTERM) it ends the process, as by default."""

    def terminate(signum: int, _frame: object) -> None:
        signal.signal(signum, signal.SIG_DFL)
        if os.getpid() != main_process:
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)


def _named(args: Sequence[str]) -> str | None:
    """The command `args` name: the first that is not an option (the group's
    own options, --help and --version, take no value)."""
    first = next((arg for arg in args if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def __getattr__(name: str) -> object:
    if name == "cli":  # `from migrator.cli import cli`, without importing click for `main`
        from migrator.cli.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
