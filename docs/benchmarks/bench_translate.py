"""Benchmark `migrator translate` on a large generated NDJSON export.

    python docs/benchmarks/bench_translate.py [--docs 100000] [--list-items 20000] [--keep] [--profile]

Generates an NDJSON export of Config API documents of mixed kinds (sources,
destinations with `config` arrays, tracking plans with rules, filters,
workspaces, catalog entries, schema settings, functions, list pages, error
bodies) in a temporary directory, then measures in the same run:

1. the floor: `json.loads` + `json.dumps` of every line, read from and
   written to files like translate does;
2. translate through the library: `Runner(...).stream(...)`, in this process;
3. the CLI as a fresh subprocess (`python -m migrator translate FILE -o OUT`),
   interpreter start and table loading included, with its peak memory
   (maxrss) on the whole export and on a fifth of it: flat memory means the
   two peaks are close;
4. one list document (a source list page of `--list-items` sources), against
   its own floor: its time grows in step with its items, like the export's.

Prints documents/s and MB/s of each and its ratio to the floor (target:
within 3x), from CPU time (user + system: other work on a shared machine
does not count) and wall time; each in-process measurement is the best of
`--repeat` runs. `--profile` adds a cProfile of the library run (top
functions by own time); so does a ratio above the target. Not a test. Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from migrator.ruleset import RuleSet, load_rules  # noqa: E402
from migrator.translate.runner import Options, Runner  # noqa: E402

# --- the export --------------------------------------------------------------------------

WORDS = "web ios android server billing growth checkout search mobile marketing data crm".split()
DESTINATIONS = "google-analytics amplitude mixpanel intercom customer-io braze webhooks hubspot".split()
SETTINGS = "apiKey trackingId secret endpoint region sendPageviews anonymizeIp serverIdentify".split()
EVENTS = "Signed Up|Logged In|Order Completed|Product Viewed|Cart Updated|Checkout Started".split("|")


class Export:
    """Config API documents as the Config API returned them."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.ws = "acme"

    def slug(self) -> str:
        return f"{self.rng.choice(WORDS)}-{self.rng.randint(1, 999)}"

    def source(self) -> dict[str, Any]:
        slug = self.slug()
        return {
            "name": f"workspaces/{self.ws}/sources/{slug}",
            "parent": f"workspaces/{self.ws}",
            "catalog_name": f"catalog/sources/{self.rng.choice(['javascript', 'ios', 'android', 'http-api'])}",
            "write_keys": ["".join(self.rng.choices("abcdefghijkLMNOPQ0123456789", k=32))],
            "library_config": {"metrics_enabled": False, "retry_queue": True, "api_host": ""},
            "create_time": "2018-09-12T21:15:54.169Z",
        }

    def destination(self) -> dict[str, Any]:
        source, dest = self.slug(), self.rng.choice(DESTINATIONS)
        name = f"workspaces/{self.ws}/sources/{source}/destinations/{dest}"
        config = [
            {"name": f"{name}/config/{key}", "display_name": key.title(), "type": "string",
             "value": self.rng.choice([True, False, "UA-970334309-1", ["a", "b"], {"k": "v"}])}
            for key in self.rng.sample(SETTINGS, self.rng.randint(3, len(SETTINGS)))
        ]
        return {
            "name": name, "parent": f"workspaces/{self.ws}/sources/{source}", "display_name": dest.title(),
            "enabled": self.rng.random() < 0.8, "connection_mode": "CLOUD", "config": config,
            "create_time": "2018-09-24T17:08:04.138Z", "update_time": "2018-09-24T17:16:42.499Z",
        }

    def tracking_plan(self) -> dict[str, Any]:
        events = [
            {"name": event, "description": f"Sent when {event.lower()}", "version": self.rng.randint(1, 3),
             "rules": {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
                       "properties": {"properties": {"type": "object", "required": ["id"],
                                                     "properties": {"id": {"type": "string"},
                                                                    "value": {"type": "number"}}}}}}
            for event in self.rng.sample(EVENTS, self.rng.randint(2, len(EVENTS)))
        ]
        return {
            "name": f"workspaces/{self.ws}/tracking-plans/rs_{self.rng.randint(10**9, 10**10)}",
            "display_name": "Plan " + self.slug(),
            "rules": {"events": events, "global": {"type": "object"}, "identify": {"type": "object"}},
            "create_time": "2018-09-13T19:20:37Z", "update_time": "2018-09-13T19:20:37Z",
        }

    def filter(self) -> dict[str, Any]:
        source, dest = self.slug(), self.rng.choice(DESTINATIONS)
        actions = self.rng.choice([
            [{"type": "drop_event"}],
            [{"type": "sample_event", "percent": 0.1, "path": "userId"}],
            [{"type": "whitelist_fields", "fields": {"properties": {"fields": ["name", "age"]}}}],
            [{"type": "blacklist_fields", "fields": {"traits": {"fields": ["email"]}, "context": {"fields": ["ip"]}}}],
        ])
        return {
            "name": f"workspaces/{self.ws}/sources/{source}/destinations/{dest}/filters/df_{self.rng.randint(1, 10**6)}",
            "title": "Filter " + self.slug(), "if": 'event = "Test"', "enabled": True, "actions": actions,
            "description": "generated",
        }

    def workspace(self) -> dict[str, Any]:
        return {"name": f"workspaces/{self.slug()}", "display_name": "Acme", "id": "e5bdb0902b",
                "create_time": "2018-08-08T13:24:02.651Z"}

    def catalog_source(self) -> dict[str, Any]:
        slug = self.slug()
        return {"name": f"catalog/sources/{slug}", "display_name": slug.title(), "description": "A source",
                "categories": ["Website"], "logos": {"default": "https://cdn.example/logo.svg"}, "type": "SERVER"}

    def catalog_destination(self) -> dict[str, Any]:
        slug = self.rng.choice(DESTINATIONS)
        return {
            "name": f"catalog/destinations/{slug}", "display_name": slug.title(), "description": "A destination",
            "categories": ["Analytics"], "website": "https://example.com", "status": "PUBLIC",
            "methods": {"track": True, "identify": True, "group": False, "alias": False, "pageview": True},
            "platforms": {"browser": True, "server": True, "mobile": False},
            "browser_unbundling_supported": True, "browser_unbundling_public": False,
            "settings": [{"name": "apiKey", "type": "string"}], "type": "STREAMING",
        }

    def schema_config(self) -> dict[str, Any]:
        return {
            "name": f"workspaces/{self.ws}/sources/{self.slug()}/schema-config",
            "allow_unplanned_track_events": True, "allow_unplanned_identify_traits": False,
            "allow_track_event_on_violations": True, "common_track_event_on_violations": "ALLOW",
            "allow_unplanned_group_traits": True, "forwarding_violations_to": f"workspaces/{self.ws}/sources/audit",
        }

    def function(self) -> dict[str, Any]:
        fid = f"sfnc_{self.rng.randint(1, 10**8)}"
        return {
            "name": f"workspaces/{self.ws}/functions/{fid}", "id": fid, "type": "source",
            "display_name": "Webhook", "code": "async function onRequest(request, settings) {}\n" * 5,
            "created_at": "2021-01-01T00:00:00Z", "created_by": "u1", "workspace_id": "ws1",
            "settings": [{"name": "apiKey", "label": "API key", "type": "string", "sensitive": True}],
        }

    def error(self) -> dict[str, Any]:
        return self.rng.choice([{"error": "insufficient scope", "code": 7}, {"error": "not found", "code": 5}])

    def page(self, key: str, make: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], int]:
        items = [make() for _ in range(self.rng.randint(5, 20))]
        return {key: items, "next_page_token": self.rng.choice(["", "MTA="])}, len(items)

    def document(self) -> tuple[str, dict[str, Any], int]:
        """(kind, Config document, number of resources in it)."""
        roll = self.rng.random()
        for weight, kind in MIX:
            roll -= weight
            if roll < 0:
                break
        if kind.endswith("-page"):
            key, make = PAGES[kind]
            doc, count = self.page(key, getattr(self, make))
            return kind, doc, count
        return kind, getattr(self, kind.replace("-", "_"))(), 1


