"""The parts of a settings file a Config host gives an API context to
(`sections.in_scope`): INI sections, YAML top-level blocks and documents."""

from __future__ import annotations

from migrator.audit.sections import in_scope

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
    assert _kept("a.md", f"# A\n{HOST}\n\n# B\ndisplay_name\n") is None
