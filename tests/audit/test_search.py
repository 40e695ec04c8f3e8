"""The one-pass searches give what the plain searches they replace gave, and
the prefilter never hides a finding."""

from __future__ import annotations

import re

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.audit import forked, parallel
from migrator.audit.bound import url_hosts
from migrator.audit.client_bases import _KEY, _keys
from migrator.audit.core import Auditor
from migrator.audit.joined_lists import _quoted_head
from migrator.audit.model import Finding, changed
from migrator.audit.reading import Chunk, scan_files
from migrator.audit.run import audit_paths
from migrator.search import TEDDY, AnyCase, AnyOf, Occurrences
from migrator.audit.table import compile_rules
from migrator.ruleset import RuleSet, load_rules
from tests.audit.conftest import TREES

CATALOG = compile_rules(load_rules())
TRIGGERS = sorted({t for path in ("a.py", "a.js") for t in CATALOG.triggers_for(path)})
PIECES = [t[:cut] for t in TRIGGERS for cut in (1, len(t) // 2, len(t) - 1, len(t))]
NOISE = [b"\0", b"\n", b"x", b"/", b".", b"\xc3\xa9", b"v1", b"workspaces", b"platform.segmentapis.co"]
# Needles that overlap themselves or each other, and field names of the table.
WORDS = ["aa", "aba", "page_token", "next_page_token", "é", "v1beta", "v1beta/", *sorted(CATALOG.words)[:20]]

HOST = "platform.segmentapis.com"
HOST_PIECES = [b"Platform.SegmentAPIs.com", b"pLATFORM.sEGMENTAPIS.COM", b"platform.segmentapis.com",
               b"PLATFORM.SEGMENTAPIS.COM", b"m.Seg", b"M.SEGMENTAPIS", b"Item.Segments", b"platform.SegmentAPIs.co"]


def find_all(text: str, needle: str) -> list[int]:
    """The `str.find` loop the scanner used before."""
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + NOISE), max_size=40), st.sets(st.sampled_from(TRIGGERS), min_size=1))
def test_any_of_is_any_in(parts: list[bytes], needles: set[bytes]) -> None:
    data = b"".join(parts)
    assert AnyOf(sorted(needles))(data) == any(n in data for n in needles)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "a", "b", "_", " ", "\n", "next_", "é€", "🙂"]), max_size=60))
def test_occurrences_are_the_find_loop(parts: list[str]) -> None:
    text = "".join(parts)
    found = Occurrences(WORDS)(text)
    assert found == {w: find_all(text, w) for w in WORDS if w in text}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["a.py", "a.pyi", "A.PY", "a.js", "py", "dir.py/file", "a/.py", "x.d/a.go", "Makefile"]),
    st.lists(st.sampled_from(PIECES + NOISE + HOST_PIECES + [b"migrator[", b"# migrator[host", b".s"]), max_size=30),
)
def test_the_prefilter_clears_what_the_byte_searches_cleared(path: str, parts: list[bytes]) -> None:
    """The triggers, or the Config host in any case (whose piece `.seg` may overlap a trigger)."""
    data = b"".join(parts)
    expected = any(t in data for t in CATALOG.triggers_for(path)) or HOST.encode() in data.lower()
    assert CATALOG.prefilter_for(path)(data) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HOST_PIECES + NOISE), max_size=30))
