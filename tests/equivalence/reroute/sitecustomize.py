"""Send a script's HTTP requests to the fake Segment, without touching the script.

Loaded by Python at start-up when this directory is on PYTHONPATH. With
`FAKE_SEGMENT_URL=http://127.0.0.1:<port>` set, every request to a host that
is not the loopback (`platform.segmentapis.com`, `api.segmentapis.com`,
`eu1.api.segmentapis.com`, or anything else: nothing leaves the machine)
goes to that URL instead, with the same method, path, query, headers and
body, plus `X-Intended-Host: <host>` so the fake knows which API was meant.

Patched low in each client, when the client is first imported:
- requests: `HTTPAdapter.send` (module functions, `Session`, `requests.request`);
- httpx: `HTTPTransport.handle_request` and `AsyncHTTPTransport.handle_async_request`
  (functions, `Client`, `AsyncClient`, `base_url=`);
- urllib: `OpenerDirector.open` (`urlopen`, `build_opener`).
With `FAKE_SEGMENT_NO_SLEEP=1`, `time.sleep` and `asyncio.sleep` return at once
(polling loops and retry back-off stay fast).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HOST_HEADER = "X-Intended-Host"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _target(url: str, fake: str) -> tuple[str, str] | None:
    """(new URL, intended host) for a URL that must go to the fake, else None.
    The fake's URL is read from the environment at each call (a pre-forked
    interpreter serves several fakes), `fake` being the one seen at start-up."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or host in _LOOPBACK:
        return None
    base = urlsplit(os.environ.get("FAKE_SEGMENT_URL") or fake)
    return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, "")), host


# --- clients -------------------------------------------------------------------------------


def _patch_requests(module: ModuleType, fake: str) -> None:
    original = module.HTTPAdapter.send

    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        moved = _target(request.url, fake)
        if moved:
            request = request.copy()
            request.url, host = moved
            request.headers[HOST_HEADER] = host
            kwargs["proxies"] = {}
        return original(self, request, *args, **kwargs)

    module.HTTPAdapter.send = send


def _move_httpx(request: Any, fake: str) -> None:
    moved = _target(str(request.url), fake)
    if moved:
        url, host = moved
        import httpx

        request.url = httpx.URL(url)
        request.headers[HOST_HEADER] = host


def _patch_httpx(module: ModuleType, fake: str) -> None:
    sync, asynchronous = module.HTTPTransport.handle_request, module.AsyncHTTPTransport.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        _move_httpx(request, fake)
        return sync(self, request)

    async def handle_async_request(self: Any, request: Any) -> Any:
        _move_httpx(request, fake)
        return await asynchronous(self, request)

    module.HTTPTransport.handle_request = handle_request
    module.AsyncHTTPTransport.handle_async_request = handle_async_request
    _share_ssl_contexts(sys.modules.get("httpx._transports.default"))


def _share_ssl_contexts(transports: ModuleType | None) -> None:
    """Speed only: every `httpx.get` builds a client, and each client loads the
    CA bundle (~0.2 s). Nothing here uses TLS, so one default context is shared."""
    original = getattr(transports, "create_ssl_context", None)
    if original is None:
        return
    shared: dict[bool, Any] = {}

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return original(verify=verify, cert=cert, trust_env=trust_env)
        if trust_env not in shared:
            shared[trust_env] = original(verify=verify, cert=cert, trust_env=trust_env)
        return shared[trust_env]

    transports.create_ssl_context = create_ssl_context  # type: ignore[union-attr]


def _patch_urllib(module: ModuleType, fake: str) -> None:
    original = module.OpenerDirector.open

    def open(self: Any, fullurl: Any, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        request = module.Request(fullurl, data) if isinstance(fullurl, str) else fullurl
        moved = _target(request.full_url, fake)
        if moved:
            copy = module.Request(moved[0], request.data, dict(request.headers),
                                  method=request.get_method())
            copy.unredirected_hdrs = dict(request.unredirected_hdrs)
            copy.add_header(HOST_HEADER, moved[1])
            for name in ("timeout",):
                if hasattr(request, name):
                    setattr(copy, name, getattr(request, name))
            request = copy
        return original(self, request, data, *args, **kwargs)

    module.OpenerDirector.open = open


def _patch_asyncio(module: ModuleType) -> None:
    original = module.sleep

    async def sleep(delay: float, result: Any = None) -> Any:
        return await original(0, result)

    module.sleep = sleep


# --- patch modules when they are first imported --------------------------------------------------


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, inner: Any, patch: Callable[[ModuleType], None]) -> None:
        self._inner, self._patch = inner, patch

    def create_module(self, spec: Any) -> Any:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        self._patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, is_package, ...
        return getattr(self._inner, name)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    def __init__(self, patches: dict[str, Callable[[ModuleType], None]]) -> None:
        self._patches = patches

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        patch = self._patches.pop(name, None)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


def install(fake: str, *, no_sleep: bool) -> None:
    patches: dict[str, Callable[[ModuleType], None]] = {
        "requests.adapters": lambda m: _patch_requests(m, fake),
        "httpx": lambda m: _patch_httpx(m, fake),
        "urllib.request": lambda m: _patch_urllib(m, fake),
    }
    if no_sleep:
        time.sleep = lambda seconds: None
        patches["asyncio"] = _patch_asyncio
    for name in list(patches):
        if name in sys.modules:  # imported before us (urllib.request by site, say)
            patches.pop(name)(sys.modules[name])
    sys.meta_path.insert(0, _PatchOnImport(patches))


if os.environ.get("FAKE_SEGMENT_URL"):
    install(os.environ["FAKE_SEGMENT_URL"], no_sleep=os.environ.get("FAKE_SEGMENT_NO_SLEEP") == "1")
