"""Path and resource-name templates: `workspaces/{workspace}/sources/{source}`.

`{name}` matches one path segment, `{name+}` one or more.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

VERSION_SEGMENT = r"v\d+[a-z0-9]*|\d+\.\d+"
"""A path segment naming an API's version: `v2`, `v1alpha`, `v1beta`, Bitbucket's `2.0`."""
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}")


@dataclass(frozen=True)
class Template:
    text: str

    @cached_property
    def params(self) -> tuple[str, ...]:
        return tuple(m.group(1) for m in PLACEHOLDER.finditer(self.text))

    @cached_property
    def regex(self) -> re.Pattern[str]:
        parts: list[str] = []
        last = 0
        for m in PLACEHOLDER.finditer(self.text):
            parts.append(re.escape(self.text[last : m.start()]))
            segment = ".+?" if m.group(2) else "[^/?#]+"
            parts.append(f"(?P<{m.group(1)}>{segment})")
            last = m.end()
        parts.append(re.escape(self.text[last:]))
        return re.compile("".join(parts))

    @cached_property
    def literal_length(self) -> int:
        """How much of the template is fixed text: more is more specific."""
        return len(PLACEHOLDER.sub("", self.text))

    def match(self, value: str) -> dict[str, str] | None:
        m = self.regex.fullmatch(value)
        return m.groupdict() if m else None

    @cached_property
    def spans(self) -> tuple[str, ...]:
        """Its placeholders of several segments (`{install+}`)."""
        return tuple(m.group(1) for m in PLACEHOLDER.finditer(self.text) if m.group(2))

    def spans_over(self, params: dict[str, str], heads: Container[str]) -> bool:
        """A placeholder of several segments holds, in `params`, a path
        starting with one of `heads` (the first segments of the other
        templates: `workspaces`): `/v1beta/{install+}/token` matching a
        destination setting's name, `.../destinations/mixpanel/config/token`,
        not an install's (`install/10`)."""
        return any(params[name].split("/", 1)[0] in heads for name in self.spans)

    def fill(self, values: dict[str, str]) -> str:
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], self.text)


@cache
def template(text: str) -> Template:
    """The shared, compiled `Template` of `text`."""
    return Template(text)


@lru_cache(maxsize=4096)
def parse_name(pattern: str, value: str, *, any_bare: bool = False) -> dict[str, str] | None:
    """Parse a resource name; a bare slug (no '/') binds the last parameter,
    since some Config responses return `myworkspace` for `workspaces/myworkspace`.
    A bare value that cannot be a slug (`Web Site`, `iOS`: a display name) binds
    nothing, unless `any_bare` (a setting's bare key, `apiKey`).

    Cached: one name is often parsed for several outputs (slug, id, metadata).
    Callers must not change the returned dict."""
    compiled = template(pattern)
    params = compiled.match(value)
    if params is None and "/" not in value and value and compiled.params and (any_bare or could_be_slug(value)):
        return {compiled.params[-1]: value}
    return params


def could_be_slug(value: str) -> bool:
    """Whether `value` may be a Config slug, or the id a name ends with.
    segment-apis.md §1.3 shows slugs (`my-source`, `google-analytics`,
    `workspaces/<workspace-slug>/...`) but gives no grammar: every one it
    shows is lowercase without spaces, so whitespace and capital letters,
    which display names hold, are refused; but for an id with a prefix, as a
    tracking plan's (`rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ`, §2.6)."""
    if any(c.isspace() for c in value):
        return False
    return not any(c.isupper() for c in value) or _PREFIXED_ID.fullmatch(value) is not None


_PREFIXED_ID = re.compile(r"[a-z]{2,5}_[A-Za-z0-9]+")
