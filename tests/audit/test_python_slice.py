"""The audit gives the codemod only the statements it needs: its findings
must be exactly those of the whole file, at the file's lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from migrator.audit.python import Codemod, codemod_findings, default_codemod
from migrator.audit.python_slice import relevant_slice
from migrator.ruleset import RuleSet, load_rules

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    p
    for folder in ("migrator", "tests", "docs")
    for p in (REPO / folder).rglob("*.py")
)
ALWAYS = 10.0
"""A `keep_whole` share no slice reaches: every file is sliced."""

FILLER = '''

def handler_{n}(event, context):
    """Sums the items; `name` comes back as it came."""
    data = event.get("data") or {{}}
    total = sum(item["amount"] for item in data.get("items", []))
    response = {{"status": 200, "total": total, "name": event.get("name")}}
    return response


class Report{n}:
    header = "report {n}"

    def render(self, rows):
        return "\\n".join(f"{{self.header}}: {{r}}" for r in rows)
'''


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


FAILED_SLICES: list[str] = []
"""Slices the codemod raised on: the audit would quietly read the whole
file instead, so a test comparing findings would not see the failure."""


@pytest.fixture(scope="module")
def codemod(rules: RuleSet) -> Codemod:
    found = default_codemod(rules)
    assert found is not None and found.needles
    real = found.rewrite_bytes

    def rewrite_bytes(data: bytes, rules: RuleSet, **options: object) -> object:
        try:
            return real(data, rules, **options)
        except Exception as exc:
            if "line_numbers" in options:
                FAILED_SLICES.append(f"{type(exc).__name__}: {exc}")
            raise

    return replace(found, rewrite_bytes=rewrite_bytes)


@pytest.fixture(autouse=True)
def _no_failed_slice() -> Iterator[None]:
    FAILED_SLICES.clear()
    yield
    assert FAILED_SLICES == []


def findings(path: Path | str, data: bytes, rules: RuleSet, codemod: Codemod) -> list | str:
    try:
        return codemod_findings(str(path), data, rules, codemod)
    except codemod.error as exc:
        return f"error: {exc}"


def whole(codemod: Codemod) -> Codemod:
    return replace(codemod, needles=())


def config_sources(codemod: Codemod) -> list[Path]:
    return [p for p in SOURCES if codemod.may_need_rewrite(p.read_bytes())]


def test_the_corpus_is_large_enough(codemod: Codemod) -> None:
    assert len(config_sources(codemod)) >= 200


def test_every_sliced_file_gives_the_whole_files_findings(
    rules: RuleSet, codemod: Codemod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Python file of the project that may use the Config API (the
    codemod's fixtures, the equivalence corpus, the examples, the tests and
    the code), each sliced however small the saving."""
    monkeypatch.setattr("migrator.audit.python_slice.KEEP_WHOLE", ALWAYS)
    differ = []
    for path in config_sources(codemod):
        data = path.read_bytes()
        if findings(path, data, rules, codemod) != findings(path, data, rules, whole(codemod)):
            differ.append(path.relative_to(REPO))
    assert differ == []


def mixed(data: bytes) -> bytes:
    """Unrelated top-level code after the imports, between every two
    top-level statements of the rest, and at the end."""
    import ast

    lines = data.splitlines(keepends=True)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += b"\n"
    body = ast.parse(data).body
    starts = {min([n.lineno, *(d.lineno for d in getattr(n, "decorator_list", ()))]) for n in body}
    starts -= {min(starts)}  # after the docstring, or `from __future__`
    starts -= {n.lineno for n in body if isinstance(n, ast.ImportFrom) and n.module == "__future__"}
    out: list[bytes] = []
    for number, line in enumerate(lines, 1):
        if number in starts:
            out.append(FILLER.format(n=number).encode() + b"\n")
        out.append(line)
    out.append(FILLER.format(n=0).encode())
    return b"".join(out)


@pytest.mark.parametrize(
    "name",
    [
        "tests/equivalence/corpus/source_report_client.py",
        "tests/fixtures/rewrite/responses-parameters/input.py",
        "tests/fixtures/rewrite/paths-joined-kept/input.py",
        "tests/fixtures/rewrite/slugs_lookup/input.py",
        "tests/fixtures/rewrite/pagination-whole-lists/input.py",
        "tests/fixtures/rewrite/eu_region/input.py",
    ],
)
def test_unrelated_code_is_left_out_and_lines_stay_the_files(
    name: str, rules: RuleSet, codemod: Codemod
) -> None:
    path = REPO / name
    data = mixed(path.read_bytes())
    compile(data, name, "exec")
    piece = relevant_slice(data, codemod.needles)
    assert piece is not None
    assert b"handler_" not in piece.data and b"class Report" not in piece.data
    exact = findings(path, data, rules, codemod)
    assert isinstance(exact, list) and exact
    assert exact == findings(path, data, rules, whole(codemod))


