"""The file side of `translate`: inputs (files, trees, stdin, NDJSON), outputs,
per-document errors as values, and the counts of the summary."""

from __future__ import annotations

import copy
import io
import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from migrator.files import LINK_OUT, discover, open_atomic
from migrator.idmap import IdMap
from migrator.ruleset import RuleSet
from migrator.translate import GivenIds, Report, TranslateError, TranslateResult, jsontext, translate

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
JSON_SUFFIXES = (".json", *NDJSON_SUFFIXES)
STDIN = "-"
BOM = "\ufeff"
UNDECODED = "surrogateescape"
"""Bytes that are not UTF-8 are read as lone surrogates, so that they are an
error for their document (its line in NDJSON), not for the rest of the file."""


@dataclass
class Options:
    endpoint: str | None = None
    request: bool = False
    ndjson: bool | None = None
    """None: decide from the suffix (files) or the first line (stdin)."""
    verbose: bool = False


@dataclass
class Summary:
    documents: int = 0
    unchanged: int = 0
    """Documents given back as they were: already Public."""
    errors: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    unknown: int = 0
    unresolved: int = 0
    ambiguous: int = 0
    conflicts: int = 0
    review: int = 0
    other: Counter[str] = field(default_factory=Counter)

    def add(self, reports: tuple[Report, ...]) -> None:
        kinds = Counter(report.kind for report in reports)
        if kinds["dropped"]:
            self.dropped.update(report.rule for report in reports if report.kind == "dropped")
        del kinds["dropped"]
        self.unknown += kinds.pop("unknown", 0)
        self.unresolved += kinds.pop("unresolved", 0)
        self.ambiguous += kinds.pop("ambiguous", 0)
        self.conflicts += kinds.pop("conflict", 0)
        self.review += kinds.pop("review", 0)
        self.other.update(kinds)

    def lines(self) -> list[str]:
        out = [
            f"translated {self.documents} document(s), "
            + (f"{self.unchanged} left unchanged (already Public), " if self.unchanged else "")
            + f"{self.errors} error(s); "
            f"{sum(self.dropped.values())} field(s) dropped by rule, {self.unknown} unknown, "
            f"{self.unresolved} unresolved id(s)" + (f", {self.ambiguous} ambiguous" if self.ambiguous else "")
        ]
        out += [f"  dropped by {rule}: {count}" for rule, count in sorted(self.dropped.items())]
        if self.conflicts:
            out.append(f"  conflicting values (each report says which one is sent, if any): {self.conflicts}")
        if self.review:
            out.append(f"  to review (kept or sent on an undocumented assumption): {self.review}")
        out += [f"  {kind}: {count}" for kind, count in sorted(self.other.items())]
        return out


