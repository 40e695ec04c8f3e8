"""Count enabled destinations of every source concurrently with httpx.AsyncClient."""

import asyncio
import os

import httpx

CONFIG_API = "https://platform.segmentapis.com/v1beta/"
WORKSPACE = "acme"


async def sources(client):
    found, token = [], ""
    while True:
        resp = await client.get(f"workspaces/{WORKSPACE}/sources", params={"page_size": 2, "page_token": token})
        resp.raise_for_status()
        body = resp.json()
        found += [s["name"].split("/")[-1] for s in body["sources"]]
        token = body["next_page_token"]
        if not token:
            return found


async def enabled_destinations(client, slug):
    resp = await client.get(f"workspaces/{WORKSPACE}/sources/{slug}/destinations", params={"page_size": 10})
    resp.raise_for_status()
    return slug, sum(1 for d in resp.json()["destinations"] if d["enabled"])


async def main():
    headers = {"Authorization": f"Bearer {os.environ['SEGMENT_TOKEN']}"}
    async with httpx.AsyncClient(base_url=CONFIG_API, headers=headers) as client:
        slugs = await sources(client)
        counts = await asyncio.gather(*(enabled_destinations(client, s) for s in slugs))
    for slug, count in sorted(counts):
        print(f"{slug}: {count} enabled")


if __name__ == "__main__":
    asyncio.run(main())