def variants(codemod: Codemod, count: int, seed: int = 11) -> list[tuple[str, bytes]]:
    """Fixture and corpus files with some of their top-level statements left
    out at random (imports kept) and unrelated code put in: links between
    statements broken and made in ways no fixture shows."""
    import ast
    import random

    rng = random.Random(seed)
    pool = [p for p in config_sources(codemod) if "fixtures" in p.parts or "corpus" in p.parts]
    out: list[tuple[str, bytes]] = []
    while len(out) < count:
        path = rng.choice(pool)
        data = path.read_bytes()
        try:
            body = ast.parse(data).body
        except SyntaxError:
            continue
        lines = data.splitlines(keepends=True)
        first = min([body[0].lineno, *(d.lineno for d in getattr(body[0], "decorator_list", ()))]) if body else 1
        pieces: list[bytes] = lines[: first - 1]  # an encoding declaration stays
        for node in body:
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            text = b"".join(lines[start - 1 : node.end_lineno])
            if isinstance(node, (ast.Import, ast.ImportFrom)) or rng.random() < 0.6:
                pieces.append(text if text.endswith(b"\n") else text + b"\n")
            if rng.random() < 0.3 and not isinstance(node, ast.ImportFrom):
                pieces.append(FILLER.format(n=len(pieces)).encode() + b"\n")
        variant = b"".join(pieces)
        try:
            compile(variant, str(path), "exec")
        except SyntaxError:
            continue
        if codemod.may_need_rewrite(variant):
            out.append((str(path.relative_to(REPO)), variant))
    return out


