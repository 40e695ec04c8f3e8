"""A module-level name `segment_ids` that is not the generated module: no
lookup anywhere in the file."""

import requests

from app.state import segment_ids


def source(slug):
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `segment_ids`, the name of the generated lookup module, is imported from `app.state` on line 6: rename it, or rewrite with another `--lookup-module`
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()


def sources():
    return [source(s) for s in segment_ids]
