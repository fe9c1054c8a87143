"""frontera.gazetteer: offline place search with states, on tiny fixtures and on the bundled towns."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from frontera.gazetteer import Place, build_gazetteer, find, find_records, fold, search
from frontera.storage import geopackage as store

CRS = "EPSG:4326"


@pytest.fixture
def admin1() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Chiapas", "Huehuetenango"], "iso_3166_2": ["MX-CHP", "GT-HU"], "country": ["MX", "GT"]},
        geometry=[box(-94.2, 14.5, -92.0, 18.0), box(-92.0, 15.0, -91.0, 16.0)],
        crs=CRS,
    )


@pytest.fixture
def towns() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["Amatenango del Valle", "Cuilco", "Tonalá", "Amatenango de la Frontera"],
            "country": ["MX", "GT", "MX", "MX"],
            "population": [4661, 3000, 35000, 1000],
        },
        geometry=[Point(-92.43472, 16.52722), Point(-91.95, 15.41), Point(-93.75588, 16.0887), Point(-92.117, 15.435)],
        crs=CRS,
    )


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["amatenango"], "name": ["Amatenango de la Frontera"], "country": ["MX"], "admin1": ["Chiapas"]},
        geometry=[Point(-92.11711, 15.43466)],
        crs=CRS,
    )


def test_search_lists_both_amatenangos_with_their_state(towns, places, admin1):
    hits = search(build_gazetteer(towns, places, admin1), "Amatenango")
    assert [h.label for h in hits] == [
        "Amatenango de la Frontera — Chiapas, México",
        "Amatenango del Valle — Chiapas, México",
    ]
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
    towns = gpd.GeoDataFrame(
        {"name": ["Orilla", "Lejos"], "country": ["MX", "MX"], "population": [10, 10]},
        geometry=[Point(-94.21, 16.0), Point(-95.5, 16.0)],
        crs=CRS,
    )
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
    gaz = [
        Place("Nuevo Amatenango", "Chiapas", "MX", 15.5, -92.1, 1594),
        Place("Amatenango del Valle", "Chiapas", "MX", 16.5, -92.4, 4661),
        Place("Amatenango de la Frontera", "Chiapas", "MX", 15.4, -92.1, 1000),
    ]
    assert [p.name for p in search(gaz, "amat")] == [
        "Amatenango del Valle",
        "Amatenango de la Frontera",
        "Nuevo Amatenango",
    ]
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


# --- Names analysts use (issue 9): other names, the towns at the crossings, crossings, record ids -------


@pytest.fixture(scope="module")
def bundled():
    sit = store.load_situation(include_user=False)
    return sit, build_gazetteer(sit.towns, sit.places, sit.admin1, sit.crossings)


@pytest.mark.parametrize(
    "query, label",
    [
        ("Frontera Comalapa", "Frontera Comalapa (Comalapa) — Chiapas, México"),
        ("La Mesilla", "La Mesilla — Huehuetenango, Guatemala (at the Ciudad Cuauhtémoc – La Mesilla crossing)"),
        ("gracias a dios", "Gracias a Dios — Huehuetenango, Guatemala (at the Carmen Xhán – Gracias a Dios crossing)"),
        ("Ciudad de Guatemala", "Ciudad de Guatemala (Guatemala City) — Guatemala"),
    ],
)
def test_names_analysts_use_come_first(bundled, query, label):
    assert search(bundled[1], query)[0].label == label


def test_a_crossing_and_the_town_share_a_name(bundled):
    labels = [p.label for p in search(bundled[1], "Tecun Uman")]
    assert labels[:2] == [
        "Ciudad Hidalgo – Ciudad Tecún Umán — official border crossing",
        "Ciudad Tecún Umán — San Marcos, Guatemala",
    ]


def test_the_town_at_a_crossing_is_in_guatemala_at_the_crossing(bundled):
    sit, gaz = bundled
    mesilla = search(gaz, "La Mesilla")[0]
    crossing = sit.crossings.set_index("id").loc["cuauhtemoc-la-mesilla", "geometry"]
    assert (mesilla.country, mesilla.kind, mesilla.id) == ("GT", "border town", "border:cuauhtemoc-la-mesilla")
    assert (mesilla.lat, mesilla.lon) == (crossing.y, crossing.x)
    # Tecún Umán is a GeoNames town: listed once, not again as the town at the crossing.
    assert [p.kind for p in gaz if fold(p.name) == "ciudad tecun uman"] == ["town"]


@pytest.mark.parametrize(
    "query, crossing_id",
    [
        ("Talismán", "talisman-el-carmen"),
        ("Puente Rodolfo Robles", "hidalgo-tecun-uman"),
        ("toquian", "union-juarez-toquian"),
        ("La Técnica", "corozal-bethel"),
        ("Cuilco river", "informal-cuilco-river"),
    ],
)
def test_crossings_are_found_by_their_names(bundled, query, crossing_id):
    hits = [p for p in search(bundled[1], query) if p.kind == "crossing"]
    assert hits and hits[0].id == crossing_id, [p.label for p in search(bundled[1], query)]
    assert hits[0].label.endswith("border crossing")


def test_record_ids_are_found_exact_first_at_their_point(bundled):
    sit = bundled[0]
    (c1,) = find_records(sit.records, "c1")
    assert (c1.id, c1.kind) == ("C1", "record") and c1.label.startswith("C1: Constant confrontations")
    assert (round(c1.lat, 5), round(c1.lon, 5)) == (15.43466, -92.11711)  # Amatenango de la Frontera
    assert [p.id for p in find_records(sit.records, "F")] == ["F1", "F2", "F3", "F4"]
    f2 = find_records(sit.records, "F2")[0]
    assert (round(f2.lat, 3), round(f2.lon, 3)) == (15.4, -91.967)  # a flow is found at its destination
    assert find_records(sit.records, "O2") == []  # a meeting has no place on the map
    assert find_records(sit.records, "C1 x") == [] and find_records(sit.records, "") == []


def test_an_other_name_inside_the_name_is_not_shown_twice(bundled):
    crossing = next(p for p in search(bundled[1], "La Mesilla") if p.kind == "crossing")
    assert crossing.label == "Ciudad Cuauhtémoc – La Mesilla — official border crossing"


def test_find_lists_ids_first_when_the_query_looks_like_one(bundled):
    sit, gaz = bundled
    assert [p.id for p in find(gaz, sit.records, "f2")][:1] == ["F2"]
    kinds = [p.kind for p in find(gaz, sit.records, "c", limit=2000)]  # no digit: places first, then records
    assert kinds[-3:] == ["record"] * 3 and "record" not in kinds[:-3]
    tila = find(gaz, sit.records, "Tila")
    assert tila[0].label == "Tila — Chiapas, México" and all(p.kind != "record" for p in tila)
    assert len(find(gaz, sit.records, "a", limit=5)) == 5


def test_the_mexican_towns_too_small_for_towns_geojson_are_found_by_their_crossing(bundled):
    sit, gaz = bundled
    xhan = search(gaz, "Carmen Xhan")[0]
    assert xhan.label == "Carmen Xhán — Chiapas, México (by the Carmen Xhán – Gracias a Dios crossing)"
    assert (xhan.lat, xhan.lon, xhan.id) == (16.04353, -91.75579, "border:carmen-xhan-gracias-a-dios:mx")  # GeoNames
    assert [p.country for p in search(gaz, "El Ceibo") if p.kind == "border town"] == ["GT", "MX"]
    assert sit.place_names()["border:el-ceibo:mx"] == "El Ceibo"
