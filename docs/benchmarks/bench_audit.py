"""Benchmark `migrator audit` against the physical floor of reading the bytes.

    .venv/bin/python docs/benchmarks/bench_audit.py [--files 20000] [--mb 200]

Generates a tree (Python, JS/TS, Go, YAML, JSON, Markdown, shell, binary
files; about 2% use the Config API, and 3% of the code reads Config field
names with no link to a Segment client) in a temporary directory and prints,
each the best of several runs taken in turns, with a warm page cache:
  - read floor: walk the tree and read every file, in one Python process;
  - grep floor: `grep -rl platform.segmentapis.com`;
  - the audit with one process and with all cores, text scanner only
    (`--no-precise`) and with the codemod for Python (`--precise`, the
    default: without its cache, as on a first run, and with it, as on a run
    after one), in-process and as a command (which adds start-up);
  - a pre-commit run on one file (start-up, mostly), with the rules table
    kept by an earlier run and on a first run;
  - CPU time (all processes), and where one process spends it.
Not a test: figures go to docs/benchmarks.md under "audit".
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from migrator.audit.core import BINARY_PROBE, Auditor  # noqa: E402
from migrator.audit.run import audit_paths, default_jobs, read_file  # noqa: E402
from migrator.audit.walk import Walk  # noqa: E402
from migrator.ruleset import load_rules  # noqa: E402

FILLER = {
    "py": "def handler_{n}(event, context):\n    total = sum(item['amount'] for item in event['items'])\n    return {{'status': 200, 'total': total, 'name': event.get('name')}}\n\n",
    "js": "export function handler{n}(req, res) {{\n  const items = req.body.items || [];\n  res.json({{ total: items.length, name: req.query.name }});\n}}\n\n",
    "ts": "export interface Item{n} {{ id: string; amount: number; name?: string }}\nexport const f{n} = (xs: Item{n}[]) => xs.map(x => x.amount);\n\n",
    "go": "func Handler{n}(w http.ResponseWriter, r *http.Request) {{\n\tjson.NewEncoder(w).Encode(map[string]int{{\"n\": {n}}})\n}}\n\n",
    "yaml": "service_{n}:\n  image: example/app:{n}\n  env:\n    - NAME=value{n}\n\n",
    "json": "{{\"id\": {n}, \"name\": \"item {n}\", \"tags\": [\"a\", \"b\"], \"enabled\": true}}\n",
    "md": "## Section {n}\n\nSome prose about the service, with a [link](https://example.com/{n}) and `code`.\n\n",
    "sh": "echo \"step {n}\"\ncurl -s https://api.example.com/v1/items/{n} | jq .name\n\n",
}
CONFIG = {
    "py": 'BASE = "https://platform.segmentapis.com/v1beta"\nr = requests.get(f"{BASE}/workspaces/{ws}/sources?page_size=100")\nfor s in r.json()["sources"]:\n    print(s["display_name"])\n',
    "js": "const url = `https://platform.segmentapis.com/v1beta/workspaces/${ws}/tracking-plans`;\n",
    "ts": "await fetch('https://platform.segmentapis.com/v1beta/workspaces/' + ws + '/sources/' + src, { method: 'DELETE' });\n",
    "go": 'url := fmt.Sprintf("https://platform.segmentapis.com/v1beta/workspaces/%s/sources", ws)\n',
    "yaml": "segment:\n  api_url: https://platform.segmentapis.com/v1beta\n",
    "json": '{"name": "workspaces/acme/sources/js", "display_name": "Website"}\n',
    "md": "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n",
    "sh": 'curl -H "Authorization: Bearer $TOKEN" https://platform.segmentapis.com/v1beta/workspaces/$WS/sources\n',
}

READER = {
    "py": 'from .models import Row\n\ndef label(row):\n    return row["display_name"] or row.get("create_time")\n\n',
    "js": "import { load } from './store';\nexport const label = (row) => row.display_name;\n\n",
    "ts": "import { Row } from './models';\nexport const created = (row: Row) => row['create_time'];\n\n",
    "go": 'type Row struct {\n\tName string `json:"display_name"`\n}\n\n',
}
"""Code reading Config field names with no Config API of its own (3% of
these files): the audit looks for the files linked to them, and finds none."""


def generate(root: Path, files: int, total_mb: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    readers = random.Random(seed + 1)  # its own draws: the Config files stay the same
    kinds = list(FILLER)
    blocks = {k: "".join(FILLER[k].format(n=i).rstrip("\n") + "\n\n" for i in range(400)).encode() for k in kinds}
    average = total_mb * 1024 * 1024 // files
    written = 0
    for i in range(files):
        directory = root / f"pkg{i % 50:02d}" / f"mod{(i // 50) % 20:02d}"
        directory.mkdir(parents=True, exist_ok=True)
        if i % 500 == 499:
            data = bytes(rng.getrandbits(8) for _ in range(4096)) + b"\0" * 16
            (directory / f"blob{i}.bin").write_bytes(data)
            written += len(data)
            continue
        kind = kinds[i % len(kinds)]
        size = max(256, int(rng.uniform(0.2, 1.8) * average))
        block = blocks[kind]
        body = block * (size // len(block) + 2)
        end = body.find(b"\n\n", size)
        body = body[: end + 2] if end >= 0 else body  # whole blocks: the code parses
        if rng.random() < 0.02:
            body = CONFIG[kind].encode() + body
        elif kind in READER and readers.random() < 0.03:
            body = READER[kind].encode() + body
        (directory / f"file{i}.{kind}").write_bytes(body)
        written += len(body)
    return written


def read_floor(root: Path) -> float:
    """The fastest plain way to read every byte from Python: os.walk, then
    os.open/os.read/os.close (no file objects)."""
    started = time.perf_counter()
    for directory, _, names in os.walk(root):
        for name in names:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            while os.read(fd, 1 << 20):
                pass
            os.close(fd)
    return time.perf_counter() - started


def grep_floor(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["grep", "-rl", "platform.segmentapis.com", str(root)], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def cpu_now() -> float:
    """CPU time of this process and of its children that have ended."""
    return time.process_time() + sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])


def audit_inprocess(root: Path, jobs: int, precise: bool, cache: Path | None = None) -> tuple[float, float, str]:
    """Wall time, CPU time of all processes, a digest of the findings."""
    rules = load_rules()
    wall, cpu = time.perf_counter(), cpu_now()
    run = audit_paths([root], rules, jobs=jobs, precise=precise, cache=cache)
    wall, cpu = time.perf_counter() - wall, cpu_now() - cpu
    # Paths relative to the tree (messages name the files a file is linked
    # to), no fingerprints (they hash the path): the digest does not depend
    # on where the tree is.
    prefix = str(root) + os.sep
    shown = [
        {**asdict(f), "path": os.path.relpath(f.path, root), "message": f.message.replace(prefix, ""),
         **{name: "" for name in ("fingerprint", "said_print", "subject_print", "name_print", "call_print")}, "also_prints": (), "row_prints": (), "read_prints": ()}
        for f in run.findings
    ]
    digest = hashlib.sha256(json.dumps(shown).encode()).hexdigest()
    return wall, cpu, f"{len(run.findings)} findings, sha256 {digest[:12]}"


def breakdown(root: Path) -> dict[str, float]:
    """CPU time of the parts of a `--no-precise` run in one process."""
    auditor = Auditor(load_rules(), codemod=None)
    cpu = time.process_time()
    paths = list(Walk().files([root]))
    parts = {"walk": time.process_time() - cpu}
    cpu = time.process_time()
    for path in paths:
        read_file(path, 1 << 30)
    parts["read"] = time.process_time() - cpu
    cpu = time.process_time()
    hits = []
    for path in paths:
        data = read_file(path, 1 << 30)[0] or b""
        if data.find(b"\0", 0, BINARY_PROBE) >= 0 or auditor.catalog.prefilter_for(path)(data):
            hits.append((path, data))
    parts["read + NUL probe + prefilter"] = time.process_time() - cpu
    cpu = time.process_time()
    for path, data in hits:
        auditor.scan(path, data)
    parts[f"scanning the {len(hits)} files the prefilter flags"] = time.process_time() - cpu
    return parts


def floor_cpu(root: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    read_floor(root)
    return time.perf_counter() - wall, time.process_time() - cpu


def audit_cli(root: Path, jobs: int, precise: bool, cache: Path | None = None) -> float:
    flags = ["--precise", "--cache-dir", str(cache)] if cache else ["--precise", "--no-cache"] if precise else ["--no-precise"]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "migrator", "audit", "--jobs", str(jobs), *flags, "--format", "json", str(root)],
        stdout=subprocess.DEVNULL, check=False, cwd=ROOT,
    )
    return time.perf_counter() - started


def audit_one_file(root: Path, path: Path, kept: Path) -> float:
    """`migrator audit FILE` run from the tree's top, as pre-commit runs it on a
    staged file: the scan of one file, and what the whole tree tells of it
    (`migrator.audit.shared`: the project is walked, its Python files read).
    Start-up is most of it: `kept` is the folder keeping the validated rules
    table (`migrator.ruleset.stored`): empty, as on the first run; filled, as
    on every run after it."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "migrator", "audit", "--no-cache", "--format", "json", str(path.relative_to(root))],
        stdout=subprocess.DEVNULL, check=False, cwd=root,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MIGRATOR_CACHE_DIR": str(kept)},
    )
    return time.perf_counter() - started


