"""Required Public fields of catalog entries that the Config data has no value
for are not made up: the translation reports them `missing`, once per
document and kind (not once per field and entry), naming them all
(`ResourceRow.response_required`)."""

from __future__ import annotations

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate

IDS = IdMap.model_validate({"destination_metadata": {"google-analytics": "60b5d0a01f3726b85dc05aab"},
                            "source_metadata": {"javascript": "IqDTy1TpoU", "ios": "9TiSzbWtiu"}})


def missing(result) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(r.path, r.rule, r.message) for r in result.reports if r.kind == "missing"]


def test_a_catalog_destination_reports_the_required_fields_it_lacks_once() -> None:
    doc = {"name": "catalog/destinations/google-analytics", "display_name": "Google Analytics", "description": "d",
           "components": [{"type": "BROWSER"}, {"type": "SERVER"}]}
    result = translate(doc, load_rules(), IDS, endpoint="GET /v1beta/catalog/destinations/google-analytics")
    assert result.document == {"data": {"destinationMetadata": {
        "slug": "google-analytics", "name": "Google Analytics", "description": "d",
        "components": [{"type": "BROWSER"}, {"type": "SERVER"}], "id": "60b5d0a01f3726b85dc05aab"}}}
    assert missing(result) == [
        ("", "catalog-destination.fields",
         "a Public catalog-destination requires `actions`, `categories`, `logos`, `options`, `presets`, "
         "`previousNames`, `status`, `supportedFeatures`, `supportedMethods`, `supportedPlatforms`, `website`: "
         "this one lacks them (nothing the Config data holds was translated to them) and none is made up (no Config field gives "
         "`actions`, `options`, `presets`); read them from the Public API where code needs them"),
        ("components", "catalog-component.fields",
         "a Public catalog-component requires `code`: 2 of these 2 lack it (nothing the Config data holds was translated to it) and "
         "none is made up; read it from the Public API where code needs it"),
    ]


def test_a_catalog_source_list_reports_once_for_all_its_entries() -> None:
    doc = {"sources": [{"name": "catalog/sources/javascript", "display_name": "JS", "description": "d",
                        "categories": ["Website"], "logos": {"default": "https://x/l.svg"}},
                       {"name": "catalog/sources/ios", "display_name": "iOS"}], "next_page_token": ""}
    result = translate(doc, load_rules(), IDS, endpoint="GET /v1beta/catalog/sources")
    assert missing(result) == [
        ("sources", "catalog-source.fields",
         "a Public catalog-source requires `categories`, `description`, `isCloudEventSource`, `logos`, `options`: "
         "2 of these 2 lack them (nothing the Config data holds was translated to them) and none is made up (no Config field gives "
         "`isCloudEventSource`, `options`); read them from the Public API where code needs them"),
    ]


def test_an_entry_holding_every_required_field_reports_none() -> None:
    public = {"id": "IqDTy1TpoU", "slug": "javascript", "name": "JS", "description": "d", "categories": [],
              "logos": {"default": "https://x/l.svg"}, "options": [], "isCloudEventSource": False}
    result = translate({"data": {"sourceMetadata": public}}, load_rules(), IDS,
                       endpoint="GET /v1beta/catalog/sources/javascript")
    assert missing(result) == []
