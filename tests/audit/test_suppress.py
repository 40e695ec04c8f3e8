"""`migrator: ignore` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.rewrite.result import Marker
from migrator.ruleset import RuleSet
from tests.audit.conftest import fake_codemod

HOST = '"https://platform.segmentapis.com"'


def rules_left(auditor: Auditor, source: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in auditor.scan("x.py", source.encode()).findings]


@pytest.mark.parametrize(
    "source",
    [
        f"A = {HOST}  # migrator: ignore\n",
        f"A = {HOST}  # migrator: ignore[host.base-url]\n",
        f"A = {HOST}  # migrator: ignore[host]\n",
        f"# migrator: ignore\nA = {HOST}\n",
        f"    # migrator: ignore[endpoint, host.base-url]\nA = {HOST}\n",
        f"A = {HOST}  # migrator: ignore[endpoint host.base-url]\n",  # spaces separate ids too
        f"A = {HOST}  // migrator: ignore\n",
        f"<!-- migrator: ignore -->\nA = {HOST}\n",
        f"    {{/* migrator: ignore */}}\nA = {HOST}\n",  # JSX
    ],
)
def test_suppressed(text_auditor: Auditor, source: str) -> None:
    result = text_auditor.scan("x.py", source.encode())
    assert (result.findings, result.suppressed) == ([], 1)


@pytest.mark.parametrize(
    "source",
    [
        f"A = {HOST}  # migrator: ignore[endpoint]\n",
        f"A = {HOST}  # migrator: ignore[host.base]\n",
        f"B = 1  # migrator: ignore\nA = {HOST}\n",  # a trailing comment covers its own line only
        f"# migrator: ignore\n\nA = {HOST}\n",
        f"x = {{/* migrator: ignore */}}\nA = {HOST}\n",  # after code: its own line only
    ],
)
def test_not_suppressed(text_auditor: Auditor, source: str) -> None:
    assert [rule for _, rule in rules_left(text_auditor, source)] == ["host.base-url"]


URL = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources"'


def partial_path_auditor(pinned_rules: RuleSet) -> Auditor:
    """The codemod marks the whole URL under a rule of its own."""
    return Auditor(pinned_rules, codemod=fake_codemod(markers=[Marker("rewrite.partial-path", 1, 7, "by hand")]))


def test_a_codemod_finding_carries_the_rows_the_scanner_reports_there(pinned_rules: RuleSet) -> None:
    [found] = partial_path_auditor(pinned_rules).scan("x.py", f"FAKE = {URL}\n".encode()).findings
    assert (found.line, found.column, found.rule, found.text, found.also) == (
        1, 8, "rewrite.partial-path", URL, ("endpoint.sources.list", "host.base-url"),
    )
    assert found.answers_to(["host"]) and found.answers_to(["rewrite"]) and not found.answers_to(["source"])
    assert found.to_json()["also"] == ["endpoint.sources.list", "host.base-url"]


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# migrator: ignore[host.base-url, endpoint]", True),
        ("# migrator: ignore[rewrite.partial-path]", True),
        ("# migrator: ignore", True),
        ("# migrator: ignore[host.base-url]", False),  # the path is still there
        ("# migrator: ignore[endpoint]", False),
    ],
)
def test_suppressing_the_rows_suppresses_the_codemod_finding(
    pinned_rules: RuleSet, comment: str, suppressed: bool,
) -> None:
    result = partial_path_auditor(pinned_rules).scan("x.py", f"FAKE = {URL}  {comment}\n".encode())
    assert (len(result.findings), result.suppressed) == ((0, 1) if suppressed else (1, 0))


STRING_WITH_IGNORE = 's = "https://platform.segmentapis.com/v1beta/workspaces/a/sources # migrator: ignore"\n'


@pytest.mark.parametrize("precise", [False, True])
def test_the_words_inside_a_string_literal_suppress_nothing(real_rules: RuleSet, precise: bool) -> None:
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    result = auditor.scan("x.py", f"import requests\n{STRING_WITH_IGNORE}requests.get(s)\n".encode())
    assert result.suppressed == 0
    if precise:  # the codemod reads the URL, words and all: not a path of the table
        assert [(f.line, f.rule, f.also) for f in result.findings] == [
            (2, "rewrite.partial-path", ("endpoint.sources.list", "host.base-url"))
        ]
    else:
        assert [(f.line, f.rule) for f in result.findings] == [(2, "host.base-url"), (2, "endpoint.sources.list")]


@pytest.mark.parametrize(
    ("line", "suppressed"),
    [
        ("s = f'https://platform.segmentapis.com # migrator: ignore'\n", 0),
        ('s = "a # b" + "https://platform.segmentapis.com"  # migrator: ignore\n', 1),
        ('s = "esc \\" # migrator: ignore"; t = "https://platform.segmentapis.com"\n', 0),
        ("Don't use https://platform.segmentapis.com <!-- migrator: ignore -->\n", 1),
        ('curl --data "migrator: ignore" https://platform.segmentapis.com\n', 0),
        ("SELECT 'https://platform.segmentapis.com' -- migrator: ignore\n", 1),
    ],
)
def test_only_comments_suppress(text_auditor: Auditor, line: str, suppressed: int) -> None:
    result = text_auditor.scan("x.txt", line.encode())
    assert (result.suppressed, len(result.findings)) == (suppressed, 1 - suppressed)


def test_a_comment_line_inside_a_block_comment_covers_the_next_line(text_auditor: Auditor) -> None:
    result = text_auditor.scan("x.js", b"/*\n * migrator: ignore\n */\nconst A = 'https://platform.segmentapis.com';\n")
    assert (result.suppressed, len(result.findings)) == (0, 1)  # it covers ` */`, the line below it
    result = text_auditor.scan("x.js", b"/* migrator: ignore */\nconst A = 'https://platform.segmentapis.com';\n")
    assert (result.suppressed, len(result.findings)) == (1, 0)


@pytest.mark.parametrize(
    ("comment", "note"),
    [
        ("# migrator: ignore[host.base_url]",  # malformed: it once covered every rule
         "line 1: `migrator: ignore[...]` names `host.base_url`, no rule id nor the start of one "
         "(see `migrator rules`): that name covers nothing"),
        ("# migrator: ignore[Host, endpoint.sourcez]",
         "line 1: `migrator: ignore[...]` names `Host`, `endpoint.sourcez`, no rule id nor the start of one "
         "(see `migrator rules`): those names cover nothing"),
        ("# migrator: ignore[]",
         "line 1: `migrator: ignore[]` names no rule, so it covers nothing (`migrator: ignore` covers every rule)"),
        ("# migrator: ignore[host.base-url",  # unclosed: what it names still counts
         None),
    ],
)
def test_a_suppression_naming_no_rule_covers_nothing_and_says_so(
    text_auditor: Auditor, comment: str, note: str | None,
) -> None:
    result = text_auditor.scan("x.py", f"A = {HOST}  {comment}\n".encode())
    if note is None:
        assert (result.findings, result.suppressed, result.notes) == ([], 1, [])
    else:
        assert ([f.rule for f in result.findings], result.suppressed, result.notes) == (["host.base-url"], 0, [note])


def test_a_suppression_with_a_known_prefix_and_an_unknown_name_covers_what_the_prefix_names(
    text_auditor: Auditor,
) -> None:
    result = text_auditor.scan("x.py", f"A = {HOST}  # migrator: ignore[host, hots.base-url]\n".encode())
    assert (result.findings, result.suppressed) == ([], 1)
    assert result.notes == [
        "line 1: `migrator: ignore[...]` names `hots.base-url`, no rule id nor the start of one "
        "(see `migrator rules`): that name covers nothing"
    ]


def test_ignore_is_a_word(text_auditor: Auditor) -> None:
    result = text_auditor.scan("x.py", f"A = {HOST}  # migrator: ignored until the next sprint\n".encode())
    assert ([f.rule for f in result.findings], result.suppressed) == (["host.base-url"], 0)


def test_a_comment_alone_covers_the_lines_a_backslash_continues_its_next_line_onto(text_auditor: Auditor) -> None:
    script = (
        "# migrator: ignore\n"
        "curl -X DELETE \\\n"
        "  -H \"Authorization: Bearer $TOKEN\" \\\n"
        "  https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js\n"
        "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n"
    )
    result = text_auditor.scan("x.sh", script.encode())
    assert result.suppressed > 0
    assert {f.line for f in result.findings} == {5}


@pytest.mark.parametrize("precise", [False, True])
def test_a_comment_alone_covers_the_statement_its_next_line_starts(real_rules: RuleSet, precise: bool) -> None:
    """A call spread over lines (Black's style): its URL below the call's
    first line is covered too, the next statement is not."""
    source = (
        b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"  # migrator: ignore\n\n\n'
        b'def legacy(ws):\n    # migrator: ignore\n    r = requests.get(\n        f"{BASE}/workspaces/{ws}/sources",\n'
        b'    )\n    return requests.get(f"{BASE}/workspaces/{ws}/tracking-plans")\n'
    )
    auditor = Auditor(real_rules) if precise else Auditor(real_rules, codemod=None)
    result = auditor.scan("legacy.py", source)
    assert result.suppressed > 0
    assert {f.line for f in result.findings} == {11}


def test_comments_in_a_notebooks_cells_suppress(text_auditor: Auditor) -> None:
    """A cell's source lines are JSON strings: the comment is in the code they hold."""
    import json

    url = "'https://platform.segmentapis.com/v1beta/workspaces/acme/sources'"
    cell = [f"URL = {url}  # migrator: ignore\n", "# migrator: ignore\n", f"URL2 = {url}\n",
            f"URL3 = \"{url} # migrator: ignore\"\n", f"URL4 = {url}\n"]
    notebook = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": cell}],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    result = text_auditor.scan("x.ipynb", notebook.encode())
    lines = notebook.splitlines()
    assert sorted({lines[f.line - 1].strip()[:6] for f in result.findings}) == ['"URL3 ', '"URL4 ']
    assert result.suppressed == 4


def test_a_comment_in_a_cell_suppresses_only_where_it_is_alone_on_the_files_line(text_auditor: Auditor) -> None:
    """A minified notebook, or a cell whose source is one string of several
    lines: the file's line holds more code than the comment's line; it
    suppresses nothing there (and reading it does not fail)."""
    import json

    url = "'https://platform.segmentapis.com/v1beta/workspaces/acme/sources'"
    code = f"x = 1  # migrator: ignore\nURL = {url}\n"
    for notebook in (
        json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": code}]}, indent=1),
        json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": code.splitlines(keepends=True)}]}),
    ):
        result = text_auditor.scan("x.ipynb", notebook.encode())
        assert result.suppressed == 0 and len(result.findings) == 2


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("a.yaml", "url: https://platform.segmentapis.com/v1beta/workspaces/a/sources#migrator: ignore\n"),
        ("b.sh", "curl https://platform.segmentapis.com/v1beta/workspaces/a/sources#migrator: ignore\n"),
        ("d.py", 'V = """\n# migrator: ignore\nhttps://platform.segmentapis.com/v1beta/workspaces/a/sources\n"""\n'),
        ("e.py", 'V = f"""{x}\n  # migrator: ignore\nhttps://platform.segmentapis.com/v1beta/workspaces/a/sources"""\n'),
    ],
)
def test_a_hash_in_a_word_or_in_a_python_string_over_lines_is_no_comment(
    text_auditor: Auditor, path: str, source: str,
) -> None:
    """In shell and YAML a `#` glued to a word is part of it (a URL's
    fragment); in Python, a line of a triple-quoted string is a string."""
    result = text_auditor.scan(path, source.encode())
    assert (result.suppressed, [f.rule for f in result.findings]) == (0, ["host.base-url", "endpoint.sources.list"])


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("a.yaml", "url: https://platform.segmentapis.com/v1beta/workspaces/a/sources  # migrator: ignore\n"),
        ("b.sh", "#migrator: ignore\ncurl https://platform.segmentapis.com/v1beta/workspaces/a/sources\n"),
        ("c.py", 'V = """doc\n"""\nW = "https://platform.segmentapis.com/v1beta/workspaces/a/sources"  # migrator: ignore\n'),
        ("d.py", 'V = """doc"""\n# migrator: ignore\nW = "https://platform.segmentapis.com/v1beta/workspaces/a/sources"\n'),
        ("e.py", 'W = "https://platform.segmentapis.com/v1beta/workspaces/a/sources"# migrator: ignore\n'),
    ],
)
def test_comments_after_a_space_or_outside_python_strings_still_suppress(
    text_auditor: Auditor, path: str, source: str,
) -> None:
    result = text_auditor.scan(path, source.encode())
    assert (result.suppressed, result.findings) == (2, [])


