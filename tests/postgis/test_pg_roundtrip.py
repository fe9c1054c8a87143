"""What goes into the PostGIS store comes back the same: every layer (lines, areas, points), every column,
missing values, hostile text (quotes, SQL, Jinja, control characters: data is never SQL), geometry exactly."""

from __future__ import annotations

import pandas as pd
from import_helpers import situation
from test_payload_round_trips import WIDE, hostile_records

from frontera import export
from frontera.importers import prepare_import
from frontera.model.records import TIME_LAYERS
from frontera.storage import geopackage


def _frame_of(records) -> pd.DataFrame:
    frames = [f for f in records.values() if len(f)]
    out = pd.concat(frames, ignore_index=True).sort_values("id").reset_index(drop=True)
    return out


def test_records_read_back_exactly_as_written(postgis_store, tmp_path, monkeypatch):
    bundled = situation()
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(tmp_path / "gpkg"))
    geopackage.write_user_records(hostile_records(bundled))  # hostile copies of every bundled record
    frame = export.export_frame(geopackage.load_situation(), WIDE)
    data = export.to_geojson(frame[frame["id"].str.startswith("X")]).encode("utf-8")
    plan = prepare_import("hostile.geojson", data, bundled, postgis_store.read_records(with_timestamps=True))
    assert plan.rejected == [] and len(plan.to_write) >= 10
    assert set(plan.to_write["layer"]) == set(TIME_LAYERS)
    entry = postgis_store.commit_import(plan.again, data)
    assert entry["added"] == len(plan.to_write) and entry["written"]
    got = _frame_of(postgis_store.read_records())
    want = _frame_of({"all": plan.to_write.drop(columns=["source_timestamp"], errors="ignore")})
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")), pd.DataFrame(want.drop(columns="geometry")), check_dtype=True
    )
    assert got.geometry.geom_equals_exact(want.geometry, 0).all()
    assert sorted(got.geom_type.unique()) == sorted(want.geom_type.unique())
    assert {"LineString", "Point", "Polygon"} <= set(got.geom_type)
