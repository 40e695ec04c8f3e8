"""Enable-with-Segment app: refresh the install token with the app's client credentials."""

import base64
import json
import os
import urllib.request

PLATFORM = "https://platform.segmentapis.com"
INSTALL = "install/10"


def refresh_install_token():
    credentials = "%s:%s" % (os.environ["SEGMENT_CLIENT_ID"], os.environ["SEGMENT_CLIENT_SECRET"])
    basic = base64.b64encode(credentials.encode()).decode()
    request = urllib.request.Request(PLATFORM + "/v1beta/" + INSTALL + "/token", headers={"Authorization": "Basic " + basic})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def main():
    grant = refresh_install_token()
    print("scope:", grant["scope"], "expires in", grant["expires_in"], "s")
    print("workspaces:", ", ".join(grant["workspace_names"]))
    request = urllib.request.Request(
        PLATFORM + "/v1beta/workspaces/acme", headers={"Authorization": "Bearer " + grant["access_token"]}
    )
    with urllib.request.urlopen(request) as response:
        print("installed in:", json.load(response)["display_name"])


if __name__ == "__main__":
    main()
