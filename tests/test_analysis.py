"""Spatial facts: the checks FACTS.md says any map of this region must pass, computed geodesically."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from frontera.analysis import distance_to_border_km, nearest_crossing, side_of_border
from frontera.storage.geopackage import load_situation


@pytest.fixture(scope="module")
def sit():
    return load_situation(include_user=False)


def pts(*lonlat):
    return gpd.GeoSeries([Point(x, y) for x, y in lonlat], crs="EPSG:4326")


def test_amatenango_in_mexico_half_a_km_from_border(sit):
    p = pts((-92.11711, 15.43466))
    assert side_of_border(p, sit.countries)[0] == "MX"
    assert 0.4 <= distance_to_border_km(p, sit.border_line)[0] <= 0.7


def test_cuilco_in_guatemala_15_to_17_km(sit):
    p = pts((-91.96667, 15.40000))
    assert side_of_border(p, sit.countries)[0] == "GT"
    assert 15 <= distance_to_border_km(p, sit.border_line)[0] <= 17


def test_border_towns_on_the_right_side(sit):
    sides = side_of_border(pts((-92.15195, 14.68018), (-92.14722, 14.96333), (-92.14039, 14.67737)), sit.countries)
    assert list(sides) == ["MX", "MX", "GT"]  # Ciudad Hidalgo, Talismán, Ciudad Tecún Umán


def test_crossing_markers_sit_on_the_border(sit):
    official = sit.crossings[sit.crossings["kind"] == "official"]
    km = distance_to_border_km(official.geometry, sit.border_line)
    assert (km < 0.05).all(), km


def test_distance_is_geodesic_on_a_tiny_fixture():
    line = LineString([(-92.0, 15.0), (-92.0, 16.0)])
    # 0.1 degree of longitude at 15.5 N is 10.73 km on the WGS84 ellipsoid
    assert distance_to_border_km(pts((-91.9, 15.5)), line)[0] == pytest.approx(10.73, abs=0.02)


def test_nearest_crossing_for_amatenango_is_la_mesilla(sit):
    name, km = nearest_crossing(pts((-92.11711, 15.43466)), sit.crossings)
    assert name[0] == "Ciudad Cuauhtémoc – La Mesilla"
    assert 25 < km[0] < 32


def test_empty_geometry_gives_nan(sit):
    s = gpd.GeoSeries([None, Point(-92.11711, 15.43466)], crs="EPSG:4326")
    km = distance_to_border_km(s, sit.border_line)
    assert km[0] != km[0] and km[1] > 0