def test_a_docstring_before_a_syntax_error_is_still_a_string(text_auditor: Auditor) -> None:
    source = ('V = """\n# migrator: ignore\nhttps://platform.segmentapis.com/v1beta/workspaces/a/sources\n"""\n'
              "print 'python 2'\nx = (\n")
    result = text_auditor.scan("old.py", source.encode())
    assert (result.suppressed, [f.rule for f in result.findings]) == (0, ["host.base-url", "endpoint.sources.list"])


SOURCES = "https://platform.segmentapis.com/v1beta/workspaces/a/sources"


@pytest.mark.parametrize(
    ("path", "line", "suppressed"),
    [
        # `;` opens a comment in INI-like files and Lisps...
        ("config/app.ini", f"a = {SOURCES} ; migrator: ignore", 2),
        ("setup.cfg", f"url = {SOURCES}\t;migrator: ignore[host, endpoint]", 2),
        ("supervisord.conf", f"environment=URL={SOURCES} ; migrator: ignore", 2),
        (".gitconfig", f'\turl = "{SOURCES}" ; migrator: ignore', 2),
        ("seg.clj", f'(def url "{SOURCES}") ; migrator: ignore', 2),
        ("setup.cfg", f"url = {SOURCES} ; migrator: ignore[host]", 1),  # (the path is still there)
        # ...not glued to a word, nor in a string, nor where `;` ends statements
        ("config/app.ini", f"a = {SOURCES};migrator: ignore", 0),
        ("config/app.ini", f'a = "{SOURCES} ; migrator: ignore"', 0),
        ("a.ts", f'const a = "{SOURCES}"; migrator: ignore', 0),
        ("a.go", f'a := "{SOURCES}"; migrator: ignore', 0),
        ("a.sh", f"curl {SOURCES} ; migrator: ignore", 0),
    ],
)
def test_a_semicolon_opens_a_comment_only_where_it_does(
    text_auditor: Auditor, path: str, line: str, suppressed: int,
) -> None:
    result = text_auditor.scan(path, (line + "\n").encode())
    assert (result.suppressed, len(result.findings)) == (suppressed, 2 - suppressed)


