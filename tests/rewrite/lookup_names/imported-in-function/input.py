"""An `import segment_ids` inside a function serves that function only: the
module-level import is added for the others."""

import requests


def first(slug):
    import segment_ids

    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()


def second(slug):
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()