def test_files_with_statements_left_out_give_the_same_findings_sliced(
    rules: RuleSet, codemod: Codemod, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("migrator.audit.python_slice.KEEP_WHOLE", ALWAYS)
    differ = []
    for name, data in variants(codemod, 120):
        if findings(name, data, rules, codemod) != findings(name, data, rules, whole(codemod)):
            differ.append(name)
    assert differ == []


def test_a_host_in_mixed_case_is_kept_in_the_slice(
    rules: RuleSet, codemod: Codemod, monkeypatch: pytest.MonkeyPatch
) -> None:
    # host names are case-insensitive: the unused base is the Config host's, which the codemod marks
    monkeypatch.setattr("migrator.audit.python_slice.KEEP_WHOLE", ALWAYS)
    data = (b'import requests\n\nAPI = "HTTPS://Platform.SegmentAPIs.com/v1beta"\n\n\n'
            b'def sources():\n    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/a/sources")\n')
    sliced = findings("a.py", data, rules, codemod)
    assert sliced == findings("a.py", data, rules, whole(codemod))
    assert [(f.line, f.rule) for f in sliced if f.line == 3] == [(3, "rewrite.partial-path")]


def kept(source: str, needles: tuple[bytes, ...] = (b"platform.segmentapis.com", b"workspaces")) -> str:
    piece = relevant_slice(source.encode(), needles, keep_whole=ALWAYS)
    assert piece is not None
    lines = source.splitlines()
    # Every line of the slice is the file's line it says (or its comment).
    for text, number in zip(piece.data.decode().splitlines(), piece.lines, strict=True):
        assert text in (lines[number - 1], lines[number - 1][lines[number - 1].find("#"):], "")
    return piece.data.decode()


def test_statements_linked_by_a_name_are_kept_both_ways() -> None:
    source = '''import requests
import os

BASE = "https://platform.segmentapis.com/v1beta"
TIMEOUT = 10
UNUSED = 3


def get(path):
    return requests.get(BASE + path, timeout=TIMEOUT)


def sources(ws):
    return get(f"/workspaces/{ws}/sources").json()


def names(ws):
    return [s["display_name"] for s in sources(ws)]


def unrelated(event):
    return event["name"]
'''
    out = kept(source)
    for text in ("import os", "BASE =", "TIMEOUT = 10", "def get", "def sources", "def names"):
        assert text in out
    assert "UNUSED" not in out and "def unrelated" not in out


def test_class_members_reach_their_users() -> None:
    source = '''class Client:
    def __init__(self):
        self.base_url = "https://platform.segmentapis.com/v1beta"

    def list_sources(self):
        return []


def report(client):
    return client.list_sources()


def base_of(client):
    return client.base_url


def other(x):
    return x.items()
'''
    out = kept(source)
    assert "def report" in out and "def base_of" in out and "def other" not in out


def test_globals_assigned_in_functions_count_as_definitions() -> None:
    source = '''def configure():
    global API
    API = "https://platform.segmentapis.com/v1beta"


def call():
    return fetch(API)


def other():
    return 1
'''
    out = kept(source, (b"workspaces",))
    assert out == ""  # no needle: only imports would stay
    out = kept(source)
    assert "def call" in out and "def other" not in out


def test_decorators_semicolons_and_the_line_above_stay() -> None:
    source = '''import functools
x = 1; API = "https://platform.segmentapis.com/v1beta"
def other(): return 2
# migrator: ignore[rewrite.paths]
@functools.cache
def sources():
    return API + "/workspaces/x/sources"
'''
    out = kept(source)
    assert "x = 1; API" in out
    assert "def other" not in out
    assert "# migrator: ignore[rewrite.paths]\n@functools.cache\ndef sources" in out


def test_a_comment_alone_on_the_line_above_is_kept_and_one_after_code_is_not() -> None:
    """Alone on its line, a comment covers the statement below (as the codemod
    and the audit read it); after code, only its own line, left out here."""
    api = 'API = "https://platform.segmentapis.com/v1beta"\n'
    assert kept("def other():\n    return 2\n    # migrator: ignore\n" + api) == "# migrator: ignore\n" + api
    assert kept("def other(): return 2  # migrator: ignore\n" + api) == "\n" + api


def test_an_encoding_declaration_stays_on_its_line() -> None:
    source = '# -*- coding: latin-1 -*-\ndef other():\n    return "caf\xe9"\nAPI = "https://platform.segmentapis.com/v1beta"\n'
    piece = relevant_slice(source.encode("latin-1"), (b"platform.segmentapis.com",), keep_whole=ALWAYS)
    assert piece is not None
    assert piece.data.startswith(b"# -*- coding: latin-1 -*-\n") and piece.lines[0] == 1
    assert b"def other" not in piece.data


def test_crlf_lines_are_kept_as_they_are() -> None:
    source = 'def other():\r\n    return 1\r\n\r\nAPI = "https://platform.segmentapis.com/v1beta"\r\n'
    piece = relevant_slice(source.encode(), (b"platform.segmentapis.com",), keep_whole=ALWAYS)
    assert piece is not None
    assert piece.data == b'\nAPI = "https://platform.segmentapis.com/v1beta"\r\n'
    assert piece.lines == (3, 4)


def test_lone_carriage_return_lines_stay_apart() -> None:
    # The line left blank above a statement ended in `\n`: after a line ending in a lone `\r`
    # (an old Mac file) the two made one `\r\n`, and every later line was named one too early.
    source = b'import os\r\rdef other():\r    return 1\r\rAPI = "https://platform.segmentapis.com/v1beta"\r'
    piece = relevant_slice(source, (b"platform.segmentapis.com",), keep_whole=ALWAYS)
    assert piece is not None
    assert (piece.data, piece.lines) == (b'import os\r\rAPI = "https://platform.segmentapis.com/v1beta"\r', (1, 5, 6))
    # mixed: the blank line after a kept comment line ending in a lone `\r`, above `\r\n` lines
    mixed = b'# tool\r"""Doc."""\r\nimport os\r\nimport requests\r\nAPI = "https://platform.segmentapis.com/v1beta"\r\n'
    piece = relevant_slice(mixed, (b"platform.segmentapis.com",), keep_whole=ALWAYS)
    assert piece is not None
    assert (piece.data, piece.lines) == (
        b'# tool\r\rimport os\r\nimport requests\r\nAPI = "https://platform.segmentapis.com/v1beta"\r\n', (1, 2, 3, 4, 5)
    )


def test_no_slice_when_python_cannot_parse_it_or_most_of_it_is_needed() -> None:
    assert relevant_slice(b"def broken(:\n", (b"x",)) is None
    assert relevant_slice(b'API = "https://platform.segmentapis.com"\n', (b"platform.segmentapis.com",)) is None


def test_the_collector_is_left_as_it_was(rules: RuleSet, codemod: Codemod) -> None:
    import gc

    data = (REPO / "tests/fixtures/rewrite/eu_region/input.py").read_bytes()
    assert gc.isenabled()
    findings("a.py", data, rules, codemod)
    assert gc.isenabled()
    assert findings("b.py", b'URL = "https://platform.segmentapis.com/v1beta"\ndef (:\n', rules, codemod)
    assert gc.isenabled()  # after the codemod's error too
    gc.disable()
    try:
        findings("a.py", data, rules, codemod)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_codemod_reads_anywhere_is_kept_without_a_link(rules: RuleSet, codemod: Codemod) -> None:
    """Config field names, the mocking libraries' fixtures and the users of
    an imported module a kept statement uses: the codemod acts on them with
    no name leading from a Config call."""
    source = b'''import requests
import responses

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


def list_sources():
    return requests.get(URL).json()


def test_list(requests_mock):
    requests_mock.get(URL, json={"sources": []})
    assert list_sources()["sources"] == []


def test_body(requests_mock):
    assert requests_mock.last_request.json() == {"enabled": True}


def summary(sources):
    return [s["display_name"] for s in sources]


def last_body():
    return responses.calls[-1].request.body


def unrelated(event):
    return event["name"]
'''
    piece = relevant_slice(source, codemod.needles, keep_whole=ALWAYS)
    assert piece is not None
    for kept_text in (b"def test_body", b"def summary", b"def last_body"):
        assert kept_text in piece.data
    assert b"def unrelated" not in piece.data
    exact = findings("t.py", source, rules, codemod)
    assert exact == findings("t.py", source, rules, whole(codemod))
    assert isinstance(exact, list) and {f.line for f in exact} >= {17, 21}


def test_every_kind_of_top_level_statement(rules: RuleSet, codemod: Codemod) -> None:
    """Conditional and guarded imports, augmented and chained assignments, a
    lambda, `global` in a function, decorators, nested and derived classes, a
    walrus, `match`, a loop and `del` at module level, the main guard."""
    path = REPO / "tests/fixtures/audit/slices/every_statement.py"
    data = path.read_bytes()
    piece = relevant_slice(data, codemod.needles, keep_whole=ALWAYS)
    assert piece is not None
    lines = data.decode().splitlines()
    left_out = [lines[n - 1] for n in range(1, len(lines) + 1) if n not in piece.lines and lines[n - 1].strip()]
    assert [line for line in left_out if not line.startswith(" ")] == [
        "@staticmethod", "def helper(x):", "def unrelated(event):", "for _i in range(2):", "del _i",
    ]
    exact = findings(path, data, rules, codemod)
    assert isinstance(exact, list) and exact
    assert exact == findings(path, data, rules, whole(codemod))


@pytest.mark.parametrize("tail", ['if __name__ == "__main__":\n    run()\n', '__all__ = ["plan"]\n', ""])
def test_what_says_who_reads_the_constants_is_kept(rules: RuleSet, codemod: Codemod, monkeypatch, tail: str) -> None:
    # a script's (or an `__all__`-listing module's) template constants are its own: the codemod
    # migrates or marks them by that
    monkeypatch.setattr("migrator.audit.python_slice.KEEP_WHOLE", ALWAYS)
    source = (
        'import requests\n\nPLANS = "https://platform.segmentapis.com/v1beta/workspaces/%s/tracking-plans"\n\n\n'
        'def plan():\n    return requests.post(PLANS % "acme", json={"tracking_plan": {"display_name": "App"}})\n'
        + FILLER.format(n=1) + "\n" + tail
    ).encode()
    piece = relevant_slice(source, codemod.needles, keep_whole=ALWAYS)
    assert piece is not None and (tail.split("\n")[0].encode() in piece.data)
    assert findings("f.py", source, rules, codemod) == findings("f.py", source, rules, whole(codemod))


def test_a_config_name_taken_apart_in_a_helper_of_its_own_is_kept_in_the_slice(
    rules: RuleSet, codemod: Codemod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`resource["name"].split("/")[-1]` in a function no Config statement
    names is marked in a file of Config calls: the slice keeps it (it was
    left out, and the sliced read lost the marker the whole file gives)."""
    monkeypatch.setattr("migrator.audit.python_slice.KEEP_WHOLE", ALWAYS)
    data = (b'import requests\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
            b'def total(event):\n    return sum(item["amount"] for item in event["items"])\n\n\n'
            b'def slug(resource):\n    return resource["name"].split("/")[-1]\n')
    sliced, read_whole = findings("x.py", data, rules, codemod), findings("x.py", data, rules, whole(codemod))
    assert [(f.line, f.rule) for f in read_whole if f.line > 2] == [(10, "rewrite.responses")]
    assert sliced == read_whole
