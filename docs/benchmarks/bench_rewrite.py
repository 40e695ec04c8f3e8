"""Benchmark `migrator rewrite --check` against libcst on a large generated tree.

    python docs/benchmarks/bench_rewrite.py [--files 5000] [--legacy-percent 3] [--jobs N]

Generates a tree of Python files in a temporary directory (a few percent use
the Config API in the styles of the legacy-patterns survey, the rest is
ordinary code of realistic size), then times, on the same tree and the same
number of processes, each as a fresh process (interpreter start included):

1. `migrator rewrite --check`;
2. libcst parsing and regenerating every file, no transformation;
3. libcst's own runner: `python -m libcst.tool codemod noop.NOOPCommand`.

It also times the files that use the Config API one by one in this process:
the rewrite of each against a bare libcst round trip of the same file.
Not a test: it takes a minute or two. Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# --- the tree ----------------------------------------------------------------------------

WORDS = (
    "order invoice customer account report batch record event queue cache "
    "profile session payment item ledger metric schedule export import task"
).split()


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _class(rng: random.Random) -> str:
    cls = "".join(w.title() for w in _name(rng).split("_"))
    fields = [_name(rng, 1) + f"_{i}" for i in range(rng.randint(2, 6))]
    lines = [
        "@dataclass",
        f"class {cls}Record:",
        f'    """A {cls.lower()} as stored in the warehouse."""',
        "",
    ]
    lines += [f"    {f}: {rng.choice(['int', 'str', 'float', 'list[str]', 'dict[str, int]'])}" for f in fields]
    lines += [
        "",
        f"class {cls}Service:",
        f'    """Business rules for {cls.lower()} records."""',
        "",
        "    def __init__(self, store: dict[str, Any], limit: int = 100) -> None:",
        "        self.store = store",
        "        self.limit = limit",
        "        self._seen: set[str] = set()",
        "",
    ]
    for _ in range(rng.randint(2, 6)):
        method = _name(rng)
        lines += [
            f"    def {method}(self, key: str, *, strict: bool = False) -> list[str]:",
            f'        """Return the {method.replace("_", " ")} entries for `key`."""',
            "        results = []",
            "        for index, value in enumerate(self.store.get(key, [])):",
            "            if index >= self.limit:",
            "                break",
            "            if strict and not isinstance(value, str):",
            f'                raise ValueError(f"{method}: bad value at {{index}}: {{value!r}}")',
            "            results.append(str(value).strip().lower())",
            "        self._seen.add(key)",
            f"        return sorted(r for r in results if r)  # {rng.choice(WORDS)} order",
            "",
        ]
    return "\n".join(lines)


def _function(rng: random.Random) -> str:
    name = _name(rng, 3)
    return "\n".join(
        [
            f"def {name}(rows: list[dict[str, Any]], threshold: float = {rng.random():.2f}) -> dict[str, float]:",
            '    """Aggregate rows by key; values under `threshold` are dropped."""',
            "    totals: dict[str, float] = defaultdict(float)",
            "    for row in rows:",
            "        try:",
            f'            key, value = row["{rng.choice(WORDS)}"], float(row.get("value", 0))',
            "        except (KeyError, TypeError, ValueError) as exc:",
            '            logger.warning("skipping row %r: %s", row, exc)',
            "            continue",
            "        if value < threshold:",
            "            continue",
            "        totals[key] += value",
            "    return {key: round(total, 2) for key, total in totals.items()}",
            "",
        ]
    )


HEADER = '''"""{doc}"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)
'''

LEGACY = [
    # Constants and f-strings, a Bearer header built in code, requests.
    '''
import requests

CONFIG_API = "https://platform.segmentapis.com/v1beta/"
WORKSPACE = "acme-{n}"
HEADERS = {{"Authorization": "Bearer " + TOKEN}}


def list_sources():
    resp = requests.get(f"{{CONFIG_API}}workspaces/{{WORKSPACE}}/sources", headers=HEADERS)
    resp.raise_for_status()
    return [s["display_name"] for s in resp.json()["sources"]]
''',
    # A client class with self.base_url and a page_token loop.
    '''
import requests


class SegmentConfig{n}:
    def __init__(self, workspace, token):
        self.base_url = "https://platform.segmentapis.com/v1beta"
        self.workspace = workspace
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {{token}}"

    def sources(self):
        params = {{"page_size": 100}}
        while True:
            resp = self.session.get(f"{{self.base_url}}/workspaces/{{self.workspace}}/sources", params=params)
            body = resp.json()
            yield from body["sources"]
            if not body.get("next_page_token"):
                break
            params["page_token"] = body["next_page_token"]
''',
    # httpx with base_url and a resource name taken apart.
    '''
import httpx

client = httpx.Client(base_url="https://platform.segmentapis.com/v1beta/", headers={{"Authorization": "Bearer {{}}".format(TOKEN)}})


def destinations(source):
    resp = client.get("workspaces/%s/sources/%s/destinations" % (WORKSPACE, source))
    return [d["name"].split("/")[-1] for d in resp.json()["destinations"]]
''',
    # A token minted with email and password: no counterpart.
    '''
import requests

TOKENS = "https://platform.segmentapis.com/v1beta/access-tokens"


def mint_token(email, password, workspace):
    body = {{"access_token": {{"description": "job {n}", "scopes": "workspace",
                              "workspace_names": ["workspaces/" + workspace]}}}}
    return requests.post(TOKENS, json=body, auth=(email, password)).json()["token"]
