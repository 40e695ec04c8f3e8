"""The parts of a settings file a Config host gives an API context to
(`sections.in_scope`): INI sections, YAML top-level blocks and documents."""

from __future__ import annotations

from migrator.audit.core import Auditor
from migrator.audit.sections import in_scope
from migrator.ruleset import RuleSet

HOST = "https://platform.segmentapis.com/v1beta"


def _kept(path: str, text: str) -> list[int] | None:
    """The lines (1-based) in scope, given the host's place; None: the whole file."""
    scoped = in_scope(path, text, [text.index(HOST)])
    if scoped is None:
        return None
    starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")][: text.count("\n")]
    return [n for n, at in enumerate(starts, 1) if scoped(at)]


def test_ini_sections() -> None:
    text = f"; top\n[segment]\nurl = {HOST}\n[app]\ndisplay_name = x\n[sync]\napi = ${{segment:url}}\n"
    assert _kept("a.ini", text) == [1, 2, 3, 6, 7]


def test_ini_host_before_the_first_section_is_every_sections() -> None:
    assert _kept("setup.cfg", f"url = {HOST}\n[app]\ndisplay_name = x\n") is None


def test_yaml_blocks_and_documents() -> None:
    text = (f"kind: ConfigMap\ndata:\n  SEGMENT_API: {HOST}\nhub:\n  display_name: x\n"
            "---\nkind: Job\nspec:\n  args: [\"$SEGMENT_API\"]\nother: &anchor\n  page_size: 1\n")
    assert _kept("k8s.yaml", text) == [1, 2, 3, 6, 7, 8, 9]


def test_yaml_host_on_a_top_level_line_is_the_whole_files() -> None:
    assert _kept("values.yml", f"api: {HOST}\nhub:\n  display_name: x\n") is None


def test_other_files_are_not_cut() -> None:
    assert _kept("a.txt", f"# A\n{HOST}\n\n# B\ndisplay_name\n") is None


def test_markdown_sections_with_their_subsections() -> None:
    """A heading's section, with those of deeper headings below it; `#` in a
    fenced block is no heading; a setext heading is one."""
    text = (f"intro\n# Tool\n## Segment\n```sh\n# list\ncurl {HOST}/x\n```\n### Fields\ndisplay_name\n"
            "## Stripe\ndisplay_name\nSlack\n-----\npage_token\n")
    assert _kept("README.md", text) == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # (`# Tool`: its parent)


def test_markdown_parent_chain_of_the_config_section() -> None:
    """The sections above the Config URL's (`# Segment sync` over `## Example`),
    without their other subsections."""
    text = (f"# Sync\ndisplay_name\n## Setup\npage_size\n### Steps\npage_token\n#### Example\ncurl {HOST}/x\n"
            "### Other\ndisplay_name\n## Stripe\npage_token\n# Billing\ndisplay_name\n")
    assert _kept("runbook.md", text) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_markdown_sections_naming_the_api() -> None:
    """A section whose heading or prose names Segment or the Config API has
    the context, with its subsections and its parent chain; a sibling about
    another API does not."""
    text = (f"# Integrations\n## Stripe\nAlso calls Segment:\ncurl {HOST}/x\n## Segment\ndisplay_name\n"
            "### Paging\npage_token\n## Slack\ndisplay_name\n## Jobs\n### Notes\nthe Config API's page_size\n"
            "## segmentation\npage_size\n")
    assert _kept("a.md", text) == [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13]


def test_markdown_host_before_the_first_heading_is_every_sections() -> None:
    assert _kept("a.md", f"{HOST}\n# B\ndisplay_name\n") is None


def test_markdown_front_matter_and_breaks_are_no_headings() -> None:
    text = f"---\ntitle: x\n---\n## A\n{HOST}\n\n---\n- item\n---\n## B\ndisplay_name\n"
    assert _kept("a.markdown", text) == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def _request_part(path: str, text: str, word: str) -> str | None:
    scope = in_scope(path, text, [text.index(HOST)])
    assert scope is not None and not scope(text.index(word))
    return scope.request_part(text.index(word), frozenset({"page_token", "page_size", "update_mask"}))


def test_a_part_of_request_keys_only_is_named() -> None:
    yaml = f"segment:\n  base_url: {HOST}\nsync:\n  request:\n    page_token: ''\n    update_mask: a\n"
    assert _request_part("job.yaml", yaml, "page_token") == "block `sync:`"
    ini = f"[segment]\nurl = {HOST}\n[sync]\n; the job's\npage_size = 10\npage_token =\n"
    assert _request_part("job.ini", ini, "page_size") == "section `[sync]`"


def test_a_part_with_another_key_or_one_request_key_is_not() -> None:
    other = f"segment:\n  base_url: {HOST}\ngithub:\n  page_size: 100\n  page_token: x\n  owner: acme\n"
    assert _request_part("a.yaml", other, "page_size") is None
    assert _request_part("a.yaml", f"segment:\n  url: {HOST}\nother:\n  page_size: 1\n  page_size: 2\n",
                         "page_size") is None
    assert _request_part("a.md", f"# A\n{HOST}\n# B\npage_size: 1\npage_token: 2\n", "page_size") is None


RUNBOOK = """# Segment sync

The job reads each source's `display_name` and follows `next_page_token`
until it is empty; it asks for `page_size` 50.

## Example

```bash
curl -H "Authorization: Bearer $TOKEN" \\
  "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_size=50"
```
"""
INTEGRATIONS = """# Integrations

## Stripe

Stripe lists use `starting_after`. The sync script also calls Segment:

```bash
curl "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
```

## Segment

For each source we store `display_name` and the `catalog_name`, paging
with `page_token`.

## Slack

Slack's users have a `display_name`.
"""


def test_markdown_field_notes_above_or_beside_the_config_example(real_rules: RuleSet) -> None:
    """Prose under the parent heading of the Config example, and under a
    sibling heading naming Segment, is reported; Slack's section is not."""
    auditor = Auditor(real_rules, codemod=None)
    runbook = [(f.line, f.column, f.rule) for f in auditor.scan("runbook.md", RUNBOOK.encode()).findings]
    assert runbook == [
        (3, 30, "audit.config-field"), (3, 57, "envelope.list"), (4, 33, "pagination.params"),
        (10, 4, "host.base-url"), (10, 43, "endpoint.sources.list"), (10, 68, "pagination.params"),
    ]
    notes = [(f.line, f.column, f.rule) for f in auditor.scan("integrations.md", INTEGRATIONS.encode()).findings]
    assert notes == [
        (8, 7, "host.base-url"), (8, 46, "endpoint.sources.list"),
        (13, 27, "source.fields"), (13, 50, "source.fields"), (14, 7, "pagination.params"),
    ]
