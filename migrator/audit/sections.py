"""The parts of a file that a Config URL gives an API context to: an INI
file's sections (`[segment]`, not `[app]`), a YAML file's top-level
keys' blocks, in each of its documents (an umbrella chart's `segment:`,
not its `jupyterhub:`), a Markdown file's sections (its headings, with the
sections below them; not `#` lines in code blocks). A Config-only field
name (`display_name`) is reported only in a part that holds a Config host
or path itself, or that names the key such a part holds it under
(`${segment:base_url}`, `$SEGMENT_API`); in a settings file, a request
key (`page_token`) also in a part made of request keys only (`request_part`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from migrator.audit.yaml_values import is_yaml

INI_SUFFIXES = (".ini", ".cfg", ".conf", ".cnf")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
_INI_HEADER = re.compile(r"^[ \t]*\[[^\]\n]+\][ \t]*(?:[;#][^\n]*)?$", re.MULTILINE)
_YAML_TOP = re.compile(
    r"""^(?:(?:---|\.\.\.)(?=[ \t\r\n]|$)|(?:[\w.$/-]+|"[^"\n]*"|'[^'\n]*')[ \t]*:(?P<value>[^\n]*))""", re.MULTILINE
)
"""A YAML document's start or end, or a key at the top level (`jupyterhub:`, `page_size: 100`)."""
_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?([\w.-]+)[\"']?[ \t]*[:=]")
"""The key a line assigns (`  SEGMENT_API: ...`, `base_url = ...`, `- url: ...`)."""
_MARKDOWN_LINE = re.compile(
    r"^(?: {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)|(?P<atx> {0,3}#{1,6})(?:[ \t][^\n]*)?"
    r"|(?P<setext> {0,3}(?:=+|-+))[ \t]*)$",
    re.MULTILINE,
)
"""A Markdown line that opens or closes a fenced code block, or is a heading
(`## Stripe`) or the line under one (`=====`)."""
_NO_SETEXT = re.compile(r"[ \t]*(?:[>|#`~]|[-*+][ \t]|\d+[.)][ \t])")
"""A line that a `---` or `===` below does not make a heading: a quote, a
table's row, a heading, a fence, a list item."""
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?:[^\n]*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|$)")
_NAMES_THE_API = re.compile(r"(?<![\w-])(?:Segment|Config API)(?![\w-])")
"""Where Markdown prose names the API (`## Segment`, "also calls Segment:"):
its section has the context as one holding the Config URL has."""
REQUEST_KEYS = 2
"""How many distinct request keys a part of a settings file holds, and no
other key, for them to be reported without the Config host (`request_part`)."""


def parts(path: str, text: str) -> list[tuple[int, bool, int]] | None:
    """Where each part of a sectioned file starts, whether it is scoped, and
    its level: an INI section, a YAML top-level key holding a block (not one
    with its value on its line, `page_size: 100`, nor a document marker,
    nor what comes before the first: those are the whole file's, level 0),
    a Markdown heading's section (its level, `##` 2; what comes before the
    first heading is the whole file's); None for other files."""
    lowered = path.lower()
    if lowered.endswith(INI_SUFFIXES):
        found = [(m.start(), True, 1) for m in _INI_HEADER.finditer(text)]
    elif lowered.endswith(MARKDOWN_SUFFIXES):
        found = _headings(text)
    elif is_yaml(lowered):
        found = [(m.start(), scoped, int(scoped)) for m in _YAML_TOP.finditer(text)
                 for scoped in [m.group("value") is not None and _opens_block(m.group("value"))]]
    else:
        return None
    return found if found and found[0][0] == 0 else [(0, False, 0), *found]


def _headings(text: str) -> list[tuple[int, bool, int]]:
    """Where a Markdown file's sections start, and their levels: ATX
    headings (`## Stripe`) and setext ones (a line over `===` or `---`),
    outside fenced code blocks and front matter."""
    front = _FRONT_MATTER.match(text)
    found: list[tuple[int, bool, int]] = []
    fence = ""  # the fence of the code block open
    for m in _MARKDOWN_LINE.finditer(text, front.end() if front else 0):
        if fence:
            if m.group("fence") and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence) \
                    and not m.group("info").strip():
                fence = ""
        elif m.group("fence"):
            if not (m.group("fence")[0] == "`" and "`" in m.group("info")):
                fence = m.group("fence")
        elif m.group("atx"):
            found.append((m.start(), True, m.group("atx").count("#")))
        elif m.start() > 0:
            above = text.rfind("\n", 0, m.start() - 1) + 1
            line = text[above : m.start() - 1]
            if line.strip() and not (found and found[-1][0] == above) and not _NO_SETEXT.match(line):
                found.append((above, True, 1 if m.group("setext").lstrip()[0] == "=" else 2))
    return found


