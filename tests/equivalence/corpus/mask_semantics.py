"""update_mask semantics: unmasked data is ignored, a masked path without a value clears."""

import os

import requests

API_ROOT = "https://platform.segmentapis.com/v1beta/"
MIXPANEL = API_ROOT + "workspaces/acme/sources/ios-app/destinations/mixpanel"

session = requests.Session()
session.headers.update({"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]})


def describe(dest):
    return "name=%r enabled=%s" % (dest["display_name"], dest["enabled"])


def main():
    print("start:  ", describe(session.get(MIXPANEL).json()))

    only_enabled = {
        "destination": {"display_name": "Not Applied", "enabled": False},
        "update_mask": {"paths": ["destination.enabled"]},
    }
    print("masked: ", describe(session.patch(MIXPANEL, json=only_enabled).json()))

    clear_name = {"destination": {}, "update_mask": {"paths": ["destination.display_name"]}}
    print("cleared:", describe(session.patch(MIXPANEL, json=clear_name).json()))
    print("final:  ", describe(session.get(MIXPANEL).json()))


if __name__ == "__main__":
    main()
