"""`import helpers` is a module of the project, not the generated lookup
module of that name: nothing is looked up through it."""

import helpers
import requests


def source(slug):
    helpers.log(slug)
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()


def plan(plan_id):
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/{plan_id}").json()
