"""The user's cache folder for this system, shared by migrator's caches."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "MIGRATOR_CACHE_DIR"


def user_cache_folder() -> Path | None:
    """`migrator` in the user's cache folder (None for a user without a
    home folder: no cache)."""
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (RuntimeError, KeyError):
        return None
    return base / "migrator"
