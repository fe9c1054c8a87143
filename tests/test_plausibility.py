"""frontera.plausibility: the build check that every crossing, place and record is where its town is."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from frontera.plausibility import check_crossings, check_places, check_records

CRS = "EPSG:4326"
#: A north–south line at lon -92.07, as the border by the Tacaná volcano.
BORDER = LineString([(-92.07, 14.9), (-92.07, 15.3)])
REFERENCE = {"union-juarez-toquian": (15.06135, -92.07324)}


def crossings(lat: float, lon: float, town_km: float = 0.9) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["union-juarez-toquian"], "kind": ["official"], "town_to_line_km": [town_km]},
        geometry=[Point(lon, lat)],
        crs=CRS,
    )


def test_a_crossing_on_the_line_at_its_reference_point_passes():
    assert check_crossings(crossings(15.0614, -92.07), BORDER, REFERENCE) == []


def test_the_union_juarez_near_tenosique_is_caught_with_file_row_field_value_and_fix():
    # The old build: the marker on the line near Tenosique, its town 102 km from the border.
    line = LineString([(-92.07, 14.9), (-92.07, 15.3), (-91.43, 17.25)])
    problems = check_crossings(crossings(17.25084, -91.43978, town_km=102.13), line, REFERENCE)
    assert len(problems) == 2, problems
    assert problems[0].startswith("crossings.geojson row 1 (union-juarez-toquian), field 'geometry': got (17.25084")
    assert "km from its reference point (15.06135, -92.07324)" in problems[0]
    assert "field 'town_to_line_km': got 102.13" in problems[1] and "GeoNames id" in problems[1]


def test_a_crossing_off_the_line_or_without_reference_is_caught():
    off_line = check_crossings(crossings(15.06, -92.10), BORDER, REFERENCE)  # ~3.2 km west of the line
    assert any("km from the border line; expected at most 2.0 km" in p for p in off_line), off_line
    unknown = crossings(15.06, -92.07).assign(id="nowhere")
    assert any("got 'nowhere', which has no reference point" in p for p in check_crossings(unknown, BORDER, REFERENCE))


def test_an_informal_crossing_needs_only_the_line():
    informal = crossings(15.2, -92.07).assign(id="informal", kind="informal", town_to_line_km=None)
    assert check_crossings(informal, BORDER, {}) == []


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["amatenango", "cuilco"],
            "name": ["Amatenango de la Frontera", "Cuilco"],
            "admin1": ["Chiapas", "Huehuetenango"],
        },
        geometry=[Point(-92.11711, 15.43466), Point(-91.96667, 15.4)],
        crs=CRS,
    )


def test_a_place_outside_the_state_it_names_is_caught(places):
    admin1 = gpd.GeoDataFrame(
        {"name": ["Chiapas", "Huehuetenango"]},
        geometry=[box(-94.0, 14.5, -92.05, 18.0), box(-92.05, 15.0, -91.0, 16.0)],
        crs=CRS,
    )
    assert check_places(places, admin1) == []
    valle = places.copy()
    valle.loc[0, "geometry"] = Point(-91.5, 15.5)  # a homonym in the wrong state
    problems = check_places(valle, admin1)
    assert len(problems) == 1 and problems[0].startswith("places.geojson row 1 (amatenango), field 'geometry'")
    assert "outside Chiapas" in problems[0]


def test_a_record_far_from_the_place_it_names_is_caught(places):
    clashes = gpd.GeoDataFrame(
        {
            "id": ["C1", "C9"],
            "title": ["Clashes around Amatenango de la Frontera", "Somewhere unnamed"],
            "place_note": ["", ""],
            "uncertainty_km": [8.0, 1.0],
        },
        geometry=[Point(-92.117, 15.50), Point(-80.0, 10.0)],
        crs=CRS,
    )
    assert check_records(clashes, places, file="clashes.geojson") == []  # 7.3 km, within 8 + 2; C9 names no place
    clashes.loc[0, "geometry"] = Point(-92.43, 16.53)  # Amatenango del Valle, 120 km away
    problems = check_records(clashes, places, file="clashes.geojson")
    assert len(problems) == 1 and problems[0].startswith("clashes.geojson row 1 (C1), field 'geometry'")
    assert "from Amatenango de la Frontera; expected within 10 km" in problems[0]


def test_a_flow_must_start_and_end_at_its_places(places):
    flows = gpd.GeoDataFrame(
        {
            "id": ["F1"],
            "title": ["x"],
            "origin_ids": ["amatenango"],
            "destination_id": ["cuilco"],
            "uncertainty_km": [None],
        },
        geometry=[LineString([(-92.11711, 15.43466), (-91.96667, 15.4)])],
        crs=CRS,
    )
    assert check_records(flows, places, file="flows.geojson") == []
    flows.loc[0, "geometry"] = LineString([(-92.11711, 15.43466), (-91.5, 15.4)])
    problems = check_records(flows, places, file="flows.geojson")
    assert len(problems) == 1 and "got a point at (15.40000, -91.50000)" in problems[0]


def test_details_name_a_plausible_nearest_crossing():
    """What the analyst reads: C3 (Tila, 105 km from the line) no longer names Unión Juárez at 105 km.

    The full record (with the border facts) shows under the map, for the record selected (here by the URL).
    """
    import html

    from locations import ROOT
    from streamlit.testing.v1 import AppTest

    def details(record_id: str) -> str:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update(
            {"start": "2024-06-01", "end": "2024-08-31", "layers": "clashes,crossings", "selected": record_id}
        )
        at.run()
        assert not at.exception, at.exception
        return " ".join(html.unescape(h.proto.body) for h in at.get("html"))

    c3, c1 = details("C3"), details("C1")
    assert "nearest official crossing: El Ceibo \u2013 El Ceibo (153.2 km)" in c3  # C3, Tila
    assert "nearest official crossing: Ciudad Cuauht\u00e9moc \u2013 La Mesilla (28.2 km)" in c1
    assert "Uni\u00f3n Ju\u00e1rez" not in c3 + c1
