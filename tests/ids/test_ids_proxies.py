"""Which proxy variable a request goes through, as httpx reads them."""

from __future__ import annotations

import pytest

from migrator.ids.proxies import proxy_for

URL = "https://api.segmentapis.com"


@pytest.mark.parametrize(
    ("environ", "shown"),
    [
        ({}, ""),
        ({"HTTPS_PROXY": "proxy.test:3128"}, "http://proxy.test:3128 (HTTPS_PROXY)"),
        ({"https_proxy": "http://a:b@low.test:1", "HTTPS_PROXY": "http://up.test:2"}, "http://low.test:1 (https_proxy)"),
        ({"ALL_PROXY": "http://all.test:3"}, "http://all.test:3 (ALL_PROXY)"),
        ({"HTTP_PROXY": "http://plain.test:4"}, ""),  # for http:// URLs only
        ({"HTTPS_PROXY": "http://p.test:5", "NO_PROXY": "segmentapis.com"}, ""),
        ({"HTTPS_PROXY": "http://p.test:5", "no_proxy": "*"}, ""),
        ({"HTTPS_PROXY": "http://p.test:5", "NO_PROXY": "example.test"}, "http://p.test:5 (HTTPS_PROXY)"),
    ],
)
def test_the_proxy_of_a_request_is_shown_with_its_variable(environ: dict[str, str], shown: str) -> None:
    assert proxy_for(URL, environ) == shown