def test_any_case_is_a_search_of_the_folded_text(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert AnyCase([HOST])(data) == (HOST.encode() in data.lower())


def test_each_prefilter_is_one_simd_search() -> None:
    """The triggers, the link needles and the cases of the host's piece stay
    within what the crate's fast search takes (past it, the hot path is several times slower)."""
    assert CATALOG.any_case is not None
    assert max(len(p.needles) for p in CATALOG.prefilters.values()) + len(CATALOG.any_case.pieces) <= TEDDY


def test_a_config_host_in_mixed_case_alone_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet) -> None:
    """No trigger is in these files (the host in neither lowercase nor
    capitals, no `v1beta`): the second search lets them through."""
    files = {
        ".env.example": "SEGMENT_URL=https://Platform.SegmentAPIs.com\n",
        "deploy.yaml": "segment:\n  host: Platform.Segmentapis.com\n",
        "settings.py": 'HOST = "https://Platform.SegmentAPIs.com"\n',
        "other.py": "parts = item.Segments\nurl = 'https://Platform.SegmentAPIs.com.evil.example/x'\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, precise=False)
    assert [(f.path, f.line, f.column, f.rule, f.text) for f in run.findings] == [
        (".env.example", 1, 13, "host.base-url", "https://Platform.SegmentAPIs.com"),
        ("deploy.yaml", 2, 9, "host.base-url", "Platform.Segmentapis.com"),
        ("settings.py", 1, 9, "host.base-url", "https://Platform.SegmentAPIs.com"),
    ]
    auditor = Auditor(real_rules)  # with the codemod, as a single file: as the lowercase host
    assert [(f.line, f.rule) for f in auditor.scan("settings.py", files["settings.py"].encode()).findings] == [
        (1, "rewrite.partial-path"),
    ]


class Recording(Auditor):
    """An auditor that notes which files got past the hot path."""

    scanned: list[str]

    def scan(self, path, data, **given):  # type: ignore[no-untyped-def]
        self.scanned.append(path)
        return super().scan(path, data, **given)


def test_scan_files_hands_on_exactly_the_files_the_prefilter_flags(tmp_path: Path, real_rules: RuleSet) -> None:
    contents = [b"nothing here\n", b"# migrator[host.base-url]: x\n", b"see v1beta\n", b"\0binary v1beta", b"x" * 9000 + b"\0",
                b"Platform.SegmentAPIs.com\n", b"item.Segments\n"]
    names = ["a.py", "a.pyi", "A.PY", "a.js", "py", "a.d/file", ".py", "Makefile"]
    paths = []
    for i, data in enumerate(contents):
        for name in names:
            path = tmp_path / str(i) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            paths.append(str(path))
    auditor = Recording(real_rules, codemod=None)
    auditor.scanned = []
    scan_files(auditor, paths, 1 << 20)
    catalog = auditor.catalog
    expected = [
        p for p in paths
        if b"\0" in Path(p).read_bytes()[:8192] or catalog.prefilter_for(p)(Path(p).read_bytes())
        or b"platform.segmentapis.com" in Path(p).read_bytes().lower()
    ]
    assert auditor.scanned == expected


class PassAll:
    """A prefilter that lets every file through."""

    needles = ()

    def find(self, data: bytes) -> list[tuple[int, int, int]]:
        return [(0, 0, 0)]

    def __call__(self, data: bytes) -> bool:
        return True


def test_the_prefilter_hides_no_finding(pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TREES / "mixed")
    filtered = Auditor(pinned_rules, codemod=None)
    unfiltered = Auditor(pinned_rules, codemod=None)
    unfiltered.catalog.prefilters = {suffix: PassAll() for suffix in unfiltered.catalog.prefilters}  # type: ignore[misc]
    fast = audit_paths([Path(".")], pinned_rules, auditor=filtered)
    slow = audit_paths([Path(".")], pinned_rules, auditor=unfiltered)
    assert fast.findings and fast.findings == slow.findings
    assert fast.clean == slow.clean and fast.binary == slow.binary


def test_the_process_pool_gives_the_same(pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where forking is not the norm, a pool of fresh processes is used."""
    from migrator.audit import run as run_module

    monkeypatch.chdir(TREES / "mixed")
    monkeypatch.setattr(run_module, "CHUNK", 2)
    serial = audit_paths([Path(".")], pinned_rules, precise=False)
    monkeypatch.setattr(parallel, "FORK", False)
    pooled = audit_paths([Path(".")], pinned_rules, jobs=2, precise=False)
    assert pooled.findings == serial.findings and pooled.clean == serial.clean


def failing(auditor: Auditor, paths: list[str], max_size: int) -> Chunk:
    raise ValueError("boom")


def test_an_error_while_scanning_in_parallel_is_raised(pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.audit import run as run_module

    monkeypatch.chdir(TREES / "mixed")
    monkeypatch.setattr(run_module, "CHUNK", 2)
    monkeypatch.setattr(forked, "scan_files", failing)
    with pytest.raises(ValueError, match="boom"):
        audit_paths([Path(".")], pinned_rules, jobs=2, precise=False)


def test_a_worker_hands_its_error_to_the_parent(text_auditor: Auditor, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(forked, "scan_files", failing)
    monkeypatch.setattr(forked.signal, "signal", lambda *args: None)  # Ctrl-C stays pytest's
    feed = forked.Feed(2)
    assert feed.offer(["a.py"])
    reader, writer = multiprocessing.Pipe(duplex=False)
    forked._work(feed, text_auditor, 100, writer)
    outcome = reader.recv()
    assert isinstance(outcome, ValueError) and str(outcome) == "boom"


def test_the_feed_never_waits_and_hands_out_each_batch_whole_once() -> None:
    feed = forked.Feed(2)
    feed.room = 200  # a small pipe: batches that do not fit stay with the sender
    batches = [[f"dir/{i}-{j}-é.py" for j in range(3)] for i in range(10)]
    sent = [b for b in batches if feed.offer(b)]
    assert 0 < len(sent) < len(batches)
    assert [feed.take(until=len(feed.ends)) for _ in sent] == sent
    assert feed.take(until=len(feed.ends)) is None  # all taken: this process stops
    assert feed.offer(batches[-1])  # the pipe has room again
    assert feed.take() == batches[-1]
    feed.close(1)
    assert feed.take() is None  # the end mark


class Counted:
    """A prefilter that counts the searches it makes."""

    def __init__(self, search) -> None:  # type: ignore[no-untyped-def]
        self.search, self.needles, self.calls = search, search.needles, 0

    def find(self, data: bytes) -> list[tuple[int, int, int]]:
        return self.search.find(data)

    def __call__(self, data: bytes) -> bool:
        self.calls += 1
        return self.search(data)


def test_scan_files_searches_a_file_for_its_triggers_once(tmp_path: Path, real_rules: RuleSet) -> None:
    """`Auditor.scan` trusts the search `scan_files` made; but for a file in
    UTF-16 it searches the bytes it reads in UTF-8: those of `d.txt` are
    not those `scan_files` searched (with no NUL, they are `v1beta`)."""
    files = {"a.py": b'URL = "https://platform.segmentapis.com/v1beta/workspaces/w/sources"\n', "b.md": b"v1beta\n",
             "c.txt": b"nothing\n", "d.txt": "\ufeff\u3176\u6562\u6174".encode("utf-16-le"),
             "e.txt": "\ufeffhttps://platform.segmentapis.com\n".encode("utf-16-le")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    auditor = Auditor(real_rules, codemod=None)
    counted = {suffix: Counted(search) for suffix, search in auditor.catalog.prefilters.items()}
    auditor.catalog.prefilters = counted  # type: ignore[assignment]
    chunk = scan_files(auditor, [str(tmp_path / name) for name in files], 1 << 20)
    assert sum(c.calls for c in counted.values()) == 6  # a, b, c; d twice, e once (its NULs: no search before)
    assert [(Path(r.path).name, [f.rule for f in r.findings]) for r in chunk.results] == [
        ("a.py", ["host.base-url", "endpoint.sources.list"]), ("e.txt", ["host.base-url"])]
    assert chunk.clean == {"md": 1, "txt": 2}


ANY_URL = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9+.-]*://([^\s\"'`/:{}]+)")
ANY_URL_BRACES = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9+.-]*://([^\s\"'`/:]+)")
"""(base_urls' reading of a line's hosts, with a template's braces: `https://{{host}}/`)"""


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["://", ":", "/", "a", "Z", "9", "+", ".", "-", " ", "\n", '"', "`", "{", "}", "é",
                                 "ab", "http", "https://", "h.ttps", "x-1://", "host.example", ":8080", "{{h}}"]),
                max_size=40))
