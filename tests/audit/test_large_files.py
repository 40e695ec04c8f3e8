"""Files with thousands of findings, or long lines (a dump of Config API
responses on one line, an NDJSON export, a minified bundle, a path of 20,000
segments, a Terraform file of 3,000 resources): every finding, at its place.
Each finding used to search or count over its whole line or file (hash it,
too), each hit compared itself to every hit before it, a path was matched
against the table once per prefix (quadratic time), and a Terraform file was
searched once per resource it declares; the time they take is measured by
docs/benchmarks/bench_audit.py (its `dense_files` are these)."""

from __future__ import annotations

import sys
from pathlib import Path

from migrator.audit.core import Auditor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "benchmarks"))
from bench_audit import dense_files  # noqa: E402

FILES = dense_files()


def test_many_findings_and_long_lines_are_all_found(text_auditor: Auditor) -> None:
    results = {name: text_auditor.scan(name, text.encode()).findings for name, text in FILES.items()}
    assert {name: len(found) for name, found in results.items()} == {
        "dump.json": 1501, "export.ndjson": 15000, "bundle.min.js": 200, "bodies.min.js": 2001, "segments.js": 20001,
        "main.tf": 6002,
    }
    # Lines and columns as counted from the start of the file.
    for name, found in results.items():
        lines = FILES[name].split("\n")
        assert all(lines[f.line - 1][f.column - 1 :].startswith(f.text) for f in found)
    last = results["export.ndjson"][-1]
    assert (last.line, last.column, last.rule) == (3000, 143, "source.fields")
    # each resource's name and display name; its reference to the one before is its own name, no finding;
    # then the Config provider the file declares
    *_, last, provider = results["main.tf"]
    assert (last.line, last.column, last.rule, last.text) == (15001, 3, "source.fields", "display_name")
    assert (provider.line, provider.rule, provider.text) == (15006, "audit.config-terraform-provider", "ajbosco/segment")