JSX_TAG = """\
export function Page() {
  return (
    <div>
      {/* migrator: ignore */}
      <Fetcher
        method="GET"
        url="https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
        onDone={(r) => r.ok && <Done at=">" />}
      >
        <Child url="https://platform.segmentapis.com/v1beta/workspaces/acme/sources" />
      </Fetcher>
      <!-- migrator: ignore -->
      <a
        href="https://platform.segmentapis.com/v1beta/workspaces/acme/sources">sources</a>
    </div>
  );
}
"""


def test_a_comment_above_a_tag_covers_its_opening_tag(text_auditor: Auditor) -> None:
    """Alone on its line above a tag spread over lines, a comment covers the
    opening tag, up to its `>` (`>` in a value or an expression is no end),
    as it covers a call spread over lines; not the element's children."""
    result = text_auditor.scan("page.jsx", JSX_TAG.encode())
    assert [(f.line, f.column, f.rule) for f in result.findings] == [
        (10, 21, "host.base-url"), (10, 60, "endpoint.sources.list"),
    ]
    assert result.suppressed == 4


TSX_GENERIC = """\
export const D = ({ ws }: { ws: string }) => (
  <div>
    {/* migrator: ignore */}
    <Fetcher<Map<string, (s: Source) => void>>
      onLoad={(s) => s.id}
      url={`https://platform.segmentapis.com/v1beta/workspaces/${ws}/sources`}
    />
    <Fetcher<Source[]>
      url={`https://platform.segmentapis.com/v1beta/workspaces/${ws}/sources`}
    />
  </div>
);
"""


