"""A subclass another module of the run derives from a client class and
that assigns its base URL attribute holds the base and the paths joined to
it exactly as a subclass in the client's own file does (`subclass_stubs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.rewrite import driver
from tests.rewrite.test_driver import tree

CLIENT = b'''import requests


class Client:
    BASE_URL = "https://platform.segmentapis.com/v1beta"

    def sources(self):
        r = requests.get(f"{self.BASE_URL}/workspaces/acme/sources", params={"page_size": 100})
        return [s["display_name"] for s in r.json()["sources"]]
'''
PROXY = b'"http://segment-proxy.internal:8080/v1beta"'
HELD = b'''import requests


class Client:
    # migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to on line 10, which cannot be migrated: migrate them together by hand
    BASE_URL = "https://platform.segmentapis.com/v1beta"

    def sources(self):
        # migrator[rewrite.partial-path]: Config API path joined to a base URL this rewrite cannot trace: this file's Config base URL on line 6 may be it, and stays on the Config API with this path; migrate them together by hand (Public API: `GET /sources`)
        r = requests.get(f"{self.BASE_URL}/workspaces/acme/sources", params={"page_size": 100})
        # migrator[rewrite.responses]: `display_name` is read off the response of a call this rewrite leaves on the Config API, where it is right as it is: when that call moves to the Public API, read the Public field instead (`name`; `displayName` for a function)
        return [s["display_name"] for s in r.json()["sources"]]
'''
MOVED = b'''import requests


class Client:
    BASE_URL = "https://api.segmentapis.com"

    def sources(self):
        r = requests.get(f"{self.BASE_URL}/sources", params={"pagination.count": 100})
        return [s["name"] for s in r.json()["data"]["sources"]]
'''


def rewrite(root: Path) -> dict[str, driver.FileResult]:
    run = driver.run([root], write=True, force=True, jobs=1)
    return {Path(r.path).relative_to(root).as_posix(): r for r in run.results}


@pytest.mark.parametrize("proxied", [
    b"from client import Client\n\n\nclass ProxiedClient(Client):\n    BASE_URL = %s\n",
    b"from client import Client as Base\n\n\nclass ProxiedClient(Base):\n    BASE_URL = %s\n",
    b"import client\n\n\nclass ProxiedClient(client.Client):\n    BASE_URL = %s\n",
    b"import client as c\n\n\nclass ProxiedClient(c.Client):\n    BASE_URL: str = %s\n",
    b"import os\nimport client\n\n\nclass ProxiedClient(client.Client):\n    BASE_URL = os.environ.get('SEGMENT_URL', %s)\n",
])
def test_a_subclass_of_another_module_with_its_own_base_holds_it_as_one_in_the_file(
    tmp_path: Path, proxied: bytes
) -> None:
    subclass = proxied % PROXY
    found = rewrite(tree(tmp_path / "two", {"client.py": CLIENT, "proxied.py": subclass}))
    assert (tmp_path / "two/client.py").read_bytes() == HELD
    assert (tmp_path / "two/proxied.py").read_bytes() == subclass
    assert [(m.rule, m.line) for m in found["client.py"].markers] == [
        ("rewrite.partial-path", 8), ("rewrite.partial-path", 5), ("rewrite.responses", 9)]
    one = rewrite(tree(tmp_path / "one", {"client.py": CLIENT + b"\n" + b"class Proxied(Client):\n    BASE_URL = %s\n"
                                          % PROXY}))
    assert [(m.rule, m.line, m.reason) for m in one["client.py"].markers] == \
        [(m.rule, m.line, m.reason) for m in found["client.py"].markers]
    assert {r.status for r in rewrite(tmp_path / "two").values()} == {"marked", "unchanged"}
    assert (tmp_path / "two/client.py").read_bytes() == HELD


def test_a_subclass_that_assigns_the_config_base_itself_holds_nothing(tmp_path: Path) -> None:
    root = tree(tmp_path, {"client.py": CLIENT, "proxied.py": b'from client import Client\n\n\nclass Mine(Client):\n'
                           b'    BASE_URL = "https://platform.segmentapis.com/v1beta"\n'})
    found = rewrite(root)
    assert (root / "client.py").read_bytes() == MOVED
    assert (root / "proxied.py").read_bytes() == \
        b'from client import Client\n\n\nclass Mine(Client):\n    BASE_URL = "https://api.segmentapis.com"\n'
    assert {name: r.markers for name, r in found.items()} == {"client.py": (), "proxied.py": ()}


def test_a_subclass_that_assigns_its_base_in_init_holds_it_as_one_in_the_file(tmp_path: Path) -> None:
    subclass = (b"from client import Client\n\n\nclass ProxiedClient(Client):\n    def __init__(self):\n"
                b"        self.BASE_URL = %s\n" % PROXY)
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "proxied.py": subclass}))
    assert (tmp_path / "client.py").read_bytes() == HELD
    assert (tmp_path / "proxied.py").read_bytes() == subclass
    assert [(m.rule, m.line) for m in found["client.py"].markers] == [
        ("rewrite.partial-path", 8), ("rewrite.partial-path", 5), ("rewrite.responses", 9)]


def test_a_subclass_that_assigns_the_config_base_in_init_holds_nothing(tmp_path: Path) -> None:
    subclass = (b"from client import Client\n\n\nclass Mine(Client):\n    def __init__(self):\n"
                b'        self.BASE_URL = "https://platform.segmentapis.com/v1beta"\n')
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "proxied.py": subclass}))
    assert (tmp_path / "client.py").read_bytes() == MOVED
    assert (tmp_path / "proxied.py").read_bytes() == subclass.replace(b"platform.segmentapis.com/v1beta",
                                                                      b"api.segmentapis.com")
    assert {name: r.markers for name, r in found.items()} == {"client.py": (), "proxied.py": ()}


def test_a_subclass_of_a_class_of_another_module_holds_nothing(tmp_path: Path) -> None:
    """`Client` of a module other than the one that moved its base."""
    root = tree(tmp_path, {"client.py": CLIENT, "other.py": b"class Client:\n    pass\n",
                           "proxied.py": b"from other import Client\n\n\nclass P(Client):\n    BASE_URL = %s\n" % PROXY})
    found = rewrite(root)
    assert (root / "client.py").read_bytes() == MOVED
    assert found["client.py"].markers == ()


def test_a_subclass_assigning_the_config_base_stays_with_the_base_of_its_class(tmp_path: Path) -> None:
    """The class keeps its base (a path joined to it has no Public counterpart): so does the subclass's copy."""
    client = CLIENT + b'\n    def tokens(self):\n        return requests.get(f"{self.BASE_URL}/access-tokens").json()\n'
    subclass = b'from client import Client\n\n\nclass Mine(Client):\n    BASE_URL = "https://platform.segmentapis.com/v1beta"\n'
    found = rewrite(tree(tmp_path, {"client.py": client, "proxied.py": subclass}))
    assert (tmp_path / "proxied.py").read_bytes() == subclass.replace(b"    BASE_URL", (
        b"    # migrator[host.base-url]: `BASE_URL` holds the Config API base URL in a subclass of `Client`, whose own "
        b"`BASE_URL` `client.py` keeps on the Config API: migrate this value together with that one, by hand\n"
        b"    BASE_URL"))
    assert [(m.rule, m.line) for m in found["proxied.py"].markers] == [("host.base-url", 5)]
    assert b'    BASE_URL = "https://platform.segmentapis.com/v1beta"\n' in (tmp_path / "client.py").read_bytes()
    assert {m.rule for m in found["client.py"].markers} >= {"rewrite.partial-path", "rewrite.http-method"}


