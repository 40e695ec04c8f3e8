"""Slugs in variables, looked up through the generated module `ids` only
where nothing else in the code binds the name `ids`."""
import ids

import requests


def enable_all(slugs):
    ids = []
    for slug in slugs:
        # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `ids`, the name of the generated lookup module, is assigned on line 9: rename it, or rewrite with another `--lookup-module`
        r = requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")
        ids.append(r.status_code)
    return ids


def with_parameter(slug, ids=None):
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `ids`, the name of the generated lookup module, is a parameter on line 17: rename it, or rewrite with another `--lookup-module`
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")


def with_loop(slugs):
    for ids in slugs:
        # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `ids`, but here `ids`, the name of the generated lookup module, is a loop variable on line 23: rename it, or rewrite with another `--lookup-module`
        requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{ids}")


def with_file(slug):
    with open("ids.txt") as ids:
        print(ids.read())
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `ids`, the name of the generated lookup module, is a `with ... as` name on line 29: rename it, or rewrite with another `--lookup-module`
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")


def outer(slug):
    ids = {}

    def inner():
        # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `ids`, the name of the generated lookup module, is assigned on line 36: rename it, or rewrite with another `--lookup-module`
        return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")

    return inner, ids


def in_comprehension(slugs):
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `ids`, but here `ids`, the name of the generated lookup module, is a loop variable on line 47: rename it, or rewrite with another `--lookup-module`
    return [requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{ids}") for ids in slugs]


def after_comprehension(slugs):
    kept = [ids for ids in slugs if ids]
    return [requests.get(f"https://api.segmentapis.com/sources/{ids.source_id(s)}") for s in kept]


class Client:
    ids = ()

    def get(self, slug):
        return requests.get(f"https://api.segmentapis.com/sources/{ids.source_id(slug)}")


def free(slug):
    return requests.get(f"https://api.segmentapis.com/sources/{ids.source_id(slug)}")
