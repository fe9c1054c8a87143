"""Situation (frontera.model.situation): a frozen aggregate of the loaded layers."""

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from frontera.model.situation import Situation

CRS = "EPSG:4326"


def _situation() -> Situation:
    places = gpd.GeoDataFrame({"id": ["p1"], "name": ["Tapachula"]}, geometry=[Point(-92.26, 14.9)], crs=CRS)
    empty = gpd.GeoDataFrame(geometry=[], crs=CRS)
    border = gpd.GeoDataFrame(geometry=[LineString([(-92.2, 14.5), (-91.0, 17.8)])], crs=CRS)
    return Situation(
        records={"clashes": empty},
        places=places,
        crossings=gpd.GeoDataFrame({"id": []}, geometry=[], crs=CRS),
        border=border,
        countries=empty,
        admin1=empty,
        towns=empty,
        sources=pd.DataFrame({"id": ["acled"]}),
    )


def test_a_situation_cannot_be_changed_in_place():
    sit = _situation()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sit.records = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sit.places = sit.places.iloc[:0]  # type: ignore[misc]


def test_a_changed_situation_is_a_new_one_and_the_old_one_stays():
    sit = _situation()
    more = {"clashes": sit.records["clashes"], "flows": sit.records["clashes"]}
    changed = dataclasses.replace(sit, records=more)
    assert set(changed.records) == {"clashes", "flows"} and set(sit.records) == {"clashes"}
    assert changed.places is sit.places and changed.place_names() == {"p1": "Tapachula"}
    assert changed.border_line.equals(sit.border_line)
