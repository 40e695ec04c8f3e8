"""`import helpers` is a module of the project, not the generated lookup
module of that name: nothing is looked up through it."""

import helpers
import requests


def source(slug):
    helpers.log(slug)
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the source in `slug`, but here `helpers`, the name of the generated lookup module, is another module whose `helpers.log` the code reads, imported on line 4: rename it, or rewrite with another `--lookup-module`
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()


def plan(plan_id):
    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/tracking-plans/{plan}` needs the Public id of the tracking-plan in `plan_id`, but here `helpers`, the name of the generated lookup module, is another module whose `helpers.log` the code reads, imported on line 4: rename it, or rewrite with another `--lookup-module`
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/{plan_id}").json()
