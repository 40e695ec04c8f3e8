"""The id-map file on disk: when an existing one can be reused, and ages in words.

A map is reused when it was fetched from the same API URL less than
`max_age` ago (24 hours by default). A file that is not a migrator id map is
never overwritten.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from migrator.idmap import FORMAT, IdMap, IdMapError, UnreadableJson, parse_idmap, read_json

DEFAULT_MAX_AGE = timedelta(hours=24)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_LONGEST = timedelta.max.days * 86400
_DIGITS = re.compile(r"[0-9]+")
"""ASCII digits only: `str.isdigit` also takes `²`, which `int()` refuses."""
_PARTS = re.compile(r"([0-9]+)([smhdw])")
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future a map's `fetched_at` may be (another machine's clock) and still be reused."""


class NotAnIdMap(ValueError):
    """The output file exists and holds something else: refuse to replace it."""


@dataclass(frozen=True)
class Existing:
    idmap: IdMap | None  # set when the file can be reused as it is
    why_not: str = ""  # why it is fetched again; "" when there was no file


def parse_duration(text: str) -> timedelta:
    """"90", "90s", "30m", "24h", "7d", "1w" or sums like "1h30m"."""
    cleaned = text.strip().lower().replace(" ", "")
    shown = json.dumps(text, ensure_ascii=False)
    if _DIGITS.fullmatch(cleaned):
        seconds = int(cleaned)
    else:
        parts = _PARTS.findall(cleaned)
        if not cleaned or "".join(n + u for n, u in parts) != cleaned:
            raise ValueError(f"{shown} is not a duration (examples: 90s, 30m, 24h, 7d, 1h30m)")
        seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if seconds > _LONGEST:
        raise ValueError(f"{shown} is too long a duration (at most {timedelta.max.days}d)")
    return timedelta(seconds=seconds)


def format_age(age: timedelta) -> str:
    seconds = max(0, int(age.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m {seconds}s" if seconds else f"{minutes}m"
    return f"{seconds}s"


def existing_map(path: Path, api_url: str, max_age: timedelta, now: datetime) -> Existing:
    """What `path` holds, and whether it is fresh enough to skip fetching."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # Reading a named pipe waits for a writer; writing would rename a file over the device or pipe.
        raise NotAnIdMap(f"{path}: is not a regular file (a device or a named pipe); give the id-map file to write")
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor on Windows may add a BOM
    except FileNotFoundError:
        return Existing(None)
    except NotADirectoryError:
        above = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
        raise NotAnIdMap(f"{path}: cannot be written: {above} is a file, not a directory") from None
    except IsADirectoryError:
        raise NotAnIdMap(f"{path}: is a directory; give the id-map file to write") from None
    except OSError as exc:
        raise NotAnIdMap(f"{path}: exists but cannot be read ({exc.strerror or exc}); not replacing it") from None
    except UnicodeDecodeError:
        raise NotAnIdMap(
            f"{path}: exists and is not a migrator id map (not UTF-8 text); not replacing it "
            "(choose another -o FILE or remove it)"
        ) from None
    if not text.strip():
        return Existing(None)
    try:
        raw = read_json(text)
    except json.JSONDecodeError:
        raw = None
    except UnreadableJson as exc:
        raise NotAnIdMap(f"{path}: exists and cannot be read ({exc}); not replacing it "
                         "(choose another -o FILE or remove it)") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise NotAnIdMap(
            f"{path}: exists and is not a migrator id map; not replacing it "
            "(choose another -o FILE or remove it)"
        )
    try:
        idmap = parse_idmap(raw, str(path))
    except IdMapError as exc:  # not its advice to run `migrator ids`: this is the run that replaces it
        return Existing(None, f"{exc.problem}; fetching a new map")
    if idmap.api_url is None:
        return Existing(None, f"{path} does not say which API URL it came from; fetching from {api_url}")
    if idmap.api_url != api_url:
        return Existing(None, f"{path} holds ids from {idmap.api_url}; fetching from {api_url}")
    if idmap.fetched_at is None:
        return Existing(None, f"{path} does not say when it was fetched; fetching again")
    fetched = idmap.fetched_at
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=timezone.utc)
    age = now - fetched
    if age < -CLOCK_SKEW:
        return Existing(None, f"{path} says it was fetched {format_age(-age)} from now (a clock off?); fetching again")
    if age > max_age:
        return Existing(
            None, f"{path} is {format_age(age)} old (max age {format_age(max_age)}); fetching again"
        )
    return Existing(idmap)
