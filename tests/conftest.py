"""Every test: the audit's cache in a temporary folder, never the user's.
Property tests draw the same examples on every run (a CI run passes or
fails for the code, not for the draw); `HYPOTHESIS_PROFILE=explore` draws
new ones each run, to look for new failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _audit_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path_factory.mktemp("audit-cache")
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(directory))
    return directory
