"""Every workspace this token can see, with its source count."""

import os

import requests

PLATFORM_API = "https://platform.segmentapis.com/v1beta"


def main():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["SEGMENT_TOKEN"]
    workspaces = session.get(f"{PLATFORM_API}/workspaces").json()["workspaces"]
    for workspace in sorted(workspaces, key=lambda w: w["display_name"]):
        slug = workspace["name"].split("/")[-1]
        print(f"{workspace['display_name']} [{slug}]")
        sources, token = [], ""
        while True:
            page = session.get(f"{PLATFORM_API}/workspaces/{slug}/sources", params={"page_token": token}).json()
            sources += [s["name"].split("/")[-1] for s in page["sources"]]
            token = page["next_page_token"]
            if not token:
                break
        print(f"  {len(sources)} sources: {', '.join(sorted(sources))}")


if __name__ == "__main__":
    main()