def test_type_arguments_of_a_tag_are_not_its_end(text_auditor: Auditor) -> None:
    """TSX: the `>` of the type arguments right after a tag's name (nested,
    an arrow's `=>` in them) does not end the opening tag the comment covers."""
    result = text_auditor.scan("d.tsx", TSX_GENERIC.encode())
    assert [(f.line, f.column, f.rule) for f in result.findings] == [
        (9, 13, "host.base-url"), (9, 52, "endpoint.sources.list"),
    ]
    assert result.suppressed == 2


@pytest.mark.parametrize("precise", [False, True])
def test_a_suppressed_config_url_gives_no_context_to_the_names_around_it(real_rules: RuleSet, precise: bool) -> None:
    """A migration guide quoting the old host on purpose: the Config-only
    names of other APIs in it are no findings; a Config URL left unsuppressed
    still gives them one."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    guide = ("- Moved off `platform.segmentapis.com` to the Public API. <!-- migrator: ignore -->\n"
             "- Slack: show the user's `display_name`; Drive: honour `page_token`.\n")
    result = auditor.scan("CHANGELOG.md", guide.encode())
    assert (result.findings, result.suppressed) == ([], 1)
    result = auditor.scan("CHANGELOG.md", (guide + "- Still: https://platform.segmentapis.com/v1beta\n").encode())
    assert ([(f.line, f.rule) for f in result.findings], result.suppressed) == (
        [(2, "audit.config-field"), (2, "pagination.params"), (3, "host.base-url")], 1,
    )


SUPPRESSED_CALLS = """import requests

