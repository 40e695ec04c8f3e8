"""Red-team findings on `migrator translate`: each output is compared whole,
with every report."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import TranslateError, translate

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"js": "s1"},
    "destination_metadata": {"amplitude": "m_amp"},
    "tracking_plans": {"rs_1": ["tp_1"]},
})
CATALOG_ID_CONFLICT = ("gives 'id' the value \"0000000000000000000000ff\", but the id map holds \"m_amp\", the "
                       "Public id, for the destination-metadata 'amplitude' of '{name}': the map's kept, this one "
                       "left out")


def everything(result):
    return [tuple(r) for r in result.reports]


@pytest.mark.parametrize("doc", [
    {"name": "catalog/destinations/amplitude", "display_name": "Amplitude", "id": "0000000000000000000000ff"},
    {"id": "0000000000000000000000ff", "name": "catalog/destinations/amplitude", "display_name": "Amplitude"},
])
def test_a_catalog_destination_id_other_than_the_id_maps_is_a_conflict_and_the_maps_is_kept(doc):
    # The Config `id` was kept silently: the map was read only for an entry without an `id`.
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destinationMetadata": {"slug": "amplitude", "name": "Amplitude", "id": "m_amp"}}}
    assert everything(result) == [
        ("conflict", "id", "catalog-destination.fields", CATALOG_ID_CONFLICT.format(name="name")),
    ]
    listed = translate({"destinations": [doc]}, RULES, IDS)
    assert everything(listed) == [
        ("conflict", "destinations[0].id", "catalog-destination.fields",
         CATALOG_ID_CONFLICT.format(name="destinations[0].name")),
    ]


def test_a_catalog_destination_id_is_kept_when_the_map_agrees_or_lacks_the_slug():
    same = translate({"name": "catalog/destinations/amplitude", "id": "m_amp"}, RULES, IDS)
    assert same.document == {"data": {"destinationMetadata": {"slug": "amplitude", "id": "m_amp"}}}
    assert same.reports == ()
    unmapped = translate({"name": "catalog/destinations/braze", "id": "00ff"}, RULES, IDS)
    assert unmapped.document == {"data": {"destinationMetadata": {"slug": "braze", "id": "00ff"}}}
    assert unmapped.reports == ()
    without = translate({"name": "catalog/destinations/braze"}, RULES, IDS)
    assert without.document == {"data": {"destinationMetadata": {"slug": "braze"}}}
    assert everything(without) == [
        ("unresolved", "name", "catalog-destination.fields",
         "no destination-metadata id for 'braze' (run `migrator ids`)"),
    ]
