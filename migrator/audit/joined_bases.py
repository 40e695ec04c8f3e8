"""Config paths joined to a base URL constant that another module binds.

`f"{SEGMENT_API}/access-tokens"` or `SEGMENT_API + "/workspaces"` holds no
Config text of its own: the path is the Config API's only when the name is
a Config base (`SEGMENT_API = "https://platform.segmentapis.com/v1beta"` in
a settings module). The scan notes the names such paths are joined to
(`joined_names`; or the reads off a module, `settings.SEGMENT_API`); once
the run knows which of them a module of the tree binds to a Config base
ending at the version (`shared.with_shared_bases`),
the file is scanned again with each such join read as the version prefix
(`on_joined_bases`), as a base the file assigns itself would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

def _join(names: str) -> str:
    """A join of one of `names` (a regex) to what follows: `f"{BASE}`, `BASE + "`."""
    return (r"""(?P<open>[rRuU]?[fF][rRuU]?(?P<quote>["']))?(?<![{\w/])\{(?P<a>""" + names + r""")\}"""
            r"""|(?<![\w.])(?P<b>""" + names + r""")\s*\+\s*(?P<prefix>[rRuUfF]{0,2})(?P<q>["'])""")


def path_heads(templates: Iterable[str]) -> tuple[str, ...]:
    """The literal first segments of the Config path templates
    (`/access-tokens`, `/catalog/sources`: `access-tokens`, `catalog`)."""
    heads = {t.lstrip("/").split("/", 1)[0] for t in templates}
    return tuple(sorted(h for h in heads if h and "{" not in h))


def join_needles(heads: Iterable[str]) -> tuple[bytes, ...]:
    """What a file joining a Config path head to a name holds: `/head` (one
    needle each: the prefilters stay one fast search, `search.TEDDY`)."""
    return tuple(f"/{h}".encode() for h in heads)


@lru_cache(maxsize=64)
def _joins(heads: tuple[str, ...], names: str) -> re.Pattern[str]:
    after = r"(?=/(?:" + "|".join(re.escape(h) for h in heads) + r")(?![\w-]))"
    return re.compile("(?:" + _join(names) + ")" + after)


_NAME = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_BEFORE = re.compile(
    r"""(?:(?<![{\w/])\{(?P<a>""" + _NAME + r""")\}|(?<![\w.])(?P<b>""" + _NAME + r""")\s*\+\s*[rRuUfF]{0,2}["'])\Z"""
)
"""A name a path is joined to, or a read off names (`settings.SEGMENT_API`,
a base read off its module), at the end of the text before the path."""
LOOK_BACK = 120


def joined_names(text: str, heads: tuple[str, ...]) -> tuple[str, ...]:
    """The names Python code joins a Config path head to (`f"{API}/access-tokens"`,
    `API + "/workspaces"`): looked for before each `/head` only (a whole-text
    search would try every offset)."""
    found: set[str] = set()
    for head in heads:
        needle = "/" + head
        at = text.find(needle)
        while at >= 0:
            end = at + len(needle)
            if not (end < len(text) and (text[end].isalnum() or text[end] in "_-")):
                m = _BEFORE.search(text, max(0, at - LOOK_BACK), at)
                if m is not None:
                    found.add(m.group("a") or m.group("b"))
            at = text.find(needle, end)
    return tuple(sorted(found))


def on_joined_bases(
    text: str, names: Iterable[str], heads: tuple[str, ...], version: str,
) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each join of a Config path head to one of `names` (Config
    bases ending at the version) read as the version prefix, in as many
    characters: `f"{SEGMENT_API}/access-tokens"` as `"      v1beta/access-tokens"`,
    `SEGMENT_API + "/workspaces"` as `             "v1beta/workspaces"`
    (a join too short to hold it is left as it is); and where each was."""
    names = sorted(names)
    if not names or not heads:
        return text, []
    spans: list[tuple[int, int]] = []

    def prefix(m: re.Match[str]) -> str:
        whole = m.group()
        if m.group("b"):
            stand_in = m.group("prefix") + m.group("q") + version
        elif m.group("open") and len(whole) >= len(version) + 1:
            stand_in = m.group("quote") + version
        else:
            stand_in = whole[: m.start("a") - 1 - m.start()] + version
        if len(stand_in) > len(whole):
            return whole
        spans.append(m.span())
        return stand_in.rjust(len(whole))

    pattern = _joins(tuple(heads), "|".join(re.escape(n) for n in names))  # (few names: a run's bases)
    return pattern.sub(prefix, text), spans
