"""A shared base URL constant reached in a way the rewrite does not follow
stays on the Config API together with every path joined to it: a name an
importer binds two ways (`try: from settings import BASE` / `except
ImportError: BASE = "…"`, the same under `if`/`else`), a read off a package
that re-exports it (`pkg.BASE`, `api.BASE`), and a test pinning it that
reaches it under two names (`two_ways`, `shared_plan`, `pins.held_pin`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

CONFIG = "https://platform.segmentapis.com/v1beta"
SETTINGS = f'BASE = "{CONFIG}"\n'.encode()
TRY_CLIENT = f'''import requests

try:
    from settings import BASE
except ImportError:
    BASE = "{CONFIG}"


def sources():
    return requests.get(f"{{BASE}}/workspaces/acme/sources").json()["sources"]
'''.encode()
IF_CLIENT = f'''import os

import requests

if os.environ.get("USE_SHARED"):
    from settings import BASE
else:
    BASE = "{CONFIG}"


def sources():
    return requests.get(f"{{BASE}}/workspaces/acme/sources").json()["sources"]
'''.encode()
STAR = b'''import requests

from settings import *


def plans():
    return requests.get(f"{BASE}/workspaces/acme/tracking-plans").json()["tracking_plans"]
'''
MARK = "# migrator[rewrite.partial-path]: "
BLOCKED = (
    "Config API base URL `BASE`: {} reaches it in a way this rewrite does not follow (`*`, an import inside a "
    "function or under `try:`/`if`, a re-export, a read off its module other than a plain `module.NAME` under a name bound to nothing "
    "else, two names for it in one file): it stays on the Config API, with the paths joined to it here; migrate "
    "them together, by hand"
)
FALLBACK = (
    "Config API base URL `BASE`, which this file also imports from `settings` (line {}): which of the two it holds "
    "at run time cannot be told, so it stays on the Config API with the paths joined to `BASE` here; migrate them, "
    "this value and that module's together, by hand"
)
JOINED = (
    "Config API path joined to `BASE`, which this file binds two ways: imported from `settings` (line {}) and "
    "assigned here (line {}); which base it holds at run time cannot be told, so it stays on the Config API with "
    "it: migrate them together by hand (Public API: `GET /sources`)"
)
KEPT = (
    "left on the Config API together with `{}`, the base URL it is {}, which {} defines and keeps on the Config "
    "API (its marker says why): migrate them together by hand"
)
UNSHOWN = (
    "Config API path joined to a base URL this file does not show (configuration, a parameter, another module): "
    "migrate that base URL and this path together by hand (Public API: `GET /tracking-plans`)"
)


def rewrite(root: Path, *paths: str) -> dict[str, driver.FileResult]:
    run = driver.run([root / p for p in paths] or [root], write=True, force=True, jobs=1)
    return {Path(r.path).relative_to(root).as_posix(): r for r in run.results}


def read(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def marked(data: bytes, line: str, reason: str, indent: str = "") -> bytes:
    """`data` with the marker `reason` above its one line `line`."""
    assert data.count(line.encode()) == 1
    return data.replace(line.encode(), f"{indent}{MARK}{reason}\n{line}".encode())


def held_client(data: bytes, fallback: int, assigned: int) -> bytes:
    """The importer binding `BASE` two ways, left on the Config API and marked."""
    data = marked(data, f'    BASE = "{CONFIG}"', FALLBACK.format(fallback), "    ")
    return marked(data, "    return requests.get(f\"{BASE}/workspaces", JOINED.format(fallback, assigned), "    ")


def unchanged_again(root: Path) -> None:
    before = read(root)
    assert {r.status for r in rewrite(root).values()} <= {"unchanged", "marked"}
    assert read(root) == before


@pytest.mark.parametrize("client, fallback, assigned", [(TRY_CLIENT, 4, 7), (IF_CLIENT, 6, 9)])
def test_a_base_imported_with_a_config_fallback_stays_with_its_paths(
    tmp_path: Path, client: bytes, fallback: int, assigned: int,
) -> None:
    root = tree(tmp_path, {"settings.py": SETTINGS, "client.py": client})
    found = rewrite(root)
    assert read(root) == {
        "client.py": held_client(client, fallback, assigned),
        "settings.py": f"{MARK}{BLOCKED.format('client.py')}\n".encode() + SETTINGS,
    }
    assert [m.rule for m in found["client.py"].markers] == ["rewrite.partial-path"] * 2
    unchanged_again(root)


def test_the_importer_rewritten_alone_stays_too(tmp_path: Path) -> None:
    root = tree(tmp_path, {"settings.py": SETTINGS, "client.py": TRY_CLIENT})
    rewrite(root, "client.py")
    assert read(root) == {"client.py": held_client(TRY_CLIENT, 4, 7), "settings.py": SETTINGS}


def test_held_by_a_third_module_importing_star_the_fallback_stays_too(tmp_path: Path) -> None:
    root = tree(tmp_path, {"settings.py": SETTINGS, "client.py": TRY_CLIENT, "star.py": STAR})
    rewrite(root)
    after = read(root)
    assert after["client.py"] == held_client(TRY_CLIENT, 4, 7)
    assert after["settings.py"] == f"{MARK}{BLOCKED.format('client.py')}\n".encode() + SETTINGS
    assert after["star.py"] == marked(STAR, "    return", UNSHOWN, "    ")


PKG_CLIENT = b'''import requests

from .settings import BASE


def sources():
    return requests.get(f"{BASE}/workspaces/acme/sources").json()["sources"]
'''
REPORT = b'''import requests

import pkg


def plans():
    return requests.get(f"{pkg.BASE}/workspaces/acme/tracking-plans").json()["tracking_plans"]
'''
JOB = b'''import requests

from .. import pkg


def plans():
    return requests.get(f"{pkg.BASE}/workspaces/acme/tracking-plans").json()["tracking_plans"]
'''


@pytest.mark.parametrize("reader, source, shown", [
    ("report.py", REPORT, "../report.py"),
    ("report.py", REPORT.replace(b"import pkg\n", b"import pkg.client\n"), "../report.py"),  # binds `pkg` too
    ("app/jobs/report.py", JOB, "../jobs/report.py"),
])
def test_a_read_off_a_package_that_re_exports_the_base_holds_it(
    tmp_path: Path, reader: str, source: bytes, shown: str,
) -> None:
    package = "pkg" if reader == "report.py" else "app/pkg"
    files = {f"{package}/__init__.py": b"from .settings import BASE\n", f"{package}/settings.py": SETTINGS,
             f"{package}/client.py": PKG_CLIENT, reader: source}
    if reader != "report.py":
        files.update({"app/__init__.py": b"", "app/jobs/__init__.py": b""})
    root = tree(tmp_path, files)
    rewrite(root)
    after = read(root)
    assert after[f"{package}/settings.py"] == f"{MARK}{BLOCKED.format(shown)}\n".encode() + SETTINGS
    assert after[f"{package}/client.py"] == marked(
        PKG_CLIENT, "    return", KEPT.format("BASE", "joined to", "settings.py"), "    ")
    assert after[reader] == marked(source, "    return", UNSHOWN, "    ")
    assert after[f"{package}/__init__.py"] == b"from .settings import BASE\n"
    unchanged_again(root)


APP_CLIENT = b'''import requests

from app.settings import BASE


def sources():
    return requests.get(f"{BASE}/workspaces/acme/sources").json()["sources"]
'''
PIN = f'''from app import settings
from app.settings import BASE


def test_base():
    assert settings.BASE == "{CONFIG}"
    assert BASE.endswith("/v1beta")
'''.encode()


def test_a_test_pinning_the_base_it_holds_keeps_its_pin(tmp_path: Path) -> None:
    root = tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": SETTINGS, "app/client.py": APP_CLIENT,
                           "tests/test_settings.py": PIN})
    rewrite(root)
    after = read(root)
    assert after["app/settings.py"] == f"{MARK}{BLOCKED.format('../tests/test_settings.py')}\n".encode() + SETTINGS
    assert after["app/client.py"] == marked(
        APP_CLIENT, "    return", KEPT.format("BASE", "joined to", "settings.py"), "    ")
    assert after["tests/test_settings.py"] == marked(
        PIN, "    assert settings.BASE", KEPT.format("settings.BASE", "compared with", "../app/settings.py"), "    ")
    unchanged_again(root)


def test_the_audit_tags_none_of_the_held_lines_fixable_by_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tree(tmp_path, {
        "one/settings.py": SETTINGS, "one/client.py": TRY_CLIENT,
        "two/pkg/__init__.py": b"from .settings import BASE\n", "two/pkg/settings.py": SETTINGS,
        "two/pkg/client.py": PKG_CLIENT, "two/report.py": REPORT,
        "three/app/__init__.py": b"", "three/app/settings.py": SETTINGS, "three/app/client.py": APP_CLIENT,
        "three/tests/test_settings.py": PIN,
    })
    monkeypatch.chdir(root)
    run = audit_paths([Path("one"), Path("two"), Path("three")], load_rules())
    held = sorted((f.path, f.line, f.fix) for f in run.findings if f.rule == "rewrite.partial-path")
    assert held == [
        ("one/client.py", 6, "manual"), ("one/client.py", 10, "manual"), ("one/settings.py", 1, "manual"),
        ("three/app/client.py", 7, "manual"), ("three/app/settings.py", 1, "manual"),
        ("three/tests/test_settings.py", 6, "manual"),
        ("two/pkg/client.py", 7, "manual"), ("two/pkg/settings.py", 1, "manual"), ("two/report.py", 7, "manual"),
    ]
    assert [f for f in run.findings if f.fix == "rewrite"] == []