def audit_one_file_first(root: Path, path: Path) -> float:
    """`audit_one_file` with nothing kept yet: the table read and validated."""
    with tempfile.TemporaryDirectory() as empty:
        return audit_one_file(root, path, Path(empty))


def dense_files() -> dict[str, str]:
    """Files with thousands of findings or long lines (a dump of Config API
    responses on one line, an NDJSON export, a minified bundle, a path of
    20,000 segments, a Terraform file of 3,000 resources): time linear in their size (tests/audit/test_large_files.py
    checks their findings)."""
    sources = [
        {"name": f"workspaces/acme/sources/s{i}", "parent": "workspaces/acme", "display_name": f"S {i}",
         "catalog_name": "catalog/sources/javascript", "create_time": "2020-01-01T00:00:00Z"}
        for i in range(300)
    ]
    return {
        "dump.json": json.dumps({"sources": sources, "next_page_token": ""}),
        "export.ndjson": "".join(json.dumps(s) + "\n" for s in sources * 10),
        "bundle.min.js": "".join(
            f'var a{i}=fetch("https://platform.segmentapis.com/v1beta/workspaces/"+w+"/sources/"+s{i});{"x" * 300};'
            for i in range(100)
        ),
        "bodies.min.js": '!function(e){var B="https://platform.segmentapis.com/v1beta";' + "".join(
            f'function q{i}(t,n){{return fetch(B+"/workspaces/"+t+"/sources/"+n,{{method:"PATCH",'
            f'body:JSON.stringify({{source:{{display_name:n}}}})}})}}var p{i}="{"x" * 300}";'
            for i in range(1000)
        ) + "}(window);",
        "segments.js": 'x = "https://platform.segmentapis.com/v1beta/' + "workspaces/" * 20_000 + '";\n',
        # (declaring the community provider of the Config API, whose arguments are Config fields)
        "main.tf": 'locals {\n  api = "https://platform.segmentapis.com/v1beta"\n}\n' + "".join(
            f'resource "segment_source" "s{i}" {{\n  name = "workspaces/acme/sources/s{i}"\n'
            f'  display_name = "S {i}"\n  after = segment_source.s{max(0, i - 1)}.id\n}}\n'
            for i in range(3000)
        ) + 'terraform {\n  required_providers {\n    segment = { source = "ajbosco/segment" }\n  }\n}\n',
    }


