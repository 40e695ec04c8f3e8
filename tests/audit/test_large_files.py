"""Files with thousands of findings, or long lines (a dump of Config API
responses on one line, an NDJSON export, a minified bundle), are read in
time linear in their size: each finding used to search or count over its
whole line or file, and each hit compared itself to every hit before it."""

from __future__ import annotations

import json
import time

from migrator.audit.core import Auditor

SOURCES = [
    {"name": f"workspaces/acme/sources/s{i}", "parent": "workspaces/acme", "display_name": f"S {i}",
     "catalog_name": "catalog/sources/javascript", "create_time": "2020-01-01T00:00:00Z"}
    for i in range(300)
]
FILES = {
    "dump.json": json.dumps({"sources": SOURCES, "next_page_token": ""}),
    "export.ndjson": "".join(json.dumps(s) + "\n" for s in SOURCES * 10),
    "bundle.min.js": "".join(
        f'var a{i}=fetch("https://platform.segmentapis.com/v1beta/workspaces/"+w+"/sources/"+s{i});{"x" * 300};'
        for i in range(100)
    ),
}
SECONDS = 4.0
"""CPU for the three files: about 0.6 s; 16 s when it was quadratic."""


def test_many_findings_and_long_lines_are_linear(text_auditor: Auditor) -> None:
    start = time.process_time()
    results = {name: text_auditor.scan(name, text.encode()).findings for name, text in FILES.items()}
    spent = time.process_time() - start
    assert {name: len(found) for name, found in results.items()} == {
        "dump.json": 1501, "export.ndjson": 15000, "bundle.min.js": 200,
    }
    # Lines and columns as counted from the start of the file.
    for name, found in results.items():
        lines = FILES[name].split("\n")
        assert all(lines[f.line - 1][f.column - 1 :].startswith(f.text) for f in found)
    last = results["export.ndjson"][-1]
    assert (last.line, last.column, last.rule) == (3000, 143, "source.fields")
    assert spent < SECONDS, f"{spent:.1f} s of CPU"