def _opens_block(value: str) -> bool:
    """A top-level key's value on its line opens a block below it: none, a
    comment, an anchor or a tag alone."""
    rest = value.split(" #", 1)[0].strip()
    return not rest or rest.startswith("#") or re.fullmatch(r"(?:[&!][^\s]+[ \t]*)+", rest) is not None


@dataclass(frozen=True)
class Scope:
    """The parts of a file with an API context (`in_scope`)."""

    path: str
    text: str
    parts: list[tuple[int, bool, int]]
    starts: list[int]
    kept: frozenset[int]

    def __call__(self, at: int) -> bool:
        return self._part(at) in self.kept

    def _part(self, at: int) -> int:
        return bisect.bisect_right(self.starts, at) - 1

    def request_part(self, at: int, sent: frozenset[str]) -> str | None:
        """The name of the settings file's part holding `at` (block
        `sync:`, section `[sync]`) when it holds no other key than
        request keys (`sent`: `page_token`, `update_mask`), `REQUEST_KEYS`
        different ones at least: taken for the request of the job the
        file's Config host is for (another API's block of such keys alone,
        Google's `page_size` and `page_token`, is taken so too); else None."""
        i = self._part(at)
        if not self.parts[i][1] or self.path.lower().endswith(MARKDOWN_SUFFIXES):
            return None
        start, end = self.starts[i], self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        line_end = self.text.find("\n", start, end)
        line_end = end if line_end < 0 else line_end
        keys = set()
        for line in self.text[line_end:end].splitlines():  # (not the part's own `sync:` line)
            m = _KEY.match(line)
            if m is None:
                continue
            value = line[m.end():].split(" #", 1)[0].strip()
            if value and not value.startswith("#") or self.path.lower().endswith(INI_SUFFIXES):
                if m.group(1) not in sent:
                    return None
                keys.add(m.group(1))
        if len(keys) < REQUEST_KEYS:
            return None
        head = self.text[start:line_end].strip()
        return f"section `{head}`" if self.path.lower().endswith(INI_SUFFIXES) else f"block `{head.split(' #')[0]}`"


def in_scope(path: str, text: str, holders: Iterable[int]) -> Scope | None:
    """Whether an offset of `text` is in a part with an API context, given
    where the Config hosts and paths (`holders`) are: a scoped part holding
    one, with the parts of a greater level below it (a Markdown section's
    subsections), or naming the key one is held under, and the parts that
    are the whole file's; None when every part has it: not a sectioned
    file, no scoped part, no holder, or one in a part that is the whole file's."""
    held = sorted(set(holders))
    found = parts(path, text) if held else None
    if found is None or not any(scoped for _, scoped, _ in found):
        return None
    starts = [start for start, _, _ in found]
    where = {bisect.bisect_right(starts, at) - 1 for at in held}
    if any(not found[i][1] for i in where):
        return None
    if path.lower().endswith(MARKDOWN_SUFFIXES):
        named = {bisect.bisect_right(starts, m.start()) - 1 for m in _NAMES_THE_API.finditer(text)}
        where |= {i for i in named if found[i][1]}  # (before the first heading: the whole file's already)
    kept = where | {i for i, (_, scoped, _) in enumerate(found) if not scoped}
    parent = _parents(found)
    for i in sorted(where):
        below = i + 1
        while below < len(found) and found[below][2] > found[i][2]:
            kept.add(below)
            below += 1
        above = parent[i]
        while above >= 0 and above not in kept:  # its parent chain: `# Segment sync` over `## Example`
            kept.add(above)
            above = parent[above]
    keys = {key for at in held if (key := _key_of_line(text, at))}
    kept.update(bisect.bisect_right(starts, at) - 1 for key in sorted(keys) for at in _mentions(text, key))
    return Scope(path, text, found, starts, frozenset(kept))


def _parents(found: list[tuple[int, bool, int]]) -> list[int]:
    """Each part's parent: the nearest part above it of a lower level (-1: none)."""
    out, chain = [], []
    for i, (_, _, level) in enumerate(found):
        while chain and found[chain[-1]][2] >= level:
            chain.pop()
        out.append(chain[-1] if chain else -1)
        chain.append(i)
    return out


def _key_of_line(text: str, at: int) -> str | None:
    line_start = text.rfind("\n", 0, at) + 1
    m = _KEY.match(text, line_start)
    return m.group(1) if m is not None and m.end() <= at else None


def _mentions(text: str, key: str) -> Iterator[int]:
    """Where `text` names `key` other than as a key of its own
    (`${segment:base_url}`, `"$SEGMENT_API/sources"`): one search of the
    whole text, whatever the number of parts."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text):
        at = m.start()
        line_start = text.rfind("\n", 0, at) + 1
        own = _KEY.match(text, line_start)
        if own is None or own.start(1) != at:
            yield at
