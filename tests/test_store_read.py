"""Reading the store back gives the same records, whatever the geometry types (fast point path or not)."""

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point

from frontera.storage import geopackage as store
from frontera.storage.geopackage import _points_from_wkb


def test_points_decoded_from_wkb_exactly():
    pts = shapely.points(np.array([-92.11711, -91.96667, 0.1]), np.array([15.43466, 15.4, -0.2]))
    decoded = _points_from_wkb(np.array(shapely.to_wkb(pts), dtype=object))
    assert shapely.equals_exact(decoded, pts, tolerance=0).all()


def test_mixed_geometries_fall_back_to_shapely():
    geoms = [Point(-92.1, 15.4), LineString([(-92.1, 15.4), (-91.9, 15.4)])]
    decoded = _points_from_wkb(np.array(shapely.to_wkb(geoms), dtype=object))
    assert [g.geom_type for g in decoded] == ["Point", "LineString"]


def test_store_round_trip_keeps_types_and_values(tmp_path):
    sit = store.load_situation(include_user=False)
    records = {
        "clashes": sit.records["clashes"].assign(dataset="import:T"),
        "flows": sit.records["flows"].assign(dataset="import:T"),
    }
    store.write_user_records(records, tmp_path)
    back = store.read_user_records(tmp_path)
    for layer in ("clashes", "flows"):
        a, b = records[layer].reset_index(drop=True), back[layer]
        assert list(b["id"]) == list(a["id"])
        assert (b["date_start"] == a["date_start"]).all()
        assert b["date_end"].isna().tolist() == a["date_end"].isna().tolist()
        assert (
            b["fatalities"].astype("Float64").fillna(-1).tolist()
            == a["fatalities"].astype("Float64").fillna(-1).tolist()
        )
        assert all(x.equals_exact(y, 1e-9) for x, y in zip(a.geometry, b.geometry))
        assert str(b["date_start"].dtype) == "datetime64[ns]" and str(b["people"].dtype) == "Int64"
    assert isinstance(back["clashes"], gpd.GeoDataFrame) and back["clashes"].crs.to_epsg() == 4326