@dataclass
class Runner:
    rules: RuleSet
    ids: IdMap | None
    options: Options
    log: IO[str]
    summary: Summary = field(default_factory=Summary)
    given: GivenIds = field(default_factory=GivenIds)
    """The Public ids the run's documents got (a filter's): two Config filters given one is a conflict."""
    progress: bool = False
    """Show a running count on `log` (a terminal)."""
    _shown_at: float = 0.0

    def error(self, where: str, message: str) -> None:
        self._clear_progress()
        self.summary.errors += 1
        print(f"{where}: error: {message}", file=self.log)

    def _tick(self) -> None:
        done = self.summary.documents + self.summary.unchanged
        if self.progress and done % 1000 == 0:
            now = time.monotonic()
            if now - self._shown_at >= 0.5:
                self._shown_at = now
                print(f"\rtranslating: {done:,} documents", end="", file=self.log, flush=True)

    def _clear_progress(self) -> None:
        if self.progress and self._shown_at:
            print("\r\033[K", end="", file=self.log, flush=True)
            self._shown_at = 0.0

    def one(self, doc: Any, where: str, repeated: list[tuple[str, str, Any]] | None = None) -> TranslateResult | None:
        """The translation, or None after reporting an error. Not counted:
        `written` counts it once it is written."""
        try:
            result = translate(
                doc, self.rules, self.ids, endpoint=self.options.endpoint, request=self.options.request,
                repeated=repeated or (), given=self.given,
            )
        except TranslateError as exc:
            rule = f" [{exc.rule}]" if exc.rule else ""
            self.error(where, f"{exc}{rule}")
            return None
        except RecursionError:
            self.error(where, "nested too deeply to translate")
            return None
        return result

    def written(self, result: TranslateResult, where: str) -> None:
        """Count a written document and its reports (listed with -v, and
        each document left unchanged)."""
        if result.unchanged:
            self.summary.unchanged += 1
        else:
            self.summary.documents += 1
        self._tick()
        self.summary.add(result.reports)
        if self.options.verbose:
            if result.unchanged:
                print(f"{where}: unchanged: already Public", file=self.log)
            for report in result.reports:
                at = f" {_shown_path(report.path)}:" if report.path else ""
                print(f"{where}:{at} {report.kind} [{report.rule}] {report.message}", file=self.log)

    def _document(self, text: str, where: str, sink: IO[str], *, pretty: bool, at_position: bool) -> None:
        """Parse, translate and write one document; any problem is one error line."""
        numbers, objects = jsontext.Number.reworded, jsontext.Object.made
        bad = _not_utf8(text)
        if bad is not None:
            line, column, byte = bad
            if at_position:
                self.error(f"{where}:{line}:{column}", f"not UTF-8 text: byte 0x{byte:02x}")
            else:
                self.error(where, f"not UTF-8 text at column {column}: byte 0x{byte:02x}")
            return
        try:
            doc = jsontext.loads(text)
        except json.JSONDecodeError as exc:
            why = jsontext.problem(exc)
            if exc.msg == "Extra data" and _starts_document(exc.doc, exc.pos):
                why = ("a second JSON document starts here; one document per file, or one per line (NDJSON: "
                       "`jq -c . FILE`)" if at_position else "a second JSON document starts here; one per line")
            if at_position:
                self.error(f"{where}:{exc.lineno}:{exc.colno}", f"malformed JSON: {why}")
            else:
                self.error(where, f"malformed JSON at column {exc.colno}: {why}")
            return
        except jsontext.JsonTextError as exc:
            self.error(where, f"not translatable JSON: {exc}")
            return
        repeated = jsontext.duplicates(doc) if jsontext.Object.made != objects else None
        result = self.one(doc, where, repeated)
        if result is None:
            return
        try:
            text = jsontext.dumps(result.document, pretty=pretty, numbers=jsontext.Number.reworded != numbers)
        except (jsontext.JsonTextError, ValueError) as exc:
            self.error(where, f"cannot write the translation: {exc}")
            return
        try:
            sink.write(text + "\n")
        except BrokenPipeError:  # stdout read by `| head`, which has what it wanted
            raise StdoutClosed from None
        except OSError as exc:  # a full disk
            raise CannotWrite(f"cannot write: {exc.strerror or exc}") from None
        self.written(result, where)

    def stream(self, source: IO[str], name: str, sink: IO[str], ndjson: bool | None) -> None:
        """Translate one input (a JSON document or NDJSON lines) into `sink`.

        `ndjson` None: NDJSON when the first line is a whole JSON object."""
        try:
            first = source.readline()
            if _utf16(first):
                wide = "UTF-16BE" if first.startswith("\x00") else "UTF-16LE"
                self.error(name, f"NUL bytes between the characters: this looks like {wide} without a byte order "
                                 f"mark; convert it to UTF-8 (`iconv -f {wide} -t UTF-8`)")
                return
            if ndjson is None:
                ndjson = _looks_like_ndjson(first)
            if ndjson:
                self._lines(first, source, name, sink)
            else:
                self._whole(first + source.read(), name, sink)
        except (OSError, UnicodeDecodeError) as exc:
            self.error(name, f"cannot read: {exc}")

    def _lines(self, first: str, source: Iterable[str], name: str, sink: IO[str]) -> None:
        lines = itertools.chain((first,) if first else (), source)
        for number, line in enumerate(lines, start=1):
            line = line.removeprefix(BOM)  # concatenated exports repeat it at the start of each
            if line.strip():
                # Without its line end: a line cut off is read to where it ends, at its own column.
                text = line.removesuffix("\n").removesuffix("\r")
                self._document(text, f"{name}:{number}", sink, pretty=False, at_position=False)

    def _whole(self, text: str, name: str, sink: IO[str]) -> None:
        if not text.strip():
            self.error(name, "empty input: expected a JSON document or NDJSON lines")
            return
        first, _, rest = text.partition("\n")
        if rest.strip() and _looks_like_ndjson(first) and _extra_data(text):
            # A `.json` file holding one document per line (an export named .json).
            # Lines end at "\n" only: U+2028, U+0085 and the like may stand unescaped in JSON strings.
            self._lines(first + "\n", (line + "\n" for line in rest.split("\n")), name, sink)
            return
        self._document(text, name, sink, pretty=True, at_position=True)

    def run(self, inputs: list[str], output: Path | None, stdout: IO[str], into_directory: bool = False) -> None:
        """`into_directory`: `output` is a directory even if it does not exist yet."""
        plan = self._plan(inputs, output)
        if into_directory and output is not None and not plan.to_directory:
            plan.to_directory = True
            self._no_stdin_into_directory(plan)
        if output is None or not plan.to_directory:
            self._to_one_sink(plan, output, stdout)
        else:
            pairs = plan.pairs(output)
            clashes = _clashes(pairs)
            if clashes:
                for target, sources in clashes:
                    self.error(str(target), "several inputs would be written here: " + ", ".join(map(str, sources))
                               + "; translate them into separate output directories")
                self._clear_progress()
                return
            for source, target in pairs:
                self._into(target, [source])
        self._clear_progress()

    def _to_one_sink(self, plan: Plan, output: Path | None, stdout: IO[str]) -> None:
        if output is None:
            try:
                for source in plan.sources:
                    self._from(source, stdout)
                stdout.flush()  # a reader gone shows here, not at exit
            except BrokenPipeError:
                _quiet(stdout)
                raise StdoutClosed from None
            except StdoutClosed:
                _quiet(stdout)
                raise
            except (CannotWrite, OSError) as exc:  # OSError: the last flush
                why = str(exc) if isinstance(exc, CannotWrite) else f"cannot write: {exc.strerror or exc}"
                self.error("<stdout>", why)
                _quiet(stdout)
            return
        if plan.sources:
            self._into(output, plan.sources)

    def _into(self, target: Path, sources: list[str | Path]) -> None:
        """Translate `sources` into the file `target`. A file whose documents all
        failed is not written (an existing one is kept); the others replace it
        whole, once complete. An input is never written over (its Config
        fields, once translated, would be lost)."""
        if any(source != STDIN and _same_file(Path(source), target) for source in sources):
            self.error(str(target), "is an input: writing its translation there would replace it; choose another -o")
            return
        before = copy.deepcopy(self.summary)
        sink = LazyFile(target)
        try:
            for source in sources:
                self._from(source, sink)
        except CannotWrite as exc:
            sink.close(commit=False)
            self._not_written(before)
            self.error(str(target), str(exc))
            return
        except BaseException:
            sink.close(commit=False)
            raise
        try:
            sink.close(commit=sink.written or self.summary.errors == before.errors)
        except OSError as exc:
            self._not_written(before)
            self.error(str(target), str(CannotWrite.of(target, exc)))

    def _not_written(self, before: Summary) -> None:
        """Uncount the documents (and their reports) of an output file that was
        not written, keeping the errors met on the way."""
        before.errors = self.summary.errors
        self.summary = before

    def _from(self, source: str | Path, sink: IO[str]) -> None:
        if source == STDIN:
            stdin = (io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors=UNDECODED, newline="\n")
                     if hasattr(sys.stdin, "buffer") else sys.stdin)
            self.stream(stdin, "<stdin>", sink, self.options.ndjson)
            return
        path = Path(source)
        ndjson = self.options.ndjson
        if ndjson is None:
            ndjson = path.suffix.lower() in NDJSON_SUFFIXES
        try:
            # A BOM is skipped; lines end at "\n" only (a bare CR is JSON whitespace).
            handle = path.open(encoding="utf-8-sig", errors=UNDECODED, newline="\n")
        except OSError as exc:
            self.error(str(path), f"cannot read: {exc.strerror}")
            return
        with handle:
            self.stream(handle, str(path), sink, ndjson)

    def _plan(self, inputs: list[str], output: Path | None) -> Plan:
        plan = Plan()
        for item in inputs or [STDIN]:
            if item == STDIN:
                if STDIN in plan.sources:
                    self.error("<stdin>", f"'{STDIN}' is given more than once; stdin is read once")
                else:
                    plan.sources.append(STDIN)
                continue
            path = Path(item)
            if path.is_dir():
                plan.to_directory = True
                found = discover([path], lambda p: p.suffix.lower() in JSON_SUFFIXES)
                for skipped in found.skipped:
                    if skipped.path.suffix.lower() not in JSON_SUFFIXES and not skipped.path.is_dir():
                        continue  # not an input of ours anyway
                    if skipped.reason == LINK_OUT:  # as `rewrite` says it: a note, not an error
                        self._clear_progress()
                        print(f"{skipped.path}: note: {LINK_OUT}: not followed", file=self.log)
                    else:
                        self.error(str(skipped.path), skipped.reason)
                files = _outside(found.files, path, output)
                if len(files) < len(found.files):
                    self._clear_progress()
                    print(f"{output}: note: the output directory is inside the input {path}: its files are not "
                          f"read", file=self.log)
                plan.sources.extend(files)
                plan.roots.update({f: path for f in files})
            elif path.exists():
                plan.sources.append(path)
            else:
                self.error(item, "no such file or directory")
        if output is not None and (output.is_dir() or len(plan.sources) > 1):
            plan.to_directory = True
        self._no_stdin_into_directory(plan)
        return plan

    def _no_stdin_into_directory(self, plan: Plan) -> None:
        if plan.to_directory and STDIN in plan.sources:
            self.error("<stdin>", "stdin cannot be written into an output directory")
            plan.sources.remove(STDIN)