def test_a_subclass_keeping_its_config_base_holds_the_base_of_its_class(tmp_path: Path) -> None:
    """The subclass keeps its base (a path it joins to it has no Public counterpart): so does the class."""
    subclass = (b'import requests\nfrom client import Client\n\n\nclass Mine(Client):\n'
                b'    BASE_URL = "https://platform.segmentapis.com/v1beta"\n\n'
                b'    def tokens(self):\n        return requests.get(f"{self.BASE_URL}/access-tokens").json()\n')
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "proxied.py": subclass}))
    assert b'    BASE_URL = "https://platform.segmentapis.com/v1beta"\n' in (tmp_path / "client.py").read_bytes()
    assert b'/workspaces/acme/sources", params={"page_size": 100})' in (tmp_path / "client.py").read_bytes()
    assert [m.rule for m in found["client.py"].markers] == ["host.base-url", "rewrite.partial-path",
                                                             "rewrite.responses"]
    assert b"https://api.segmentapis.com" not in (tmp_path / "proxied.py").read_bytes()


CONFIG = b'"https://platform.segmentapis.com/v1beta"'
KEPT_WITH_CLIENT = (b"    # migrator[host.base-url]: `BASE_URL` holds the Config API base URL in a subclass of `Client`, whose own "
                    b"`BASE_URL` `client.py` keeps on the Config API: migrate this value together with that one, by "
                    b"hand\n")