''',
]


def generate(root: Path, files: int, legacy_percent: float, seed: int) -> tuple[int, int]:
    """Write the tree; return (files using the Config API, total bytes)."""
    rng = random.Random(seed)
    legacy = set(rng.sample(range(files), round(files * legacy_percent / 100)))
    size = 0
    for i in range(files):
        directory = root / f"pkg_{i // 100:02}" / f"sub_{i // 20 % 5}"
        directory.mkdir(parents=True, exist_ok=True)
        parts = [HEADER.format(doc=f"{_name(rng, 3).replace('_', ' ').capitalize()}.")]
        if i in legacy:
            parts.append("TOKEN = '...'\nWORKSPACE = 'acme'\n" + rng.choice(LEGACY).format(n=i))
        for _ in range(rng.randint(2, 5)):
            parts.append(_class(rng) if rng.random() < 0.5 else _function(rng))
        if rng.random() < 0.3:
            parts.append('if __name__ == "__main__":\n    print(json.dumps({"ok": True}))\n')
        data = "\n\n".join(parts).encode()
        (directory / f"module_{i:05}.py").write_bytes(data)
        size += len(data)
    return len(legacy), size


# --- measurements ------------------------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and all its workers)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(command)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed, _children_cpu() - cpu


def _roundtrip(path: str) -> bool:
    import libcst

    data = Path(path).read_bytes()
    return libcst.parse_module(data).bytes == data


def roundtrip_main(tree: Path, jobs: int) -> None:
    """Mode of this script run as a child: parse + regenerate every file."""
    from multiprocessing import Pool

    paths = [str(p) for p in sorted(tree.rglob("*.py"))]
    with Pool(jobs) as pool:
        identical = sum(pool.map(_roundtrip, paths, chunksize=max(1, len(paths) // (jobs * 8))))
    print(f"{identical}/{len(paths)} identical")


def per_file(tree: Path, repeat: int) -> tuple[int, float, float]:
    """Migrated files one by one, CPU time: (count, rewrite seconds, round-trip seconds).

    The rewrite is the driver's per-file step (core rewrite plus its safety
    checks), as `rewrite --check` runs it in each worker: with what was alive
    before left out of the garbage collector's passes (`driver.settled`), the
    bare round trip too.
    """
    sys.path.insert(0, str(ROOT))
    import libcst

    from migrator.rewrite import driver

    core = driver.default_core()
    settings = driver.Settings(core, core.load_rules(), None, "us", diff=False, keep_new=False)
    datas = [p.read_bytes() for p in sorted(tree.rglob("*.py"))]
    datas = [d for d in datas if core.may_need_rewrite(d)]

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            start = time.process_time()
            for data in datas:
                fn(data)
            times.append(time.process_time() - start)
        return min(times)

    with driver.settled():
        rewrite = best(lambda d: driver.process_file("f.py", d, settings))
        roundtrip = best(lambda d: libcst.parse_module(d).bytes)
    return len(datas), rewrite, roundtrip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--legacy-percent", type=float, default=3.0)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=3, help="runs of the per-file timing (best kept)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    parser.add_argument("--roundtrip", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.roundtrip:
        roundtrip_main(args.roundtrip, args.jobs)
        return

    # Bytecode for the package, as an installed copy has: where PYTHONDONTWRITEBYTECODE
    # is set, each command would otherwise compile every module it imports.
    compileall.compile_dir(ROOT / "migrator", quiet=1)
    workdir = Path(tempfile.mkdtemp(prefix="bench-rewrite-"))
    tree = workdir / "tree"
    try:
        legacy, size = generate(tree, args.files, args.legacy_percent, args.seed)
        py, n, j = sys.executable, args.files, str(args.jobs)
        print(f"tree: {n} files, {legacy} using the Config API, {size / 1e6:.1f} MB; {args.jobs} processes; "
              f"load average before: {os.getloadavg()[0]:.1f}")
        rows = [
            ("migrator rewrite --check", timed([py, "-m", "migrator", "rewrite", "--check", "-j", j, str(tree)], (0, 1))),
            ("libcst parse + regenerate, no transform", timed([py, __file__, "--jobs", j, "--roundtrip", str(tree)])),
            # Last: the runner writes every file back (with the same content).
            ("libcst.tool codemod noop.NOOPCommand", timed(
                [py, "-m", "libcst.tool", "codemod", "noop.NOOPCommand", "-j", j,
                 "--no-format", "--hide-progress", str(tree)])),
        ]
        runner_wall, runner_cpu = rows[-1][1]
        print(f"\n| {'command':<40} | wall s | files/s | vs runner | CPU s | vs runner (CPU) |")
        print(f"|{'-' * 42}|-------:|--------:|----------:|------:|----------------:|")
        for label, (wall, cpu) in rows:
            print(
                f"| {label:<40} | {wall:6.2f} | {n / wall:7.0f} | {runner_wall / wall:8.1f}x "
                f"| {cpu:5.1f} | {runner_cpu / cpu:14.1f}x |"
            )
        count, rewrite, roundtrip = per_file(tree, args.repeat)
        print(
            f"\nfiles using the Config API, one by one in one process, CPU time "
            f"({count} files, best of {args.repeat}):\n"
            f"  rewrite {rewrite / count * 1e3:.2f} ms/file, bare libcst round trip "
            f"{roundtrip / count * 1e3:.2f} ms/file: {rewrite / roundtrip:.2f}x"
        )
    finally:
        if args.keep:
            print(f"\ntree kept in {tree}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
