"""Exports: GeoPackage (one table per layer), CSV with HXL and formula neutralisation, round trips."""

import datetime as dt
import io

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from import_helpers import import_file, plan_for

from frontera import export
from frontera.model.dates import DateWindow
from frontera.model.records import DEFAULT_LAYERS, RECORD_COLUMNS
from frontera.model.view import View
from frontera.storage import geopackage as store

WIDE = View(DateWindow(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), DEFAULT_LAYERS)


@pytest.fixture
def user_store():
    import_file("acled_current.csv", import_id="A1")
    import_file("acled_legacy_upper.csv", import_id="A2")
    import_file("flows_hxl.csv", import_id="F1")
    return store.load_situation()


def test_csv_neutralises_formulas_and_keeps_numbers():
    frame = gpd.GeoDataFrame(
        {
            "layer": ["clashes"] * 6,
            "title": ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "plain"],
            "people": [1, 2, 3, 4, 5, 6],
        },
        geometry=gpd.points_from_xy([-92.1] * 6, [15.4] * 6),
        crs="EPSG:4326",
    )
    table = pd.read_csv(io.StringIO(export.to_csv(frame)), keep_default_na=False)
    assert list(table["title"]) == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "plain"]
    assert table["lon"].dtype.kind == "f" and table["lon"].iloc[0] == -92.1
    assert table["people"].dtype.kind == "i"


def test_csv_hxl_row(user_store):
    text = export.to_csv(export.export_frame(user_store, WIDE), hxl=True)
    header, tags = (line.split(",") for line in text.splitlines()[:2])
    tag = dict(zip(header, tags))
    assert (tag["date_start"], tag["people"], tag["origin"], tag["destination"], tag["lat"]) == (
        "#date+start",
        "#affected+displaced",
        "#adm2+name+origin",
        "#adm2+name+dest",
        "#geo+lat",
    )


def test_gpkg_has_one_table_per_layer(user_store, tmp_path):
    frame = export.export_frame(user_store, WIDE)
    path = tmp_path / "x.gpkg"
    path.write_bytes(export.to_gpkg_bytes(frame))
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == set(frame["layer"])
    clashes = gpd.read_file(path, layer="clashes")
    assert clashes.crs.to_epsg() == 4326 and set(clashes["id"]) == set(frame.loc[frame["layer"] == "clashes", "id"])


def test_export_names_gazetteer_towns():
    text = "origin,destination,people,date,source\nMotozintla,Cuilco,12,2024-07-20,field report\n"
    import_file("towns.csv", text.encode(), import_id="T")
    frame = export.export_frame(store.load_situation(), WIDE)
    row = frame[frame["id"] == "T:2"].iloc[0]
    assert (row["origin"], row["destination"]) == ("Motozintla", "Cuilco")


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    norm = store.normalize_records(frame)
    out = pd.DataFrame(norm[list(RECORD_COLUMNS)]).drop(columns="dataset")
    out["wkt"] = norm.geometry.to_wkt(rounding_precision=6).to_numpy()
    return out.sort_values("id").reset_index(drop=True)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "csv-hxl", "gpkg"])
def test_import_of_an_export_gives_back_the_same_records(user_store, fmt):
    frame = export.export_frame(user_store, WIDE)
    data = {
        "geojson": lambda: export.to_geojson(frame).encode(),
        "csv": lambda: export.to_csv(frame).encode(),
        "csv-hxl": lambda: export.to_csv(frame, hxl=True).encode(),
        "gpkg": lambda: export.to_gpkg_bytes(frame),
    }[fmt]()
    mine = pd.concat(list(store.read_user_records().values()), ignore_index=True)
    assert mine["summary"].str.contains("<script>").any()  # text with markup survives every format
    plan = plan_for(f"export.{fmt.split('-')[0]}", data, import_id="RT", existing={})
    assert plan.rejected == []
    assert any("bundled records" in n for n in plan.parsed.notes)  # bundled rows are not imported twice
    got = comparable(plan.records)
    want = comparable(gpd.GeoDataFrame(mine, geometry="geometry", crs="EPSG:4326"))
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert set(plan.records["dataset"]) == {"import:RT"}


def test_round_trip_keeps_text_that_looks_like_a_formula():
    geojson = b"""{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point",
      "coordinates": [-92.1, 15.4]}, "properties": {"layer": "clashes", "id": "X1", "title": "=cmd|' /C calc'!A0",
      "date_start": "2024-07-01", "date_precision": "day", "geo_precision": "town", "source_ids": "-me"}}]}"""
    import_file("f.geojson", geojson, import_id="G")
    frame = export.export_frame(store.load_situation(), WIDE)
    csv_text = export.to_csv(frame)
    assert "'=cmd" in csv_text
    back = plan_for("back.csv", csv_text.encode(), import_id="H", existing={}).records.set_index("id")
    assert back.loc["X1", "title"] == "=cmd|' /C calc'!A0" and back.loc["X1", "source_ids"] == "-me"
