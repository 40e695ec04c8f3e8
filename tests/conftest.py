"""Every test: the audit's cache in a temporary folder, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _audit_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path_factory.mktemp("audit-cache")
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(directory))
    return directory