PROXIED = b"from client import Client\n\n\nclass ProxiedClient(Client):\n"


@pytest.mark.parametrize("files", [
    {"proxied.py": PROXIED + b"    pass\n",
     "deep.py": b"from proxied import ProxiedClient\n\n\nclass Deep(ProxiedClient):\n    BASE_URL = %s\n" % PROXY},
    {"proxied.py": PROXIED + b"    def extra(self):\n        return 1\n",
     "deep.py": b"import proxied\n\n\nclass Deep(proxied.ProxiedClient):\n    def __init__(self):\n"
                b"        self.BASE_URL = %s\n" % PROXY},
    {"proxied.py": PROXIED + b"    pass\n\n\nclass Deep(ProxiedClient):\n    BASE_URL = %s\n" % PROXY},
    {"proxied.py": b"from client import Client\n\n\nclass Client(Client):\n    BASE_URL = %s\n" % PROXY,
     "deep.py": b"from proxied import Client\n\n\nclass Deep(Client):\n    pass\n"},
    {"proxied.py": PROXIED + b"    BASE_URL = %s\n" % PROXY,
     "deep.py": b"from proxied import ProxiedClient as P\n\n\nclass Deep(P):\n    pass\n"},
])
def test_a_subclass_of_a_subclass_with_its_own_base_holds_it_as_one_in_the_file(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, **files}))
    assert (tmp_path / "client.py").read_bytes() == HELD
    assert {name: (tmp_path / name).read_bytes() for name in files} == files
    assert [(m.rule, m.line) for m in found["client.py"].markers] == [
        ("rewrite.partial-path", 8), ("rewrite.partial-path", 5), ("rewrite.responses", 9)]


def test_a_subclass_assigning_the_config_base_between_the_class_and_a_proxy_stays_marked(tmp_path: Path) -> None:
    """`Deep(ProxiedClient)` sends the class's paths to its proxy: the class
    keeps its base, so does `ProxiedClient`'s Config base in between."""
    proxied = PROXIED + b"    BASE_URL = %s\n" % CONFIG
    deep = b"from proxied import ProxiedClient\n\n\nclass Deep(ProxiedClient):\n    BASE_URL = %s\n" % PROXY
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "proxied.py": proxied, "deep.py": deep}))
    assert (tmp_path / "client.py").read_bytes() == HELD
    assert (tmp_path / "proxied.py").read_bytes() == PROXIED + KEPT_WITH_CLIENT + b"    BASE_URL = %s\n" % CONFIG
    assert (tmp_path / "deep.py").read_bytes() == deep
    assert [(m.rule, m.line) for m in found["proxied.py"].markers] == [("host.base-url", 5)]


