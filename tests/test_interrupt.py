"""Ctrl-C (SIGINT) ends every command with one line and exit code 130, at any
point, and what a command does on its way out still happens. click printed
"Aborted!" and exited 1, the code of findings (`ids` alone said otherwise,
and only once its own code ran).

Each test starts `migrator` in a process of its own and sends it a real
SIGINT once the process shows it is running: a line it printed while it
waits on a pipe that the test never fills, or a request that the fake Public
API holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from migrator.idmap import IdMap, WorkspaceIds
from tests.ids.fake_public_api import FakePublicApi, Fault

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

ROOT = Path(__file__).resolve().parents[1]
HELD = "held\n"

HOLD = """
import importlib, sys

target, argument = sys.argv[1:3]  # hold at the first call of module:function (with that first argument)
del sys.argv[1:3]
module_name, name = target.split(":")
module = importlib.import_module(module_name)
real = getattr(module, name)

def held(*args, **kwargs):
    if not argument or args[:1] == (argument,):
        print("held", flush=True)
        sys.stdin.readline()  # the test never writes: waits until Ctrl-C
    return real(*args, **kwargs)

setattr(module, name, held)
from migrator.cli import main
main()
"""
"""A `migrator` whose run waits on stdin at one call: Ctrl-C arrives there."""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in a shell, whatever the test runner set


def start(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items()
           if not key.lower().endswith("_proxy") and key != "SEGMENT_PUBLIC_API_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen(
        [sys.executable, *command], cwd=cwd, env=env, text=True, preexec_fn=_default_sigint,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def interrupt(child: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C, then the exit code and what the process wrote on stderr."""
    try:
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, stderr


def test_translate_keeps_the_old_output_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "public.ndjson"
    out.write_text("old\n")
    child = start(["-m", "migrator", "translate", "--ndjson", "-o", str(out), "-"], tmp_path)
    assert child.stdin is not None and child.stderr is not None
    # One document written to the temporary output, then an error: the line on stderr says
    # translate is reading stdin, which then stays open and empty.
    child.stdin.write('{"name": "workspaces/acme/sources/web", "display_name": "Web"}\nnot json\n')
    child.stdin.flush()
    first = child.stderr.readline()
    assert first == "<stdin>:2: error: malformed JSON at column 1: Expecting value\n"
    assert len(list(tmp_path.iterdir())) == 2  # the output and its temporary file
    code, stderr = interrupt(child)
    assert (code, stderr) == (130, "migrator translate: interrupted\n")
    assert [p.name for p in tmp_path.iterdir()] == ["public.ndjson"]
    assert out.read_text() == "old\n"


@pytest.fixture
def old_map(tmp_path: Path) -> Iterator[Path]:
    """An id map that `--refresh` replaces, unless interrupted."""
    path = tmp_path / "ids.json"
    old = IdMap(fetched_at=datetime(2026, 1, 2, tzinfo=timezone.utc), api_url="http://127.0.0.1:9",
                workspace=WorkspaceIds(id="w", slug="old")).to_json()
    path.write_text(old)
    yield path
    assert [p.name for p in tmp_path.iterdir()] == ["ids.json"]
    assert path.read_text() == old


def test_ids_during_a_request_keeps_the_old_map(tmp_path: Path, old_map: Path) -> None:
    arrived = threading.Event()
    with FakePublicApi.sample() as fake:
        fake.fail("/sources", Fault(delay=60.0, arrived=arrived))  # answered after the test
        child = start(["-m", "migrator", "ids", "--api-url", fake.url, "--token", fake.token,
                       "-o", str(old_map), "--refresh"], tmp_path)
        try:
            assert arrived.wait(timeout=60)
        finally:
            code, stderr = interrupt(child)
    assert (code, stderr) == (130, "migrator ids: interrupted\n")


def test_ids_while_its_command_is_imported_keeps_the_old_map(tmp_path: Path, old_map: Path) -> None:
    # Before the code of `ids` runs (its import takes a while: httpx), click said "Aborted!".
    child = start(["-c", HOLD, "importlib:import_module", "migrator.cli.ids_cmd",
                   "ids", "--api-url", "http://127.0.0.1:9", "--token", "t", "-o", str(old_map), "--refresh"],
                  tmp_path)
    assert child.stdout is not None and child.stdout.readline() == HELD
    assert interrupt(child) == (130, "migrator ids: interrupted\n")


def test_rewrite_leaves_the_files_as_they_were(tmp_path: Path) -> None:
    script = tmp_path / "list_sources.py"
    code = (ROOT / "docs/examples/legacy-scripts/list_sources.py").read_bytes()
    script.write_bytes(code)
    child = start(["-c", HOLD, "migrator.rewrite.driver:run", "", "rewrite", str(script)], tmp_path)
    assert child.stdout is not None and child.stdout.readline() == HELD
    assert interrupt(child) == (130, "migrator rewrite: interrupted\n")
    assert script.read_bytes() == code


@pytest.mark.parametrize(("command", "target"), [
    (["audit", "."], "migrator.cli.audit_cmd:audit_paths"),
    (["rules"], "migrator.cli.rules_cmd:rules_or_exit"),
])
def test_audit_and_rules(tmp_path: Path, command: list[str], target: str) -> None:
    child = start(["-c", HOLD, target, "", *command], tmp_path)
    assert child.stdout is not None and child.stdout.readline() == HELD
    assert interrupt(child) == (130, f"migrator {command[0]}: interrupted\n")


def terminate(child: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM (`kill`), then the exit code and what the process wrote on stderr."""
    try:
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, stderr


def test_sigterm_while_a_rewritten_file_is_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    # SIGTERM had no handler: the run died where it was, its temporary file left beside the target.
    # Held at the first fsync: the new text is in the temporary file, not yet renamed into place.
    script = tmp_path / "list_sources.py"
    code = (ROOT / "docs/examples/legacy-scripts/list_sources.py").read_bytes()
    script.write_bytes(code)
    child = start(["-c", HOLD, "os:fsync", "", "rewrite", str(script)], tmp_path)
    assert child.stdout is not None and child.stdout.readline() == HELD
    assert len(list(tmp_path.iterdir())) == 2  # the file and its temporary file
    assert terminate(child) == (143, "migrator rewrite: terminated\n")
    assert [p.name for p in tmp_path.iterdir()] == ["list_sources.py"]
    assert script.read_bytes() == code


def test_sigterm_keeps_the_old_output_of_translate(tmp_path: Path) -> None:
    out = tmp_path / "public.ndjson"
    out.write_text("old\n")
    child = start(["-m", "migrator", "translate", "--ndjson", "-o", str(out), "-"], tmp_path)
    assert child.stdin is not None and child.stderr is not None
    child.stdin.write('{"name": "workspaces/acme/sources/web", "display_name": "Web"}\nnot json\n')
    child.stdin.flush()
    assert child.stderr.readline() == "<stdin>:2: error: malformed JSON at column 1: Expecting value\n"
    assert len(list(tmp_path.iterdir())) == 2  # the output and its temporary file
    assert terminate(child) == (143, "migrator translate: terminated\n")
    assert [p.name for p in tmp_path.iterdir()] == ["public.ndjson"]
    assert out.read_text() == "old\n"
