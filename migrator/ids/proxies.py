"""The proxy variables httpx reads (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`...),
named in messages: which proxy a request goes through, and why httpx
cannot use one (a SOCKS proxy without `socksio`, an unknown scheme).

httpx reads them as `urllib.request.getproxies` does: `<scheme>_proxy` in
any case, a lower-case name winning; a value without a scheme is `http://`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from urllib.parse import urlsplit
from urllib.request import proxy_bypass_environment

KINDS = ("http", "https", "all")
"""The proxy variables httpx reads, in the order it sets them up."""
SOCKS = ("socks5", "socks5h")


def _read(environ: Mapping[str, str]) -> dict[str, str]:
    """kind (`https`, `all`, `no`) → value, as urllib's `getproxies_environment` reads the variables."""
    proxies: dict[str, str] = {}
    for name, value in environ.items():  # any case first...
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[:-6]] = value
    for name, value in environ.items():  # ...then the lower-case names, which win
        if name.endswith("_proxy"):
            if value:
                proxies[name.lower()[:-6]] = value
            else:
                proxies.pop(name.lower()[:-6], None)
    return proxies


def _variable(kind: str, value: str, environ: Mapping[str, str]) -> str:
    """The name of the variable that set the `kind` proxy to `value`."""
    lower = f"{kind}_proxy"
    names = [n for n in environ if n.lower() == lower and environ[n] == value]
    return lower if lower in names else (names[0] if names else lower.upper())


def _scheme(value: str) -> str:
    return value.partition("://")[0].lower() if "://" in value else "http"


def _shown(value: str) -> str:
    """A proxy URL without its credentials or path."""
    parts = urlsplit(value if "://" in value else "http://" + value)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def proxy_for(url: str, environ: Mapping[str, str]) -> str:
    """The proxy a request to `url` goes through, shown with its variable
    (`http://127.0.0.1:3128 (HTTPS_PROXY)`); "" when none (or `NO_PROXY`)."""
    proxies = _read(environ)
    parts = urlsplit(url)
    kind = parts.scheme if proxies.get(parts.scheme) else "all"
    value = proxies.get(kind)
    if not value or proxy_bypass_environment(parts.hostname or "", proxies):
        return ""
    return f"{_shown(value)} ({_variable(kind, value, environ)})"


def proxy_problem(environ: Mapping[str, str]) -> str | None:
    """Why httpx cannot set up a proxy a variable names, in one line; None when it can."""
    proxies = _read(environ)
    for kind in KINDS:
        value = proxies.get(kind)
        if not value:
            continue
        scheme = _scheme(value)
        name = _variable(kind, value, environ)
        if scheme in SOCKS and importlib.util.find_spec("socksio") is None:
            return (f"{name}: a SOCKS proxy ({scheme}://) needs the socksio package, which is not installed: "
                    f"pip install \"httpx[socks]\", or unset {name}")
        if scheme not in ("http", "https", *SOCKS):
            return (f"{name}: a proxy URL of scheme \"{scheme}\" is not supported (http://, https://, socks5://): "
                    f"fix or unset {name}")
    return None