# migrator: ignore
a = requests.get(
    "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",
)
r = requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")  # migrator: ignore{rows}
{gap}print(r.json()["source"]["display_name"])
"""


@pytest.mark.parametrize("rows", ["", "[host, endpoint]", "[host.base-url, endpoint.sources.delete]"])
@pytest.mark.parametrize("gap", ["", "\n"])
@pytest.mark.parametrize("precise", [False, True])
def test_the_reads_of_suppressed_calls_are_no_findings(real_rules: RuleSet, precise: bool, rows: str, gap: str) -> None:
    """Every call of the file suppressed, bare or naming every row on its
    line: the file has no API context, and the codemod's marker of a read
    of their responses (`rewrite.responses`) is no finding, in both modes."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    result = auditor.scan("u.py", SUPPRESSED_CALLS.format(rows=rows, gap=gap).encode())
    assert (result.findings, result.suppressed) == ([], 4)


def test_the_reads_next_to_a_call_left_unsuppressed_are_reported(real_rules: RuleSet) -> None:
    """A call of the file left unsuppressed gives it an API context: the reads stay."""
    source = SUPPRESSED_CALLS.format(rows="[host, endpoint]", gap="").replace("# migrator: ignore\n", "", 1)
    result = Auditor(real_rules).scan("u.py", source.encode())
    assert ([(f.line, f.rule) for f in result.findings], result.suppressed) == (
        [(3, "pagination.params"), (4, "endpoint.sources.list"), (7, "rewrite.responses")], 2,
    )


SUPPRESSED_JOIN = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def list_sources(ws):
    return requests.get(f"{BASE}/workspaces/{ws}/sources").json()


def get_source(ws, slug):
    return requests.get(f"{BASE}/workspaces/{ws}/sources/{slug}").json()  # migrator: ignore
