"""`migrator ids`: fetch Public API ids (sources, destinations, catalog, …) into an id-map file.

`client` holds all HTTP, `fetch` walks the API, `maps` turns list items into
key → id maps, `store` decides whether an existing file can be reused.
"""

from migrator.ids.client import (
    EU_URL,
    REGIONS,
    US_URL,
    AuthError,
    NotFoundError,
    PublicApi,
    PublicApiError,
    RetryPolicy,
)
from migrator.ids.fetch import FetchResult, fetch_idmap, fetch_workspace

__all__ = [
    "EU_URL",
    "REGIONS",
    "US_URL",
    "AuthError",
    "FetchResult",
    "NotFoundError",
    "PublicApi",
    "PublicApiError",
    "RetryPolicy",
    "fetch_idmap",
    "fetch_workspace",
]