def dense_cpu(rounds: int) -> dict[str, float]:
    """CPU of scanning each of `dense_files` (best of `rounds`)."""
    auditor = Auditor(load_rules(), codemod=None)
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, text in dense_files().items():
            started = time.process_time()
            auditor.scan(name, text.encode())
            spent = time.process_time() - started
            best[name] = min(best.get(name, spent), spent)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="best of N, measured in turns")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    args = parser.parse_args()
    # Bytecode for the package, as an installed copy has: where PYTHONDONTWRITEBYTECODE
    # is set, each command would otherwise compile every module it imports.
    compileall.compile_dir(ROOT / "migrator", quiet=1)
    cores = default_jobs()
    root = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    cache = Path(tempfile.mkdtemp(prefix="bench-audit-cache-"))
    try:
        written = generate(root, args.files, args.mb)
        hits = sorted(p for p in root.rglob("*.py") if b"platform.segmentapis.com" in p.read_bytes())
        python_hits = len(hits)
        if not hits:  # the one-file (pre-commit) figures need one
            parser.error(f"--files {args.files}: the tree holds no Python file using the Config API; use 2000 or more")
        read_floor(root)  # warm the page cache
        best: dict[str, float] = {}

        def keep(name: str, value: float) -> None:
            best[name] = min(best.get(name, value), value)

        found = ""
        # In turns, so that every figure sees the same load on a shared machine.
        for _ in range(args.rounds):
            wall, cpu = floor_cpu(root)
            keep("floor", wall)
            keep("floor cpu", cpu)
            keep("grep", grep_floor(root))
            wall, cpu, found = audit_inprocess(root, 1, False)
            keep("text 1", wall)
            keep("text 1 cpu", cpu)
            wall, cpu, found_n = audit_inprocess(root, cores, False)
            keep(f"text {cores}", wall)
            keep(f"text {cores} cpu", cpu)
            assert found_n == found, (found, found_n)
        for _ in range(args.rounds):
            for name, cpu in breakdown(root).items():
                keep(f"part {name}", cpu)
        keep("cli text", min(audit_cli(root, cores, False) for _ in range(3)))
        precise = ""
        for _ in range(3):
            wall, _, precise = audit_inprocess(root, 1, True)
            keep("precise 1", wall)
            wall, _, precise_n = audit_inprocess(root, cores, True)
            keep(f"precise {cores}", wall)
            assert precise_n == precise, (precise, precise_n)
        keep("cli precise", audit_cli(root, cores, True))
        audit_inprocess(root, cores, True, cache)  # fills the cache
        for _ in range(args.rounds):
            wall, _, warm = audit_inprocess(root, 1, True, cache)
            keep("warm 1", wall)
            wall, _, warm_n = audit_inprocess(root, cores, True, cache)
            keep(f"warm {cores}", wall)
            assert warm == warm_n == precise, (precise, warm, warm_n)
        keep("cli warm", min(audit_cli(root, cores, True, cache) for _ in range(3)))
        keep("cli one first", min(audit_one_file_first(root, hits[0]) for _ in range(3)))
        audit_one_file(root, hits[0], cache)  # keeps the table
        keep("cli one", min(audit_one_file(root, hits[0], cache) for _ in range(3)))

        floor = best["floor"]
        load = os.getloadavg()[0]
        print(f"tree: {args.files} files, {written / 1e6:.0f} MB, {python_hits} Python files use the Config API; "
              f"--no-precise: {found}; --precise: {precise}; {cores} cores; load {load:.1f}; Python {sys.version.split()[0]}; "
              f"best of {args.rounds}")
        rows = [
            ("read floor: os.walk + os.read, 1 process", floor, f"cpu {best['floor cpu']:.2f} s"),
            ("grep -rl platform.segmentapis.com", best["grep"], ""),
            ("audit --no-precise, 1 process", best["text 1"], f"cpu {best['text 1 cpu']:.2f} s"),
            (f"audit --no-precise, {cores} processes", best[f"text {cores}"], f"cpu {best[f'text {cores} cpu']:.2f} s (all)"),
            (f"migrator audit --no-precise -j {cores} (command)", best["cli text"], "with start-up"),
            ("audit --precise, no cache, 1 process", best["precise 1"], ""),
            (f"audit --precise, no cache, {cores} processes", best[f"precise {cores}"], ""),
            (f"migrator audit -j {cores} --no-cache (command)", best["cli precise"], "with start-up"),
            ("audit --precise, cache filled, 1 process", best["warm 1"], ""),
            (f"audit --precise, cache filled, {cores} processes", best[f"warm {cores}"], ""),
            (f"migrator audit -j {cores} (command, cache filled)", best["cli warm"], "with start-up"),
            ("migrator audit ONE.py --no-cache (pre-commit)", best["cli one"], "one file using the Config API"),
            ("  the same, first run", best["cli one first"], "rules table not yet kept"),
        ]
        for label, seconds, extra in rows:
            print(f"{label:<48} {seconds:6.2f} s  {seconds / floor:5.2f}x floor  {extra}")
        print("CPU of one --no-precise process, by part:")
        for name, cpu in best.items():
            if name.startswith("part "):
                print(f"  {name[5:]:<46} {cpu:6.3f} s")
        print("CPU of one dense file (thousands of findings, long lines):")
        for name, cpu in dense_cpu(args.rounds).items():
            print(f"  {name:<46} {cpu:6.3f} s")
    finally:
        if args.keep:
            print(f"tree kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
