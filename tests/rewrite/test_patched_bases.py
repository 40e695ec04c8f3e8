"""A test that patches a base constant the run moves (`patched_bases`): the
patch to its Config value is rewritten when its doubles all move, any other
is marked with the doubles on the patched value (rt2 #6: the code sent
Public paths to the patched proxy while its double stayed, unmarked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

CONFIG = "https://platform.segmentapis.com/v1beta"
SETTINGS = f'BASE = "{CONFIG}"\nTIMEOUT = 10\n'.encode()
CLIENT = b'''import requests

from app import settings


def sources():
    return requests.get(f"{settings.BASE}/workspaces/acme/sources").json()["sources"]
'''
PROXY = "http://proxy.test/v1beta"
DOUBLE = '    responses.get("{base}/workspaces/acme/sources", json={{"sources": [], "next_page_token": ""}})\n'
PUBLIC_DOUBLE = ('    responses.get("https://api.segmentapis.com/sources", json={"data": {"sources": [], "pagination": '
                 '{"next": None}}})\n')
HEAD = "import responses\nfrom unittest import mock\n\nfrom app import client, settings\n\n\n"
PATCH = ("    # migrator[rewrite.mocks]: the code under test now joins Public API paths to `app.settings.BASE` "
         "(app/settings.py:1 moves it to `https://api.segmentapis.com`), so to the value patched here too: patch it "
         "to the Public base and migrate the doubles on it\n")
ON_IT = ("    # migrator[rewrite.mocks]: this double is on the value the test patches `app.settings.BASE` to, to which "
         "the code under test now joins Public API paths (app/settings.py:1 moves it to "
         "`https://api.segmentapis.com`): migrate it with that patch\n")


def _test(patch: str, base: str = PROXY, decorator: str = "") -> str:
    return (f"{HEAD}@responses.activate\n{decorator}def test_sources(monkeypatch):\n    {patch}\n"
            + DOUBLE.format(base=base) + "    assert client.sources() == []\n")


def _rewrite(root: Path) -> str:
    driver.run([root], force=True, jobs=1)
    return (root / "tests" / "test_client.py").read_text()


def _project(tmp_path: Path, test: str, client: bytes = CLIENT) -> Path:
    return tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": SETTINGS, "app/client.py": client,
                           "tests/test_client.py": test.encode()})


@pytest.mark.parametrize(
    "patch",
    [
        f'monkeypatch.setattr(settings, "BASE", "{PROXY}")',
        f'monkeypatch.setattr("app.settings.BASE", "{PROXY}")',
        f'mock.patch.object(settings, "BASE", new="{PROXY}").start()',
    ],
)
def test_a_patch_of_the_moved_base_to_another_value_is_marked_with_its_doubles(tmp_path: Path, patch: str) -> None:
    root = _project(tmp_path, _test(patch))
    expected = _test(patch).replace(f"    {patch}\n", PATCH + f"    {patch}\n").replace(
        "    responses.get(", ON_IT + "    responses.get(")
    assert _rewrite(root) == expected
    assert (root / "app" / "client.py").read_bytes() != CLIENT  # the code moved
    assert _rewrite(root) == expected  # a second run changes nothing


def test_a_decorator_patching_the_base_by_its_dotted_name_is_marked(tmp_path: Path) -> None:
    decorator = f'@mock.patch("app.settings.BASE", "{PROXY}")\n'
    test = _test("pass", decorator=decorator).replace("from app import client, settings", "from app import client")
    root = _project(tmp_path, test)
    marker = PATCH.replace("    #", "#")  # above the function's first decorator
    assert _rewrite(root) == test.replace("@responses.activate\n", marker + "@responses.activate\n").replace(
        "    responses.get(", ON_IT + "    responses.get(")


def test_a_patch_to_the_config_base_moves_with_its_doubles_and_the_test_passes(tmp_path: Path) -> None:
    patch = f'monkeypatch.setattr(settings, "BASE", "{CONFIG}")'
    root = _project(tmp_path, _test(patch, CONFIG))
    public = 'monkeypatch.setattr(settings, "BASE", "https://api.segmentapis.com")'
    assert _rewrite(root) == _test(public, CONFIG).replace(DOUBLE.format(base=CONFIG), PUBLIC_DOUBLE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=root, capture_output=True,
        text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_patch_to_the_config_base_with_a_double_that_cannot_move_is_marked(tmp_path: Path) -> None:
    patch = f'monkeypatch.setattr(settings, "BASE", "{CONFIG}")'
    web = f'    responses.get("{CONFIG}/workspaces/acme/sources/web", json={{}})\n'
    test = _test(patch, CONFIG).replace("    assert", web + "    assert")
    out = _rewrite(_project(tmp_path, test))
    lines = out.splitlines()
    marked = [(lines[i + 1].strip()[:30], line.split("]: ")[1][:30]) for i, line in enumerate(lines)
              if line.lstrip().startswith("# migrator[")]
    assert marked == [
        ("monkeypatch.setattr(settings, ", "the code under test now joins "),
        ('responses.get("https://api.seg', "this double is on the value th"),
        ('responses.get("https://platfor', "`/v1beta/workspaces/{workspace"),
    ]
    assert f'"BASE", "{CONFIG}")' in out


def test_a_patch_of_a_constant_of_the_code_s_own_module_is_marked(tmp_path: Path) -> None:
    """The base is the client's own (its module's paths depend on it)."""
    client = CLIENT.replace(b"from app import settings\n", f'API = "{CONFIG}"\n'.encode()).replace(
        b"settings.BASE", b"API")
    patch = f'monkeypatch.setattr(client, "API", "{PROXY}")'
    root = _project(tmp_path, _test(patch), client)
    own = PATCH.replace("app.settings.BASE", "app.client.API").replace("app/settings.py:1", "app/client.py:3")
    assert _rewrite(root) == _test(patch).replace(f"    {patch}\n", own + f"    {patch}\n").replace(
        "    responses.get(", ON_IT.replace("app.settings.BASE", "app.client.API").replace(
            "app/settings.py:1", "app/client.py:3") + "    responses.get(")


def test_a_patch_of_a_constant_the_run_does_not_move_is_left_alone(tmp_path: Path) -> None:
    patch = 'monkeypatch.setattr(settings, "TIMEOUT", 1)'
    test = _test(patch, "http://proxy.test/v2")
    assert _rewrite(_project(tmp_path, test)) == test


def test_the_audit_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.audit.run import audit_paths

    proxy = f'monkeypatch.setattr(settings, "BASE", "{PROXY}")'
    config = f'monkeypatch.setattr(settings, "BASE", "{CONFIG}")'
    for name, patch, base in (("proxy", proxy, PROXY), ("config", config, CONFIG)):
        _project(tmp_path / name, _test(patch, base))
    own = CLIENT.replace(b"from app import settings\n", f'API = "{CONFIG}"\n'.encode())
    own = own.replace(b"settings.BASE", b"API")
    _project(tmp_path / "own", _test(f'monkeypatch.setattr(client, "API", "{PROXY}")'), own)
    monkeypatch.chdir(tmp_path)
    found = audit_paths([Path("proxy"), Path("config"), Path("own")], load_rules(), jobs=1, cache=None).findings
    tests = [(f.path, f.line, f.rule, f.fix) for f in found if "tests/" in f.path and f.rule != "envelope.list"]
    assert tests == [
        ("config/tests/test_client.py", 9, "rewrite.mocks", "rewrite"),
        ("config/tests/test_client.py", 10, "endpoint.sources.list", "rewrite"),
        ("config/tests/test_client.py", 10, "rewrite.mocks", "rewrite"),
        ("own/tests/test_client.py", 9, "rewrite.mocks", "manual"),
        ("own/tests/test_client.py", 10, "rewrite.mocks", "manual"),
        ("proxy/tests/test_client.py", 9, "rewrite.mocks", "manual"),
        ("proxy/tests/test_client.py", 10, "rewrite.mocks", "manual"),
    ]


def test_a_patch_of_an_endpoint_s_whole_url_is_not_read_as_a_base(tmp_path: Path) -> None:
    """The code sends the patched URL as it is, before and after: no path is joined to it."""
    client = CLIENT.replace(b"from app import settings\n", f'SOURCES = "{CONFIG}/workspaces/acme/sources"\n'.encode()
                            ).replace(b'f"{settings.BASE}/workspaces/acme/sources"', b"SOURCES")
    patch = f'monkeypatch.setattr(client, "SOURCES", "{PROXY}/workspaces/acme/sources")'
    root = _project(tmp_path, _test(patch), client)
    out = _rewrite(root)
    assert b'SOURCES = "https://api.segmentapis.com/sources"' in (root / "app" / "client.py").read_bytes()
    assert "joins Public API paths" not in out


def test_a_patch_to_a_value_held_in_a_name_is_marked_alone(tmp_path: Path) -> None:
    """What the name holds is not read: its doubles cannot be told."""
    patch = 'monkeypatch.setattr(settings, "BASE", server_url)'
    test = _test(patch).replace("(monkeypatch)", "(monkeypatch, server_url)")
    assert _rewrite(_project(tmp_path, test)) == test.replace(f"    {patch}\n", PATCH + f"    {patch}\n")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('"https://platform.segmentapis.com"', '"https://api.segmentapis.com"'),
        ('"https://platform.segmentapis.com/v1beta/"', '"https://api.segmentapis.com/"'),
        ('("https://platform.segmentapis.com"\n        "/v1beta")', '"https://api.segmentapis.com"'),
    ],
    ids=["host", "version-slash", "concatenated"],
)
def test_a_base_the_file_moved_is_read_whatever_its_spelling(before: str, after: str) -> None:
    """`moved_bases` reads the constants of a changed file only when a string
    ends at a Config host or its version (its pre-check): every spelling of a
    base passes it."""
    from migrator.rewrite.patched_bases import moved_bases

    rules = load_rules()
    data, code = f"BASE = {before}\n".encode(), f"BASE = {after}\n".encode()
    value = eval(before)  # the literal's text, joined
    assert moved_bases(data, code, rules.config_hosts, rules.config_prefix) == (
        ("BASE", value, eval(after), 1),)
    endpoint = b'URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\n'
    assert moved_bases(endpoint, endpoint.replace(b"platform", b"api"), rules.config_hosts, rules.config_prefix) == ()


@pytest.mark.parametrize(
    "code",
    [
        'BASE = "https://platform.segmentapis.com/v1beta"\n\n\ndef sources():\n'
        '    return requests.get(BASE + "/workspaces/acme/sources")\n',
        'URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\n\n\ndef sources():\n'
        '    base = "https://platform.segmentapis.com/v1beta"\n'
        '    return requests.get(base + "/workspaces/acme/sources"), requests.get(URL)\n',
    ],
    ids=["module-base", "local-base"],
)
def test_the_output_is_parsed_once_for_its_moved_bases(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rewrite compiles its output once (the check that it parses), and
    `moved_bases` reads the moved constants off that tree; the file's own
    constants are read once, and none of the output's when none holds a base."""
    import builtins

    from migrator.rewrite import rewrite_bytes

    data = f"import requests\n{code}".encode()
    compiled: list[object] = []
    real = builtins.compile

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    result = rewrite_bytes(data, load_rules())
    assert b"platform" not in result.code
    assert (compiled.count(data), compiled.count(result.code)) == (1, 1)
    moved = (("BASE", "https://platform.segmentapis.com/v1beta", "https://api.segmentapis.com", 2),)
    assert result.moved_bases == (moved if code.startswith("BASE") else ())