def test_url_hosts_is_the_regex_search(parts: list[str]) -> None:
    """The same hosts as the regular expressions it replaced, which tried every offset of the text."""
    text = "".join(parts)
    assert url_hosts(text) == ANY_URL.findall(text)
    assert url_hosts(text, braces=True) == ANY_URL_BRACES.findall(text)


def test_url_hosts_with_braces_reads_a_templated_host_whole() -> None:
    text = 'curl https://{{host}}/v1/x "https://api.example.com{/path}" ftp://files.example.org:21/'
    assert url_hosts(text) == ["api.example.com", "files.example.org"]
    assert url_hosts(text, braces=True) == ["{{host}}", "api.example.com{", "files.example.org"]


def test_changed_is_replace() -> None:
    f = Finding("a.py", 3, 5, "endpoint.sources.list", "warning", "m", "/v1beta/x", "endpoint", also=("a",))
    new = changed(f, fingerprint="f", call="c", also_prints=("p",))
    assert new == replace(f, fingerprint="f", call="c", also_prints=("p",))
    assert vars(new) == vars(replace(f, fingerprint="f", call="c", also_prints=("p",)))
    assert hash(new) == hash(replace(f, fingerprint="f", call="c", also_prints=("p",))) and vars(f)["call"] == ""
    with pytest.raises(TypeError):
        changed(f, fingerprnt="f")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(['"', "'", "/", "workspaces", "v1beta", "catalog", "work", "spaces", "x", " ", "é"]),
                max_size=20))
def test_quoted_head_is_the_plain_searches(parts: list[str]) -> None:
    text, heads = "".join(parts), ("workspaces", "v1beta", "catalog")
    assert _quoted_head(text, heads) == any(f"{q}{slash}{h}" in text for h in heads for q in "\"'" for slash in ("", "/"))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["url", "URL", "Url", "c", "base", "prefix", "_", "e", "x", "$", " ", ":", "=", '"',
                                 "'", "https://h/v1beta", "NAME", ",", "\n", "é"]), max_size=30))
def test_keys_are_the_matches_of_the_key_anywhere(parts: list[str]) -> None:
    """`_keys` tries `_KEY` at few offsets (not after `c` of `curl`): it finds all its matches."""
    text = "".join(parts)
    assert [m.span() for m in _keys(text)] == [m.span() for i in range(len(text)) if (m := _KEY.match(text, i))]