class Log:
    """The run's stderr (errors, reports, summary). When its reader goes away
    (`2>&1 | head -1`) the messages after are lost, silently, and the run goes
    on to its own exit code (stdout's reader gone ends the run: `StdoutClosed`)."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream: IO[str] = stream if stream is not None else io.StringIO()
        self.gone = stream is None  # stderr closed before the run (`2>&-`): Python gives None

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._gone()

    def isatty(self) -> bool:
        return not self.gone and self.stream.isatty()

    def _gone(self) -> None:
        self.gone = True
        _quiet(self.stream)


class StdoutClosed(Exception):
    """Stdout's reader went away (`migrator translate ... | head`): the run
    ends at once and quietly, as other Unix tools do (`EXIT_PIPE`)."""


class CannotWrite(Exception):
    """An output file that cannot be written; the message says why."""

    @classmethod
    def of(cls, path: Path, exc: OSError) -> CannotWrite:
        for parent in path.parents:
            if parent.exists() or parent.is_symlink():
                if not parent.is_dir():
                    return cls(f"cannot write: {parent} is a file, not a directory")
                break
        return cls(f"cannot write: {exc.strerror or exc}")


class LazyFile:
    """An output file opened (atomically, see `open_atomic`) at its first
    write, so that nothing is created for input that yields no document."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = False
        self._writer: Any = None
        self._handle: IO[str] | None = None

    def write(self, text: str) -> None:
        try:
            if self._handle is None:
                self._writer = open_atomic(self.path, "w", "utf-8")
                self._handle = self._writer.__enter__()
            self._handle.write(text)
        except OSError as exc:
            raise CannotWrite.of(self.path, exc) from None
        self.written = True

    def close(self, *, commit: bool) -> None:
        """Put the file in place (`commit`, an empty one if nothing was
        written) or leave what was there untouched."""
        if self._writer is None:
            if commit:
                with open_atomic(self.path, "w", "utf-8"):
                    pass
            return
        writer, self._writer, self._handle = self._writer, None, None
        if commit:
            writer.__exit__(None, None, None)
        else:
            writer.__exit__(_Discard, _Discard(), None)


