"""Before provisioning: make sure the catalog still offers what our templates install."""

import os
import urllib.error
import urllib.request

CATALOG = "https://platform.segmentapis.com/v1beta/catalog/"


def available(path):
    request = urllib.request.Request(CATALOG + path, headers={"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def main():
    print("javascript source:", "available" if available("sources/javascript") else "gone")
    print("http-api source:", "available" if available("sources/http-api") else "gone")
    print("amplitude destination:", "available" if available("destinations/amplitude") else "gone")
    print("webhooks destination:", "available" if available("destinations/webhooks") else "gone")


if __name__ == "__main__":
    main()