'''


def test_what_a_suppressed_path_keeps_says_the_comment_keeps_it(real_rules: RuleSet) -> None:
    """The base and the other path stay on the Config API with the line
    suppressed: their findings name the comment, not a path that "cannot be
    migrated"."""
    result = Auditor(real_rules, codemod="auto").scan("app.py", SUPPRESSED_JOIN)
    said = ("left on the Config API together with the Config URL part it is joined to on line 11, kept there by a "
            "suppression comment (`migrator: ignore` at line 11): migrate them together by hand")
    assert [(f.line, f.rule, f.message) for f in result.findings] == [
        (3, "rewrite.partial-path", said), (7, "rewrite.partial-path", said),
    ]
    assert result.suppressed == 1


@pytest.mark.parametrize("precise", [False, True])
def test_a_marker_quoting_a_suppression_comment_is_none(real_rules: RuleSet, precise: bool) -> None:
    """A marker of `migrator rewrite` saying what keeps a base on the Config
    API names the comment (`` (`migrator: ignore` at line 9) ``): it is no
    suppression of the statement below it, which stays on the to-do list."""
    source = (
        "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to"
        " on line 10, kept there by a suppression comment (`migrator: ignore` at line 9): migrate them together"
        f" by hand\nA = {HOST}\n"
    )
    auditor = Auditor(real_rules) if precise else Auditor(real_rules, codemod=None)
    result = auditor.scan("x.py", source.encode())
    assert ([(f.line, f.rule) for f in result.findings], result.suppressed) == (
        [(1, "rewrite.partial-path")], 0)


REWRITE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
COVERED = [(24, "pagination.params"), (25, "endpoint.sources.list")] + [
    (line, rule) for line in (39, 44, 49) for rule in ("pagination.params", "endpoint.sources.list")]
KEPT = "rewrite.partial-path"


@pytest.mark.parametrize(
    ("case", "before", "after"),
    [
        # what a comment alone on its line covers (all the lines of the statement below) the rewrite leaves alone
        ("suppressed-statements", [(line, rule, "rewrite") for line, rule in COVERED], []),
        # a base and the paths joined to it move together: those it keeps on the Config API are a person's
        ("suppressed-statements-joined", [(7, KEPT, "manual"), (14, KEPT, "manual"), (14, "pagination.params", "manual")],
         [(7, KEPT, "manual"), (15, KEPT, "manual"), (16, "pagination.params", "manual")]),
        # `ignore[pagination]`: no page size added; a fixed query, no page parameter, is still the Public call's
        ("suppressed-pagination",
         [(3, "host.base-url", "rewrite"), (8, "endpoint.sources.list", "rewrite"),
          (13, "endpoint.tracking-plans.list", "manual"), (14, "endpoint.tracking-plans.list", "rewrite"),
          (20, "pagination.params", "rewrite"), (20, "endpoint.roles.list", "rewrite")],
         [(13, "endpoint.tracking-plans.list", "manual")]),
    ],
)
def test_the_audit_agrees_with_what_the_rewrite_leaves_under_a_comment(
    real_rules: RuleSet, case: str, before: list[tuple[int, str, str]], after: list[tuple[int, str, str]],
) -> None:
    """The precise audit's tags say what the rewrite does to a file whose
    comments cover statements spread over lines: what it tags fixable by
    the rewrite is what the rewrite changes; after the rewrite, the same
    findings of a person are left (its markers), none suppressed by them."""
    from migrator.rewrite import rewrite_bytes

    auditor = Auditor(real_rules)
    data = (REWRITE_FIXTURES / case / "input.py").read_bytes()
    found = auditor.scan(f"{case}.py", data)
    assert [(f.line, f.rule, f.fix) for f in found.findings] == before
    result = rewrite_bytes(data, real_rules)
    assert sorted((c.line, c.rule) for c in result.changes) == sorted((line, rule) for line, rule, fix in before
                                                                      if fix == "rewrite")
    assert [(f.line, f.rule, f.fix) for f in auditor.scan(f"{case}.py", result.code).findings] == after


def test_a_comment_covers_its_statement_past_the_markers_a_rewrite_wrote_under_it(tmp_path: Path) -> None:
    """A rewrite writes its marker right above the statement, below a
    suppression comment there: the comment still covers the statement, in
    the audit (its Public call's `page_size` is not reported) and in a
    second rewrite."""
    from migrator.audit.run import audit_paths
    from migrator.ruleset import load_rules
    from migrator.audit.suppress import python_suppressions

    code = (REWRITE_FIXTURES / "suppressed-pagination" / "expected.py").read_text()
    assert {line: [c.line for c in found] for line, found in python_suppressions(code).items()} == {
        8: [8], 12: [12], 14: [12], 15: [12], 16: [12], 17: [12]}
    (tmp_path / "p.py").write_text(code)
    run = audit_paths([tmp_path], load_rules())
    assert [(f.line, f.rule, f.fix) for f in run.findings] == [(13, "endpoint.tracking-plans.list", "manual")]
    assert sum(r.suppressed for r in run.results) == 1


@pytest.mark.parametrize(
    ("path", "source", "call"),
    [
        ("e.sh", '# migrator: ignore\nBASE=https://platform.segmentapis.com/v1beta\ncurl -fsS "$BASE/workspaces/acme"\n',
         (3, 18)),
        ("e.sh", 'BASE=https://platform.segmentapis.com/v1beta # migrator: ignore\ncurl -fsS "$BASE/workspaces/acme"\n',
         (2, 18)),
        ("e.sh", 'BASE=https://platform.segmentapis.com/v1beta # migrator: ignore[host]\n'
                 'curl -fsS "$BASE/workspaces/acme"\n', (2, 18)),
        ("Dockerfile", 'FROM alpine\n# migrator: ignore\nENV SEGMENT_API_URL=https://platform.segmentapis.com/v1beta\n'
                       'HEALTHCHECK CMD curl -fsS "$SEGMENT_API_URL/workspaces/acme" || exit 1\n', (4, 45)),
        ("e.py", 'import requests\nBASE = "https://platform.segmentapis.com/v1beta"  # migrator: ignore\n'
                 'requests.get(f"{BASE}/workspaces/acme")\n', (3, 23)),
    ],
)
def test_a_path_joined_to_a_suppressed_base_is_still_reported(
    real_rules: RuleSet, path: str, source: str, call: tuple[int, int],
) -> None:
    """The comment covers the base's line, not the call joined to it below:
    a Config path right after a base the file assigns the Config version is
    the Config API's on its own, with no other Config text to give the file
    its context (the base's host, suppressed, gives none)."""
    result = Auditor(real_rules, codemod=None).scan(path, source.encode())
    assert ([(f.line, f.column, f.rule) for f in result.findings], result.suppressed) == (
        [(*call, "endpoint.workspaces.get")], 1,
    )


WORKFLOW = """jobs:
  sync:
    runs-on: ubuntu-latest
    steps:
      - name: folded
        # migrator: ignore
        run: >-
          curl -sS

          "https://platform.segmentapis.com/v1beta/workspaces/acme/roles"
      # migrator: ignore
      - run: |  # a literal scalar, under a list item's dash
          curl -sS "https://platform.segmentapis.com/v1beta/workspaces/acme/roles"
        name: literal
        env:
          URL: https://platform.segmentapis.com/v1beta/workspaces/acme/sources
      - name: unmarked
        run: >
          curl "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
"""


def test_a_comment_above_a_yaml_key_covers_its_block_scalar(real_rules: RuleSet) -> None:
    """A `#` inside `run: >-` is part of the command: the comment above the
    key covers the scalar's lines, those more indented than the key, up to
    the next key at its level (`name:`, `env:` stay checked)."""
    result = Auditor(real_rules, codemod=None).scan(".github/workflows/sync.yml", WORKFLOW.encode())
    assert ([(f.line, f.rule) for f in result.findings], result.suppressed) == (
        [(16, "host.base-url"), (16, "endpoint.sources.list"), (19, "host.base-url"), (19, "endpoint.sources.list")], 4,
    )


RUNBOOK = """# Runbook

<!-- migrator: ignore -->
````sh
curl -sS "https://platform.segmentapis.com/v1beta/workspaces/acme/roles"
```
curl -sS "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
````

```sh
curl -sS "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
```

<!-- migrator: ignore -->
```sh
curl -sS "https://platform.segmentapis.com/v1beta/workspaces/acme/roles"
"""


def test_a_comment_above_a_code_fence_covers_the_code_block(real_rules: RuleSet) -> None:
    """`<!-- migrator: ignore -->` above a fence covers the code up to the
    fence that closes it (as long as the opening one at least: a shorter
    one is code); the next block stays checked, and a fence never closed
    covers its own line only."""
    result = Auditor(real_rules, codemod=None).scan("RUNBOOK.md", RUNBOOK.encode())
    assert ([(f.line, f.rule) for f in result.findings], result.suppressed) == (
        [(11, "host.base-url"), (11, "endpoint.sources.list"), (16, "host.base-url"), (16, "endpoint.roles.list")], 4,
    )


def test_a_path_joined_to_a_suppressed_base_says_the_comment_keeps_its_base(real_rules: RuleSet) -> None:
    """As the codemod's marker does in Python: the call and its base move
    together, and the comment only covers the base."""
    script = ('# migrator: ignore\nBASE=https://platform.segmentapis.com/v1beta\ncurl -fsS "$BASE/workspaces/acme/sources"\n'
              'curl "$BASE/catalog/sources"\nPUBLIC=https://platform.segmentapis.com/v1beta\ncurl "$PUBLIC/catalog/sources"\n')
    result = Auditor(real_rules, codemod=None).scan("e.sh", script.encode())
    kept = ("; joined to the base on line 2, which a suppression comment keeps on the Config API: migrate them together,"
            " or mark this line too")
    assert [(f.line, f.rule, f.message) for f in result.findings] == [
        (3, "endpoint.sources.list", f"`GET /v1beta/workspaces/{{workspace}}/sources` is `GET /sources` in the Public API{kept}"),
        (4, "endpoint.catalog.sources.list", f"`GET /v1beta/catalog/sources` is `GET /catalog/sources` in the Public API{kept}"),
        (5, "host.base-url", result.findings[2].message),
        (6, "endpoint.catalog.sources.list", "`GET /v1beta/catalog/sources` is `GET /catalog/sources` in the Public API"),
    ]
    assert result.findings[2].message.startswith("Config API host: ") and "joined" not in result.findings[2].message