MIX = [
    (0.14, "source"), (0.14, "destination"), (0.08, "tracking-plan"), (0.10, "filter"), (0.03, "workspace"),
    (0.05, "catalog-source"), (0.05, "catalog-destination"), (0.04, "schema-config"), (0.04, "function"),
    (0.05, "error"), (0.10, "source-page"), (0.08, "destination-page"), (0.06, "filter-page"),
    (0.04, "tracking-plan-page"),
]
PAGES = {
    "source-page": ("sources", "source"),
    "destination-page": ("destinations", "destination"),
    "filter-page": ("filters", "filter"),
    "tracking-plan-page": ("tracking_plans", "tracking_plan"),
}


def write_export(path: Path, docs: int) -> tuple[Counter[str], int]:
    export = Export()
    kinds: Counter[str] = Counter()
    resources = 0
    with path.open("w", encoding="utf-8") as out:
        for _ in range(docs):
            kind, doc, count = export.document()
            kinds[kind] += 1
            resources += count
            out.write(json.dumps(doc, separators=(",", ":")) + "\n")
    return kinds, resources


# --- the measurements --------------------------------------------------------------------


class Timing(NamedTuple):
    cpu: float
    """User + system seconds of the process doing the work."""
    wall: float


def timed(work: Callable[[], Any]) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall)


def best(runs: list[Timing]) -> Timing:
    return Timing(min(r.cpu for r in runs), min(r.wall for r in runs))


def write_list(path: Path, items: int) -> None:
    """One Config list page of `items` sources (a saved or merged listing)."""
    export = Export(seed=11)
    page = {"sources": [export.source() for _ in range(items)], "next_page_token": ""}
    path.write_text(json.dumps(page, separators=(",", ":")) + "\n", encoding="utf-8")


