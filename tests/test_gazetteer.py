"""frontera.gazetteer: offline place search with states, on tiny fixtures and on the bundled towns."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from frontera import store
from frontera.gazetteer import Place, build_gazetteer, search

CRS = "EPSG:4326"


@pytest.fixture
def admin1() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Chiapas", "Huehuetenango"], "iso_3166_2": ["MX-CHP", "GT-HU"], "country": ["MX", "GT"]},
        geometry=[box(-94.2, 14.5, -92.0, 18.0), box(-92.0, 15.0, -91.0, 16.0)], crs=CRS)


@pytest.fixture
def towns() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Amatenango del Valle", "Cuilco", "Tonalá", "Amatenango de la Frontera"],
         "country": ["MX", "GT", "MX", "MX"], "population": [4661, 3000, 35000, 1000]},
        geometry=[Point(-92.43472, 16.52722), Point(-91.95, 15.41), Point(-93.75588, 16.0887),
                  Point(-92.117, 15.435)], crs=CRS)


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["amatenango"], "name": ["Amatenango de la Frontera"], "country": ["MX"], "admin1": ["Chiapas"]},
        geometry=[Point(-92.11711, 15.43466)], crs=CRS)


def test_search_lists_both_amatenangos_with_their_state(towns, places, admin1):
    hits = search(build_gazetteer(towns, places, admin1), "Amatenango")
    assert [h.label for h in hits] == ["Amatenango de la Frontera — Chiapas, México",
                                       "Amatenango del Valle — Chiapas, México"]
    assert (hits[0].lat, hits[0].lon) == (15.43466, -92.11711)
    assert hits[0].kind == "place"


def test_a_town_that_is_a_situation_place_is_listed_once(towns, places, admin1):
    names = [p.name for p in build_gazetteer(towns, places, admin1)]
    assert names.count("Amatenango de la Frontera") == 1


def test_state_comes_from_the_polygon_the_town_lies_in(towns, admin1):
    gaz = {p.name: p for p in build_gazetteer(towns, None, admin1)}
    assert (gaz["Cuilco"].state, gaz["Cuilco"].iso_3166_2) == ("Huehuetenango", "GT-HU")
    assert gaz["Cuilco"].label == "Cuilco — Huehuetenango, Guatemala"


def test_town_just_outside_a_simplified_outline_takes_the_nearest_state_of_its_country(admin1):
    towns = gpd.GeoDataFrame({"name": ["Orilla", "Lejos"], "country": ["MX", "MX"], "population": [10, 10]},
                             geometry=[Point(-94.21, 16.0), Point(-95.5, 16.0)], crs=CRS)
    gaz = {p.name: p for p in build_gazetteer(towns, None, admin1)}
    assert gaz["Orilla"].state == "Chiapas"  # ~1 km outside the box
    assert gaz["Lejos"].state == "" and gaz["Lejos"].label == "Lejos — México"


def test_search_ignores_accents_and_case_and_needs_every_word(towns, admin1):
    gaz = build_gazetteer(towns, None, admin1)
    assert [p.name for p in search(gaz, "TONALA")] == ["Tonalá"]
    assert [p.name for p in search(gaz, "amatenango valle")] == ["Amatenango del Valle"]
    assert search(gaz, "   ") == []
    assert search(gaz, "Tapachula") == []


def test_prefix_matches_rank_first_then_population():
    gaz = [Place("Nuevo Amatenango", "Chiapas", "MX", 15.5, -92.1, 1594),
           Place("Amatenango del Valle", "Chiapas", "MX", 16.5, -92.4, 4661),
           Place("Amatenango de la Frontera", "Chiapas", "MX", 15.4, -92.1, 1000)]
    assert [p.name for p in search(gaz, "amat")] == ["Amatenango del Valle", "Amatenango de la Frontera",
                                                     "Nuevo Amatenango"]
    assert len(search(gaz, "amat", limit=1)) == 1


def test_bundled_gazetteer_finds_both_amatenangos_in_chiapas():
    sit = store.load_situation()
    hits = search(build_gazetteer(sit.towns, sit.places, sit.admin1), "Amatenango")
    labels = [h.label for h in hits]
    assert labels[:2] == ["Amatenango de la Frontera — Chiapas, México", "Amatenango del Valle — Chiapas, México"]
    valle = hits[1]
    assert (round(valle.lat, 3), round(valle.lon, 3)) == (16.527, -92.435)  # 120 km from the border town


def test_gazetteer_imports_no_streamlit():
    code = "import sys, frontera.gazetteer; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