def test_subclasses_in_two_modules_hold_the_base_together(tmp_path: Path) -> None:
    """One assigns the Config base, the other a proxy's: the base stays, and
    the Config subclass's with it (its marker names the class); the class's
    marker names no line of the other modules."""
    mine = b"from client import Client\n\n\nclass Mine(Client):\n    BASE_URL = %s\n" % CONFIG
    proxied = PROXIED + b"    BASE_URL = %s\n" % PROXY
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "mine.py": mine, "proxied.py": proxied}))
    assert (tmp_path / "client.py").read_bytes() == HELD
    assert (tmp_path / "mine.py").read_bytes() == mine.replace(b"    BASE_URL", KEPT_WITH_CLIENT + b"    BASE_URL")
    assert (tmp_path / "proxied.py").read_bytes() == proxied
    assert [(m.rule, m.line) for m in found["client.py"].markers] == [
        ("rewrite.partial-path", 8), ("rewrite.partial-path", 5), ("rewrite.responses", 9)]


def test_a_subclass_of_a_subclass_assigning_the_config_base_stays_with_the_base_of_its_class(tmp_path: Path) -> None:
    client = CLIENT + b'\n    def tokens(self):\n        return requests.get(f"{self.BASE_URL}/access-tokens").json()\n'
    deep = b"from proxied import ProxiedClient\n\n\nclass Deep(ProxiedClient):\n    BASE_URL = %s\n" % CONFIG
    found = rewrite(tree(tmp_path, {"client.py": client, "proxied.py": PROXIED + b"    pass\n", "deep.py": deep}))
    assert (tmp_path / "deep.py").read_bytes() == deep.replace(b"    BASE_URL", KEPT_WITH_CLIENT + b"    BASE_URL")
    assert [(m.rule, m.line) for m in found["deep.py"].markers] == [("host.base-url", 5)]
    assert b"    BASE_URL = %s\n" % CONFIG in (tmp_path / "client.py").read_bytes()


def test_a_subclass_of_a_subclass_assigning_the_config_base_moves_with_the_class(tmp_path: Path) -> None:
    deep = b"from proxied import ProxiedClient\n\n\nclass Deep(ProxiedClient):\n    BASE_URL = %s\n" % CONFIG
    found = rewrite(tree(tmp_path, {"client.py": CLIENT, "proxied.py": PROXIED + b"    pass\n", "deep.py": deep}))
    assert (tmp_path / "client.py").read_bytes() == MOVED
    assert (tmp_path / "deep.py").read_bytes() == deep.replace(b"platform.segmentapis.com/v1beta",
                                                               b"api.segmentapis.com")
    assert {name: r.markers for name, r in found.items()} == {"client.py": (), "proxied.py": (), "deep.py": ()}


@pytest.mark.parametrize("proxied", [
    b"from pkg import Client\n\n\nclass ProxiedClient(Client):\n    BASE_URL = %s\n",
    b"import pkg\n\n\nclass ProxiedClient(pkg.Client):\n    BASE_URL = %s\n",
    b"from pkg import Base\n\n\nclass ProxiedClient(Base):\n    BASE_URL = %s\n",
])
def test_a_subclass_of_a_class_a_package_imports_holds_it_as_one_in_the_file(tmp_path: Path, proxied: bytes) -> None:
    init = b"from .client import Client\nfrom .client import Client as Base\n"
    found = rewrite(tree(tmp_path, {"pkg/__init__.py": init, "pkg/client.py": CLIENT, "proxied.py": proxied % PROXY}))
    assert (tmp_path / "pkg/client.py").read_bytes() == HELD
    assert (tmp_path / "proxied.py").read_bytes() == proxied % PROXY
    assert [(m.rule, m.line) for m in found["pkg/client.py"].markers] == [
        ("rewrite.partial-path", 8), ("rewrite.partial-path", 5), ("rewrite.responses", 9)]


def test_a_subclass_of_a_package_s_own_class_holds_nothing(tmp_path: Path) -> None:
    """The package defines a `Client` of its own: its module's `Client` moves."""
    init = b"from .client import Client as _Client\n\n\nclass Client:\n    pass\n"
    proxied = b"from pkg import Client\n\n\nclass ProxiedClient(Client):\n    BASE_URL = %s\n" % PROXY
    found = rewrite(tree(tmp_path, {"pkg/__init__.py": init, "pkg/client.py": CLIENT, "proxied.py": proxied}))
    assert (tmp_path / "pkg/client.py").read_bytes() == MOVED
    assert found["pkg/client.py"].markers == ()
