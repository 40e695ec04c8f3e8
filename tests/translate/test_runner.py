"""The file layer of translate: progress on terminals, nothing in pipes."""

from __future__ import annotations

import io
import json

import pytest

from migrator.ruleset import load_rules
from migrator.translate.runner import Options, Runner, StdoutClosed

RULES = load_rules()
LINES = "".join(json.dumps({"name": f"workspaces/a/sources/s{i}"}) + "\n" for i in range(2500))


def run(progress: bool) -> tuple[str, str]:
    log, sink = io.StringIO(), io.StringIO()
    runner = Runner(RULES, None, Options(ndjson=True), log, progress=progress)
    runner.stream(io.StringIO(LINES), "export.ndjson", sink, None)
    runner._clear_progress()
    return log.getvalue(), sink.getvalue()


def test_progress_is_shown_then_cleared_on_a_terminal():
    log, sink = run(progress=True)
    # Shown at most every half second (how many times depends on speed), one line rewritten in place.
    assert log.startswith("\rtranslating: 1,000 documents")
    assert log.endswith("\r\x1b[K")
    assert "\n" not in log
    assert len(sink.splitlines()) == 2500


def test_no_progress_in_pipes():
    log, sink = run(progress=False)
    assert log == ""
    assert sink.splitlines()[0] == json.dumps({"data": {"source": {"slug": "s0", "enabled": True, "labels": []}}},
                                                 separators=(",", ":"))


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def _two_inputs(tmp_path) -> list[str]:
    inputs = []
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps({"name": "workspaces/a/sources/s"}))
        inputs.append(str(tmp_path / name))
    return inputs


def test_stdout_that_cannot_be_written_is_named_and_stops_the_run(tmp_path):
    # A write error was once "<input>: error: cannot read: [Errno ...] ...", once per input,
    # and the document counted as translated.
    log = io.StringIO()
    runner = Runner(RULES, None, Options(), log)
    runner.run(_two_inputs(tmp_path), None, _FullDisk())
    assert log.getvalue() == "<stdout>: error: cannot write: No space left on device\n"
    assert (runner.summary.documents, runner.summary.errors) == (0, 1)


def test_a_reader_gone_from_stdout_stops_the_run_quietly(tmp_path):
    # `| head`: it was "<stdout>: error: cannot write: Broken pipe", exit 2.
    log = io.StringIO()
    runner = Runner(RULES, None, Options(), log)
    with pytest.raises(StdoutClosed):
        runner.run(_two_inputs(tmp_path), None, _ClosedPipe())
    assert log.getvalue() == ""
    assert (runner.summary.documents, runner.summary.errors) == (0, 0)
