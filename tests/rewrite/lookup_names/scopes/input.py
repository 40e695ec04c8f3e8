"""Slugs in variables, looked up through the generated module `ids` only
where nothing else in the code binds the name `ids`."""

import requests


def enable_all(slugs):
    ids = []
    for slug in slugs:
        r = requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")
        ids.append(r.status_code)
    return ids


def with_parameter(slug, ids=None):
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")


def with_loop(slugs):
    for ids in slugs:
        requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{ids}")


def with_file(slug):
    with open("ids.txt") as ids:
        print(ids.read())
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")


def outer(slug):
    ids = {}

    def inner():
        return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")

    return inner, ids


def in_comprehension(slugs):
    return [requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{ids}") for ids in slugs]


def after_comprehension(slugs):
    kept = [ids for ids in slugs if ids]
    return [requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{s}") for s in kept]


class Client:
    ids = ()

    def get(self, slug):
        return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")


def free(slug):
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")