def floor_one(source: Path, target: Path) -> None:
    target.write_text(json.dumps(json.loads(source.read_text(encoding="utf-8")), ensure_ascii=False, indent=2) + "\n",
                      encoding="utf-8")


def library_one(source: Path, target: Path, rules: RuleSet) -> Runner:
    runner = Runner(rules, None, Options(), io.StringIO())
    with source.open(encoding="utf-8", newline="") as text, target.open("w", encoding="utf-8") as sink:
        runner.stream(text, str(source), sink, ndjson=False)
    return runner


def floor(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as sink:
        for line in lines:
            sink.write(json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")))
            sink.write("\n")


def library(source: Path, target: Path, rules: RuleSet) -> Runner:
    runner = Runner(rules, None, Options(), io.StringIO())
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as sink:
        runner.stream(lines, str(source), sink, ndjson=True)
    return runner


def cli(source: Path, target: Path) -> tuple[Timing, int, int]:
    """Timing, exit code and peak memory (KiB) of `migrator translate` as a fresh process."""
    command = [sys.executable, "-m", "migrator", "translate", str(source), "-o", str(target), "-q"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return Timing(usage.ru_utime + usage.ru_stime, elapsed), os.waitstatus_to_exitcode(status), usage.ru_maxrss


def profile(source: Path, target: Path, rules: RuleSet, top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    library(source, target, rules)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def line(label: str, timing: Timing, docs: int, size: int, base: Timing) -> str:
    cpu, wall = timing
    return (f"{label:<28} cpu {cpu:7.2f} s {docs / cpu:9,.0f} docs/s {size / cpu / 1e6:6.1f} MB/s "
            f"{cpu / base.cpu:4.1f}x floor | wall {wall:7.2f} s {wall / base.wall:4.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents in the export (default 100000)")
    parser.add_argument("--list-items", type=int, default=20_000, help="sources in the one list document (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each in-process measurement (best kept)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--profile", action="store_true", help="profile the library run (cProfile); also printed when the ratio is above 3x")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    try:
        export, small = work / "export.ndjson", work / "export-fifth.ndjson"
        kinds, resources = write_export(export, args.docs)
        with export.open(encoding="utf-8") as full, small.open("w", encoding="utf-8") as part:
            for _, text in zip(range(args.docs // 5), full):
                part.write(text)
        size = export.stat().st_size
        print(f"export: {args.docs:,} documents, {resources:,} Config resources, {size / 1e6:.1f} MB ({work})")
        print("  " + ", ".join(f"{kind} {count:,}" for kind, count in sorted(kinds.items())))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, best of {args.repeat}")
        print()

        rules = load_rules()  # once: the runs time the translation, not the table's loading
        floors, libraries = [], []
        runners: list[Runner] = []
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            floors.append(timed(lambda: floor(export, work / "floor.ndjson")))
            libraries.append(timed(lambda: runners.append(library(export, work / "library.ndjson", rules))))
        base, lib = best(floors), best(libraries)
        print(line("floor (json.loads+dumps)", base, args.docs, size, base))
        print(line("translate (library Runner)", lib, args.docs, size, base))
        full_cli, code, peak = cli(export, work / "cli.ndjson")
        print(line("translate (CLI subprocess)", full_cli, args.docs, size, base) + f" | exit {code}")
        small_cli, small_code, small_peak = cli(small, work / "cli-fifth.ndjson")
        summary = runners[-1].summary
        print()
        print(f"translated {summary.documents:,} documents, {summary.errors} errors; "
              f"{sum(summary.dropped.values()):,} dropped by rule, {summary.unknown:,} unknown, "
              f"{summary.unresolved:,} unresolved ids")
        print(f"CLI peak memory (maxrss): {peak / 1024:.1f} MiB for {args.docs:,} documents, "
              f"{small_peak / 1024:.1f} MiB for {args.docs // 5:,} (exit {small_code}, cpu {small_cli.cpu:.2f} s)")
        ratio = lib.cpu / base.cpu
        print(f"library / floor (cpu): {ratio:.2f}x (target: within 3x)")

        page = work / "list.json"
        write_list(page, args.list_items)
        page_floor = best([timed(lambda: floor_one(page, work / "list-floor.json")) for _ in range(args.repeat)])
        page_runs: list[Runner] = []
        page_lib = best([timed(lambda: page_runs.append(library_one(page, work / "list-out.json", rules)))
                         for _ in range(args.repeat)])
        print(line(f"one list of {args.list_items:,} sources", page_lib, args.list_items,
                   page.stat().st_size, page_floor) + f" | {page_runs[-1].summary.errors} errors")
        if args.profile or ratio > 3:
            print()
            print(profile(export, work / "profile.ndjson", rules))
        return 0 if summary.errors == 0 and code == 0 else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
