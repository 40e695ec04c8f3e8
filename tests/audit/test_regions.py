"""A finding's region (line, column, and where it ends) is the file's: inside
its lines, over the text it quotes there; for text the audit rebuilt from
pieces (a join, a notebook line's escapes, a Postman array), from its first
piece's start in the file to its last piece's end."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.core import Auditor, decode
from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet
from tests.audit.conftest import REPO, TREES

JOIN_JS = ('const BASE = "https://platform.segmentapis.com/v1beta";\nconst u = [BASE, "workspaces", ws,\n'
           '"sources"].join("/"); fetch(u + "?page_size=10");\n')
JOIN_RB = ('BASE = "https://platform.segmentapis.com/v1beta"\nu = [BASE, "workspaces", ws,\n'
           '"sources"].join("/"); get(u + "?page_size=10")\n')
JOIN_GO = ('package c\n\nconst base = "https://platform.segmentapis.com/v1beta"\n\n'
           'var u = strings.Join([]string{base, "workspaces", ws,\n"sources"}, "/"); var q = u + "?page_size=10"\n')
JOIN_MD = ('Base: https://platform.segmentapis.com/v1beta\nUse `path = API / "workspaces" / ws /\n'
           '"sources"` then `requests.get(HOST + str(path), params={"page_size": 50})`.\n')
JOIN_ONE_LINE = ('package c\n\nimport "strings"\n\nconst base = "https://platform.segmentapis.com/v1beta/"\n\n'
                 'func u(ws string) string { return base + strings.Join([]string{"workspaces", ws, "regulations"}, "/") }\n')
NOTEBOOK = r'''{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "import requests\n",
    "r = requests.get(\"https://platform.segmentapis.com/v1beta/workspaces/\" + ws + \"/sources/\" + src, params={\"page_size\": 10})\n",
    "print(r.json()[\"display_name\"])"
   ]
  }
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
'''
POSTMAN = '''{
  "info": {"name": "Segment", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "variable": [{"key": "baseUrl", "value": "https://platform.segmentapis.com/v1beta"}],
  "item": [
    {
      "name": "List sources",
      "request": {
        "method": "GET",
        "url": {
          "host": ["{{baseUrl}}"],
          "path": ["workspaces", "acme", "sources"]
        }
      }
    },
    {
      "name": "Get source",
      "request": {
        "method": "GET",
        "url": {
          "host": [
            "platform",
            "segmentapis",
            "com"
          ],
          "protocol": "https",
          "path": [
            "v1beta",
            "workspaces",
            "acme",
            "sources",
            "js"
          ]
        }
      }
    }
  ]
}
'''
LONE_CR = (REPO / "tests" / "fixtures" / "rewrite" / "lone_cr" / "input.py").read_bytes().decode()
REPROS = {"c.js": JOIN_JS, "c.ts": JOIN_JS, "c.rb": JOIN_RB, "c.go": JOIN_GO, "notes.md": JOIN_MD,
          "d.go": JOIN_ONE_LINE, "n.ipynb": NOTEBOOK, "c.postman_collection.json": POSTMAN, "cr.py": LONE_CR}


def region(lines: list[str], f: Finding) -> str | None:
    """The file's text from the finding's start to its end; None when either is outside its lines."""
    end = f.end() or (f.line, f.column)
    for line, column in ((f.line, f.column), end):
        if not (1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1):
            return None
    if end < (f.line, f.column):
        return None
    if end[0] == f.line:
        return lines[f.line - 1][f.column - 1 : end[1] - 1]
    return "\n".join([lines[f.line - 1][f.column - 1 :], *lines[f.line : end[0] - 1], lines[end[0] - 1][: end[1] - 1]])


def misplaced(root: Path, findings: list[Finding]) -> list[tuple[str, int, int, str, str | None]]:
    """The findings whose region is outside the file, or, with no end of its
    own (the text is the file's there), does not hold their text."""
    out = []
    for f in findings:
        text = decode((root / f.path).read_bytes(), f.path.endswith(".py"))[0]
        found = region([line.rstrip("\r") for line in text.split("\n")], f)
        shortened = f.text.endswith("…")  # (a long change, on one line)
        if found is None or (not f.end_line and not shortened and found != f.text):
            out.append((f.path, f.line, f.column, f.text, found))
    return out


@pytest.fixture(scope="module")
def repros(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repros")
    for name, source in REPROS.items():
        (root / name).write_bytes(source.encode())
    return root


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize("tree", ["mixed", "linked", "repros", "docs"])
def test_every_region_is_inside_the_file_over_its_text(
    real_rules: RuleSet, repros: Path, tree: str, precise: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = {"repros": repros, "docs": REPO / "docs"}.get(tree, TREES / tree)
    monkeypatch.chdir(root)
    run = audit_paths([Path(".")], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    assert run.findings
    assert misplaced(root, run.findings) == []


def places(auditor: Auditor, path: str, source: str) -> list[tuple[int, int, tuple[int, int] | None, str]]:
    return [(f.line, f.column, f.end(), f.rule) for f in auditor.scan(path, source.encode()).findings]


@pytest.mark.parametrize("path", ["c.js", "c.ts"])
def test_a_list_join_over_lines_keeps_the_columns_after_it_js(real_rules: RuleSet, path: str) -> None:
    """`[BASE, "workspaces", ws,⏎"sources"].join("/")`: `page_size` after it is at its column
    (it was 2 to the left: 4 less the name's length), the path from `workspaces` to `sources`."""
    assert places(Auditor(real_rules, codemod=None), path, JOIN_JS) == [
        (1, 15, (1, 54), "host.base-url"),
        (2, 19, (3, 9), "endpoint.sources.list"),
        (3, 35, (3, 44), "pagination.params"),
    ]


def test_a_list_join_over_lines_keeps_the_columns_after_it_ruby_go_markdown(real_rules: RuleSet) -> None:
    auditor = Auditor(real_rules, codemod=None)
    assert places(auditor, "c.rb", JOIN_RB) == [
        (1, 9, (1, 48), "host.base-url"),
        (2, 13, (3, 9), "endpoint.sources.list"),
        (3, 33, (3, 42), "pagination.params"),
    ]
    assert places(auditor, "c.go", JOIN_GO) == [
        (3, 15, (3, 54), "host.base-url"),
        (5, 38, (6, 9), "endpoint.sources.list"),
        (6, 33, (6, 42), "pagination.params"),
    ]
    # (Markdown's was 4 to the left)
    assert places(auditor, "notes.md", JOIN_MD) == [
        (1, 7, (1, 46), "host.base-url"),
        (2, 20, (3, 9), "endpoint.sources.list"),
        (3, 58, (3, 67), "pagination.params"),
    ]


def test_a_join_on_one_line_spans_its_pieces(real_rules: RuleSet) -> None:
    """`strings.Join([]string{"workspaces", ws, "regulations"}, "/")`: from
    `workspaces` to `regulations` (it covered 25 characters from the call's
    start), the text the path it builds."""
    [_, found] = Auditor(real_rules, codemod=None).scan("d.go", JOIN_ONE_LINE.encode()).findings
    line = JOIN_ONE_LINE.splitlines()[6]
    assert (found.line, found.column, found.end(), found.text) == (7, 65, (7, 94), "workspaces/{}/regulations")
    assert line[found.column - 1 : found.end_column - 1] == 'workspaces", ws, "regulations'


def test_a_notebook_lines_escapes_are_in_its_region(real_rules: RuleSet) -> None:
    """`\\"` is two characters of the file: the region ends after the last
    one's (it ended 3 short, at 102)."""
    auditor = Auditor(real_rules, codemod=None)
    assert places(auditor, "n.ipynb", NOTEBOOK) == [
        (10, 25, (10, 64), "host.base-url"),
        (10, 64, (10, 105), "endpoint.sources.get"),
        (10, 117, (10, 126), "pagination.params"),
        (11, 23, (11, 35), "source.fields"),
    ]
    line = NOTEBOOK.splitlines()[9]
    assert line[63:104] == r'/workspaces/\" + ws + \"/sources/\" + src'


def test_a_postman_arrays_region_is_its_elements(real_rules: RuleSet) -> None:
    """A URL read from `host` and `path` arrays ends at its last element's
    end (it ended past the end of the line, 56 on a line of 51), over the
    lines of an array spread over them."""
    assert places(Auditor(real_rules, codemod=None), "c.postman_collection.json", POSTMAN) == [
        (3, 45, (3, 84), "host.base-url"),
        (11, 21, (11, 50), "endpoint.sources.list"),
        (21, 14, (23, 17), "host.base-url"),
        (27, 14, (31, 16), "endpoint.sources.get"),
    ]


def test_a_change_over_lines_of_a_file_of_lone_carriage_returns_ends_on_its_last_line(real_rules: RuleSet) -> None:
    """The codemod's change of a call over lines ends on its last line when
    a lone `\\r` breaks them (it ended past the end of its first line, at
    204, and the scanner's `page_size` below it was reported apart): the
    file gives what the same file with `\\n` gives."""
    auditor = Auditor(real_rules)
    assert "\r\n" not in LONE_CR and LONE_CR.count("\r") > 10
    found = places(auditor, "cr.py", LONE_CR)
    assert found == places(auditor, "cr.py", LONE_CR.replace("\r", "\n"))
    assert [(line, column, end) for line, column, end, rule in found if rule == "pagination.params"] == [(18, 19, (21, 101))]


BLACK_JOIN = ('API = "https://platform.segmentapis.com/v1beta"\n\n\ndef sources(ws):\n    path = "/".join(\n        [\n'
              '            "workspaces",\n            ws,\n            "sources",\n        ]\n    )\n'
              '    return requests.get(API + "/" + path)\n')


def test_a_join_whose_first_piece_is_below_its_start_keeps_its_fingerprint_and_comments(real_rules: RuleSet) -> None:
    """A join laid out one piece a line: the finding is at its pieces (lines
    7 to 9; it was at the join's `"/"`, line 5), its fingerprint still that of
    the line the join starts on (a baseline keeps matching it: the print
    below is the one it had there), and a suppression comment there still covers it."""
    auditor = Auditor(real_rules, codemod=None)
    [_, path] = auditor.scan("j.py", BLACK_JOIN.encode()).findings
    assert (path.line, path.column, path.end(), path.rule) == (7, 14, (9, 21), "endpoint.sources.list")
    assert (path.joined_line, path.fingerprint) == (5, "6845c0f7cbcb1ce931c85f0ae38e3fd8")
    quiet = BLACK_JOIN.replace('"/".join(\n', '"/".join(  # migrator: ignore[endpoint.sources.list]\n')
    assert [f.rule for f in auditor.scan("j.py", quiet.encode()).findings] == ["host.base-url"]
