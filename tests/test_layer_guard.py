"""Issue 8: a record that cannot be drawn is left off the map and named; the rest of the map is drawn."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, Point, Polygon

from frontera import standalone
from frontera.layers.guard import draw_guarded, split_drawable
from frontera.mapview import build_layers
from frontera.model.dates import DateWindow
from frontera.model.records import LAYERS
from frontera.model.view import View
from frontera.storage import geopackage as store

WIDE = View(DateWindow(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), LAYERS)


@pytest.fixture(scope="module")
def bundled() -> store.Situation:
    return store.load_situation(include_user=False)


def with_bad_flows(bundled: store.Situation) -> store.Situation:
    flows = bundled.records["flows"].copy()
    bad = flows.iloc[[0, 0, 0]].copy()
    bad["id"] = ["BADPOLY", "BADCOLL", "BADNAN"]
    bad["geometry"] = [
        Polygon([(-92.1, 15.4), (-92.0, 15.4), (-92.0, 15.5)]),
        GeometryCollection([Point(-92.1, 15.4), LineString([(-92.1, 15.4), (-91.9, 15.5)])]),
        LineString([(-92.1, float("nan")), (-91.9, 15.5)]),
    ]
    records = {**bundled.records, "flows": type(flows)(__import__("pandas").concat([flows, bad]), crs=flows.crs)}
    return dataclasses.replace(bundled, records=records)


def test_split_drawable_names_each_record_it_cannot_draw(bundled):
    situation = with_bad_flows(bundled)
    drawable, notes = split_drawable(situation.records["flows"], "flows")
    assert sorted(drawable["id"]) == ["F1", "F2", "F3", "F4"]
    assert {n.record_id: n.reason for n in notes} == {
        "BADPOLY": "its geometry is a Polygon, expected LineString or MultiLineString",
        "BADCOLL": "its geometry is a GeometryCollection, expected LineString or MultiLineString",
        "BADNAN": "its coordinates are not numbers (NaN or infinite)",
    }
    assert "'BADPOLY' is not on the map" in notes[0].message() and "import it again" in notes[0].message()


def test_operations_without_a_place_are_not_faults(bundled):
    drawable, notes = split_drawable(bundled.records["operations"], "operations")
    assert notes == [] and len(drawable) == len(bundled.records["operations"])


def test_the_map_draws_everything_else_and_says_what_it_left_off(bundled):
    situation = with_bad_flows(bundled)
    layers = build_layers(situation, WIDE)
    assert sorted(n.record_id for n in layers.undrawn) == ["BADCOLL", "BADNAN", "BADPOLY"]
    page = standalone.standalone_html(situation, WIDE)
    for flow in ("frontera-flow-F1", "frontera-flow-F4", "frontera-clash", "frontera-operation"):
        assert flow in page


def test_a_record_whose_drawing_fails_costs_only_itself(bundled):
    events = bundled.records["clashes"]

    def add(group: list, recs) -> None:
        if "C2" in set(recs["id"]):
            raise NotImplementedError("boom")
        group.extend(recs["id"])

    group, notes = draw_guarded(add, events, "clashes", list)
    assert group == ["C1", "C3"]
    assert [(n.record_id, n.reason) for n in notes] == [("C2", "drawing it failed (NotImplementedError)")]


def test_split_drawable_hands_back_the_frame_itself_when_every_record_draws():
    import geopandas as gpd
    import numpy as np

    n = 200_000
    pts = shapely.points(np.full(n, -92.1), np.full(n, 15.4))
    frame = gpd.GeoDataFrame({"id": np.arange(n).astype(str)}, geometry=pts, crs="EPSG:4326")
    drawable, notes = split_drawable(frame, "clashes")
    assert drawable is frame and notes == []


def test_the_map_page_names_a_stored_record_it_cannot_draw_and_draws_the_rest(bundled):
    from locations import ROOT
    from streamlit.testing.v1 import AppTest

    situation = with_bad_flows(bundled)
    bad = situation.records["flows"][situation.records["flows"]["id"].str.startswith("BAD")]
    store.write_user_records({"flows": bad})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value.replace("\\", "") for w in at.warning)
    for rid in ("BADPOLY", "BADCOLL", "BADNAN"):
        assert f"'{rid}' is not on the map" in warnings
    assert at.get("component_instance"), "the map is still drawn"


def test_export_map_names_the_records_it_leaves_off(bundled, tmp_path, capsys):
    from frontera import cli

    situation = with_bad_flows(bundled)
    store.write_user_records(
        {"flows": situation.records["flows"][situation.records["flows"]["id"].str.startswith("BAD")]}
    )
    out = tmp_path / "map.html"
    assert cli.main(["export-map", "--start", "2024-07-01", "--end", "2024-08-31", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    for rid in ("BADPOLY", "BADCOLL", "BADNAN"):
        assert f"note: flows record '{rid}' is not on the map" in err
    assert "frontera-flow" in out.read_text(encoding="utf-8")
