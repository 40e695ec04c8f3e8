"""Whatever the text, a finding points at what it quotes: line and column
(1-based, in characters) locate its matched text, with CRLF, tabs, non-ASCII
and lines of any length; and scanning never fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.audit.core import Auditor
from migrator.ruleset import load_rules

AUDITOR = Auditor(load_rules(), codemod=None)
PIECES = [
    "https://platform.segmentapis.com", "/v1beta", "/workspaces/", "acme", "/sources", "/js", "/destinations/",
    "ga", "/tracking-plans", "/access-tokens", "workspaces/acme/sources/web", "{ws}", "${WS}", "%s", "' + ws + '",
    "display_name", "update_mask", "page_token", "next_page_token", "catalog_name", "requests.get(", "curl -X DELETE ",
    '"', "'", "`", " ", "\t", "\n", "\r\n", "#", "é", "€", "🙂", "x", "=", ":", "(", ")",
]
SUFFIXES = [".py", ".md", ".json", ".sh", ".ts", ".yaml", ".txt"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.sampled_from(SUFFIXES))
def test_findings_point_at_what_they_quote(pieces: list[str], suffix: str) -> None:
    text = "".join(pieces)
    result = AUDITOR.scan("f" + suffix, text.encode())
    lines = text.split("\n")
    prints = [f.fingerprint for f in result.findings]
    assert len(prints) == len(set(prints))
    assert result.findings == sorted(result.findings, key=lambda f: (f.line, f.column, f.rule))
    for f in result.findings:
        assert 1 <= f.line <= len(lines)
        line = lines[f.line - 1].rstrip("\r")
        assert 1 <= f.column <= len(line) + 1
        if f.text and not f.text.endswith("…"):
            assert line[f.column - 1 :].startswith(f.text), (f, line)
    assert AUDITOR.scan("f" + suffix, text.encode()) == result


def test_a_lone_carriage_return_is_a_line_break_to_the_scanner_as_to_python() -> None:
    """An old Mac file (`\\r` alone ends its lines): the same lines and columns
    as with `\\n` or `\\r\\n`, read as text or by the codemod, which Python
    reads line by line too (it found each item twice, on other lines)."""
    source = 'import requests\nBASE = "https://platform.segmentapis.com/v1beta"\nr = requests.get(BASE + "/workspaces/acme/sources")\n'
    precise = Auditor(load_rules())
    for auditor in (AUDITOR, precise):
        for path in ("a.py", "a.yml"):
            found = {
                ending: [(f.line, f.column, f.rule) for f in auditor.scan(path, source.replace("\n", ending).encode()).findings]
                for ending in ("\n", "\r\n", "\r")
            }
            assert found["\r"] == found["\r\n"] == found["\n"] and len(found["\n"]) >= 2
