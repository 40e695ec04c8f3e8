"""Config resource names taken apart in Python (`dest["name"].split("/")[-1]`):
a slug parsed out of a field whose Config value is a resource name.

The field (`name`) is a common word, so the text scan never reports it; but
a file that imports a Segment client is read with the codemod (the default,
precise mode) when it holds such a read, as `migrator rewrite` marks it
there (`links`): the audit looks for it in a Python file the prefilter
clears (`Catalog.takes_apart`)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from migrator.ruleset.models import ResourceRow


QUICK = (b'split("/', b"split('/")
"""What a file that splits a resource name holds (a fast search before the
regular expression's, `Catalog.takes_apart`)."""


def apart_fields(resources: Iterable[ResourceRow], words: Collection[str]) -> tuple[str, ...]:
    """The fields whose Config value is a resource name that a Public field
    stands for a segment of (`name`: `slug`, `id`), other than the
    Config-only names the link search finds already (`words`)."""
    found = {
        name for resource in resources for name, fm in resource.fields.items()
        if name not in words and "." not in name
        and any(entry.transform == "segment" for entry in (fm, *fm.also))
    }
    return tuple(sorted(found))


def apart_search(fields: Iterable[str]) -> re.Pattern[bytes] | None:
    """`x["name"].split("/")`, `x.get('name').rsplit('/', 1)`, for those fields."""
    names = b"|".join(re.escape(f.encode()) for f in fields)
    if not names:
        return None
    return re.compile(rb"""(?:\[|\.get\()\s*(["'])(?:""" + names + rb""")\1\s*[\])]\s*\.\s*r?split\(\s*["']/["']""")
