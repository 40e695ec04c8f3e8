"""An `import segment_ids` inside a function serves that function only: the
module-level import is added for the others."""
import segment_ids

import requests


def first(slug):
    import segment_ids

    return requests.get(f"https://api.segmentapis.com/sources/{segment_ids.source_id(slug)}").json()


def second(slug):
    return requests.get(f"https://api.segmentapis.com/sources/{segment_ids.source_id(slug)}").json()
