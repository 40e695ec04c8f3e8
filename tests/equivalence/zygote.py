"""A pre-warmed interpreter that forks one fresh child per corpus run (speed only).

Starting Python and importing requests and httpx costs ~0.2 s of CPU per run,
most of the equivalence suite's time. The zygote pays it once: it starts
like a corpus run would (the reroute directory on PYTHONPATH, so
`sitecustomize` patches the clients as they are imported), imports the
clients, then forks a child per job. Each child gets its own environment,
working directory, argv, `sys.path[0]`, stdin (/dev/null), stdout/stderr
files and exit code, and runs the script as `__main__`.

Protocol: the parent writes one JSON job per line to the zygote's stdin and
reads back the child's pid; the child writes `rc` into the job's folder when
it is done. Not for Windows (fork).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WARM = ("requests", "httpx", "urllib.request", "asyncio", "json", "configparser")


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


class Zygote:
    def __init__(self, pythonpath: str, workdir: Path) -> None:
        self.workdir = workdir
        self._lock = threading.Lock()
        self._jobs = 0
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("PYTHON")}
        env.update(PYTHONPATH=pythonpath, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONNOUSERSITE="1", FAKE_SEGMENT_URL="http://127.0.0.1:9", FAKE_SEGMENT_NO_SLEEP="1")
        self._log = open(workdir / "zygote.log", "wb")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, __file__], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, cwd=workdir,
        )

    def run(self, script: Path, env: dict[str, str], *, timeout: float) -> Finished:
        with self._lock:
            self._jobs += 1
            folder = self.workdir / f"job{self._jobs}"
            folder.mkdir()
            job = {"script": str(script), "cwd": str(script.parent), "env": env, "folder": str(folder)}
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(json.dumps(job).encode() + b"\n")
            self._proc.stdin.flush()
            answer = self._proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"the zygote died; see {self.workdir / 'zygote.log'}")
        pid = int(answer)
        rc, deadline = folder / "rc", time.monotonic() + timeout
        while not rc.exists():
            if time.monotonic() > deadline:
                _kill(pid)
                return Finished(-1, _read(folder / "stdout"), _read(folder / "stderr") + f"\n[timed out after {timeout}s]")
            time.sleep(0.005)
        return Finished(int(rc.read_text()), _read(folder / "stdout"), _read(folder / "stderr"))

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._log.close()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --- inside the zygote ----------------------------------------------------------------------


def _serve() -> None:
    import importlib

    for name in WARM:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    requests = sys.stdin.buffer
    while line := requests.readline():
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(job)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


def _child(job: dict) -> None:
    import atexit
    import runpy
    import traceback

    code = 1
    folder = Path(job["folder"])
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(job["env"])
        os.chdir(job["cwd"])
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY),
                                (1, folder / "stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, folder / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            target = os.open(name, flags, 0o600)
            os.dup2(target, fd)
            os.close(target)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (the zygote's buffer holds jobs)
        sys.argv = [job["script"]]
        sys.path[0] = job["cwd"]
        try:
            runpy.run_path(job["script"], run_name="__main__")
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # noqa: BLE001 - reported like the interpreter would
            kind, error, tb = sys.exc_info()
            while tb is not None and tb.tb_frame.f_code.co_filename != job["script"]:
                tb = tb.tb_next  # start at the script, not in runpy and this module
            traceback.print_exception(kind, error, tb)
            code = 1
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        (folder / "rc.tmp").write_text(str(code))
        os.replace(folder / "rc.tmp", folder / "rc")
        os._exit(code)


if __name__ == "__main__":
    sys.path[0] = os.getcwd()  # not this directory (each child puts its script's there)
    _serve()