class _Discard(Exception):
    """Thrown into an unfinished `open_atomic` to remove its temporary file."""


@dataclass
class Plan:
    sources: list[str | Path] = field(default_factory=list)
    roots: dict[Path, Path] = field(default_factory=dict)
    to_directory: bool = False

    def pairs(self, output: Path) -> list[tuple[Path, Path]]:
        """Each input file and its place in the output tree (mirroring the input tree)."""
        found = []
        for source in self.sources:
            assert isinstance(source, Path)
            root = self.roots.get(source)
            relative = source.relative_to(root) if root else Path(source.name)
            found.append((source, output / relative))
        return found


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def _outside(files: list[Path], root: Path, output: Path | None) -> list[Path]:
    """`files` (found below the folder `root`) without those below `output`
    when it is a folder inside `root`: the outputs of an earlier run."""
    if output is None:
        return files
    try:
        inner = output.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return files
    if not inner:
        return files  # the output is the input folder itself: each file is replaced, not read twice
    return [f for f in files if f.relative_to(root).parts[: len(inner)] != inner]


def _quiet(stream: IO[str]) -> None:
    """After a stream failed (a reader gone), send what is left in its buffer,
    and what is written after, nowhere, so that exiting does not fail again on
    flushing it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _clashes(pairs: list[tuple[Path, Path]]) -> list[tuple[Path, list[Path]]]:
    """Output files that more than one input would be written to."""
    by_target: dict[Path, list[Path]] = {}
    for source, target in pairs:
        by_target.setdefault(Path(os.path.normcase(os.path.abspath(target))), []).append(source)
    return [(target, sources) for target, sources in by_target.items() if len(sources) > 1]


_SYNTAX = json.JSONDecoder(parse_int=str)
"""Reads the syntax only (is it JSON, where does it end): an integer of any
length is no error here; `jsontext.loads` says what is wrong with it."""


def _extra_data(text: str) -> bool:
    try:
        _SYNTAX.decode(text)
    except json.JSONDecodeError as exc:
        return exc.msg == "Extra data"
    except RecursionError:
        return False
    return False


def _starts_document(text: str, at: int) -> bool:
    """Whether an object or list starts at `at` (what "Extra data" found there)."""
    if at >= len(text) or text[at] not in "{[":
        return False
    try:
        _SYNTAX.raw_decode(text, at)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _utf16(first: str) -> bool:
    """Whether NULs fill the first line as UTF-16 without a BOM puts them
    (every other character, ASCII text): no JSON holds a NUL as it is."""
    return "\x00" in first and first.count("\x00") * 3 >= len(first)


def _not_utf8(text: str) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte of `text` that was not UTF-8
    (read with `UNDECODED`), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        at = exc.start
        line_start = text.rfind("\n", 0, at) + 1
        return text.count("\n", 0, at) + 1, at - line_start + 1, ord(text[at]) - 0xDC00
    return None


def _looks_like_ndjson(first: str) -> bool:
    """A first line that is a whole JSON object means one document per line."""
    line = first.strip()
    if not line.startswith("{"):
        return False
    try:
        _SYNTAX.decode(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


LOG_WORDS = frozenset({"error", "note"})


def _shown_path(path: str) -> str:
    """A report's JSON path, told apart from the words of other log lines
    (`file:line: error: ...` is an error line, a field `error` is `$.error`)."""
    return f"$.{path}" if path in LOG_WORDS else path
