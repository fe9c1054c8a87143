"""layers.basemap: land, states and departments, zoom-ranked labels and the credits, from bundled data."""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from frontera import assets
from frontera.layers import basemap
from frontera.storage import geopackage as store


@pytest.fixture(scope="module")
def situation():
    return store.load_situation()


def children_of(m: folium.Map, cls) -> list:
    return [c for c in m._children.values() if isinstance(c, cls)]


def test_town_labels_are_largest_first_without_the_situation_places():
    towns = gpd.GeoDataFrame(
        {
            "name": ["Small", "Big", "Cuilco", "Mazapa"],
            "population": [1500, 150_000, 3000, 2000],
            "min_zoom": [11, 6, 10, 11],
        },
        geometry=[Point(-92.0, 15.0), Point(-92.3, 14.9), Point(-91.94667, 15.40719), Point(-92.18759, 15.3878)],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {"name": ["Cuilco", "Mazapa de Madero"], "always_label": [True, False]},
        geometry=[Point(-91.96667, 15.4), Point(-92.1905, 15.38697)],
        crs="EPSG:4326",
    )
    items = basemap.town_label_items(towns, places)
    assert [i[2] for i in items] == ["Big", "Small"], "Cuilco (same name, 2 km) and Mazapa (300 m) are places"
    assert items[0] == [14.9, -92.3, "Big", 6, basemap.TOWN_MAX_ZOOM, "town", "frontera-bm-label-town-big"]
    assert items[1][3] == 11 and items[1][6] == ""
    labels = basemap.place_label_items(places)
    assert [(i[2], i[3], i[6]) for i in labels] == [
        ("Cuilco", basemap.PLACE_MIN_ZOOM, basemap.AT_PLACE),
        ("Mazapa de Madero", basemap.PLACE_MIN_ZOOM, ""),
    ]


def test_label_items_put_countries_then_states_then_places_then_towns(situation):
    items = basemap.label_items(situation)
    kinds = [i[5] for i in items]
    assert kinds[:3] == ["country"] * 3
    assert kinds[3 : 3 + len(situation.admin1)] == ["admin1"] * len(situation.admin1)
    assert {i[2] for i in items if i[5] == "admin1"} >= {"Chiapas", "Huehuetenango", "San Marcos"}
    n_places = len(situation.places)
    assert [i[2] for i in items[3 + len(situation.admin1) :][:n_places]] == list(situation.places["name"])
    towns = items[3 + len(situation.admin1) + n_places :]
    assert [t[3] for t in towns] == sorted(t[3] for t in towns), "bigger towns (lower min_zoom) come first"
    names = [t[2] for t in items]
    assert "Amatenango del Valle" in names and names.count("Amatenango de la Frontera") == 1
    assert names.count("Cuilco") == 1 and names.count("Tapachula") == 1


def test_add_basemap_draws_land_states_labels_and_credits(situation):
    m = folium.Map(tiles=None)
    assets.configure_map(m)
    basemap.add_basemap(m, situation)
    geojsons = children_of(m, folium.GeoJson)
    assert [g.layer_name for g in geojsons] == ["Land", "States and departments"]
    land, states = geojsons
    assert len(land.data["features"]) == len(situation.countries)
    assert {f["properties"]["name"] for f in states.data["features"]} == set(situation.admin1["name"])
    assert land.style_function(land.data["features"][0])["fillOpacity"] == 1.0
    [labels] = children_of(m, basemap.BasemapLabels)
    assert len(labels.items) == len(basemap.label_items(situation))
    [credit] = children_of(m, basemap.Attribution)
    for who in ("OpenStreetMap", "Natural Earth", "GeoNames", "CC BY 4.0"):
        assert who in credit.text
    html = m.get_root().render()
    assert "../../app/static/frontera/labels.js" in html
    assert assets.external_urls(html) == []
    assert "attributionControl.addAttribution(" in html and "GeoNames" in html


def test_land_lets_configured_tiles_show_through(situation):
    m = folium.Map(tiles=None)
    folium.TileLayer("http://tiles.lan/{z}/{x}/{y}.png", attr="© Office").add_to(m)
    basemap.add_basemap(m, situation)
    land = children_of(m, folium.GeoJson)[0]
    assert land.style_function(land.data["features"][0])["fillOpacity"] < 0.5
