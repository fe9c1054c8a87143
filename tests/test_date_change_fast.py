"""A date change at scale takes the fast paths: they must give exactly what the plain ones gave.

Each fast path (the window's mask in numpy, the selection by positions, the legend's kinds counted per
distinct value, one guard split per frame, the data's span without copies) is compared here with the
plain computation it replaced, written out in the test: windows at the edges, ongoing records, records
without a start, times of day, other datetime units, windows numpy cannot hold, focus filters, and an
empty window.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import weakref

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from apptest_helpers import run

from frontera.filters import in_focus, in_window, visible_records
from frontera.layers import guard
from frontera.layers.fast.codec import lon_lat
from frontera.layers.fast.schema import TEXT_FIELDS
from frontera.layers.legend import _present
from frontera.layers.points import all_points, point_xy
from frontera.model.dates import DateWindow, data_span, overlaps
from frontera.model.focus import Focus
from frontera.model.view import View
from frontera.storage.geopackage import load_situation
from frontera.trend import SHADE, STRETCH, trend_frame

D = dt.date


def plain_overlaps(date_start: pd.Series, date_end: pd.Series, window: DateWindow) -> np.ndarray:
    """The rule as pandas computed it before (the reference)."""
    start, end = pd.to_datetime(date_start), pd.to_datetime(date_end)
    before_end = (start <= pd.Timestamp(window.end)).to_numpy(dtype=bool, na_value=False)
    after_start = (end.isna() | (end >= pd.Timestamp(window.start))).to_numpy(dtype=bool, na_value=True)
    return before_end & after_start


def dated(n: int, unit: str, seed: int = 3) -> tuple[pd.Series, pd.Series]:
    """``n`` records over 2023-2024: some without a start, some ongoing (no end), some with a time of day."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01", "D") + rng.integers(0, 730, n).astype("timedelta64[D]")
    start = start.astype(f"datetime64[{unit}]") + np.where(rng.random(n) < 0.2, 10, 0).astype("timedelta64[h]")
    end = start + rng.integers(0, 40, n).astype("timedelta64[D]")
    start[rng.random(n) < 0.05] = np.datetime64("NaT")
    end[rng.random(n) < 0.15] = np.datetime64("NaT")
    return pd.Series(start), pd.Series(end)


WINDOWS = [
    DateWindow(D(2023, 1, 1), D(2023, 12, 31)),
    DateWindow(D(2023, 6, 15), D(2023, 6, 15)),  # one day
    DateWindow(D(2024, 12, 31), D(2026, 1, 1)),  # the data's last days and after
    DateWindow(D(1990, 1, 1), D(2022, 12, 31)),  # before the data: only nothing
    DateWindow(D(1, 1, 1), D(9999, 12, 31)),  # beyond what datetime64[ns] holds: the plain path answers
    DateWindow(D(1, 1, 1), D(2023, 3, 1)),
]


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_the_window_mask_in_numpy_is_the_plain_rule(unit, window):
    start, end = dated(5_000, unit)
    got = overlaps(start, end, window)
    assert got.dtype == bool
    np.testing.assert_array_equal(got, plain_overlaps(start, end, window))


def test_the_window_edges_ongoing_records_and_missing_starts():
    start = pd.Series(
        pd.to_datetime(["2024-07-23", "2024-06-01", None, "2024-07-01 10:00", "2024-07-22"], format="ISO8601")
    )
    end = pd.Series(
        pd.to_datetime(["2024-08-02", None, "2024-07-10", "2024-07-01 10:00", "2024-07-22"], format="ISO8601")
    )
    window = DateWindow(D(2024, 7, 1), D(2024, 7, 22))
    # Starts after the window / ongoing since before it / no start / that day, after midnight / ends on its last day.
    assert overlaps(start, end, window).tolist() == [False, True, False, True, True]
    assert overlaps(start, end, window).tolist() == plain_overlaps(start, end, window).tolist()
    # A start at 10:00 on the window's last day is after the window's end (midnight), as before.
    late = pd.Series(pd.to_datetime(["2024-07-22 10:00"]))
    assert overlaps(late, pd.Series([pd.NaT]), window).tolist() == [False]


def test_dates_as_text_still_take_the_plain_path():
    start, end = pd.Series(["2024-07-23", "2024-06-01"]), pd.Series(["2024-08-02", None])
    window = DateWindow(D(2024, 7, 1), D(2024, 7, 22))
    assert overlaps(start, end, window).tolist() == [False, True]


def records(n: int = 3_000) -> gpd.GeoDataFrame:
    start, end = dated(n, "ns", seed=11)
    rng = np.random.default_rng(5)
    geometry = shapely.points(rng.uniform(-92.5, -91.5, n), rng.uniform(15, 16, n))
    return gpd.GeoDataFrame(
        {
            "id": pd.Series([f"C{i}" for i in range(n)], dtype="str"),
            "date_start": start,
            "date_end": end,
            "kind": pd.Series(rng.choice(["armed clash", "attack", "", None], n), dtype="str"),
            "fatalities": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 5, n)), dtype="Int64"),
        },
        geometry=geometry,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("window", [*WINDOWS, DateWindow(D(2030, 1, 1), D(2030, 1, 2))], ids=str)
def test_the_selection_by_positions_is_the_boolean_selection(window):
    recs = records()
    got = in_window(recs, window)
    want = recs[plain_overlaps(recs["date_start"], recs["date_end"], window)]
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == recs.crs
    pd.testing.assert_frame_equal(got, want)  # same rows, order, index labels, columns and dtypes
    assert (got is recs) == (len(got) == len(recs))  # every record shown: the stored frame itself, not a copy


def test_the_views_records_with_focus_filters_are_those_of_the_plain_filters():
    sit = load_situation(include_user=False)
    window = DateWindow(D(2024, 7, 1), D(2024, 7, 31))
    for focus in (Focus(), Focus(min_fatalities=1), Focus(kinds=("armed clash",)), Focus(date_precisions=("day",))):
        view = View(window=window, layers=("clashes", "incidents", "flows", "operations"), focus=focus)
        got = visible_records(sit, view)
        for layer, recs in got.items():
            plain = sit.records[layer]
            plain = plain[plain_overlaps(plain["date_start"], plain["date_end"], window)]
            pd.testing.assert_frame_equal(recs, in_focus(plain, focus))


def counted_one_by_one(values) -> list[str]:
    """The legend's distinct non-empty values, most frequent first, as the loop over every value gave them."""
    counts: dict[str, int] = {}
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "":
            continue
        counts[str(v)] = counts.get(str(v), 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["b", "a", "b", None, "", "a", "c"], dtype="str"),  # a tie between a and b: first seen first
        pd.Series(["x", np.nan, "y", "y", None, "x", "z"], dtype=object),
        pd.Series([1, "1", 2.0, None], dtype=object),  # values whose text is the same are one row
        pd.Series([], dtype="str"),
        pd.Series(np.random.default_rng(2).choice(["attack", "armed clash", "riot", ""], 10_000), dtype="str"),
    ],
)
def test_the_legends_kinds_are_counted_as_one_by_one(values):
    assert _present(values) == counted_one_by_one(values)


def with_a_bad_record() -> gpd.GeoDataFrame:
    recs = records(50)
    recs.loc[7, "geometry"] = shapely.LineString([(0, 0), (1, 1)])
    recs.loc[9, "geometry"] = shapely.Point(np.nan, 1)
    return recs


def test_a_frame_split_twice_gives_the_same_records_and_notes_each_time():
    recs = with_a_bad_record()
    first, notes = guard.split_drawable(recs, "clashes")
    notes.append("changed by a caller")  # a caller's list is its own
    again, notes_again = guard.split_drawable(recs, "clashes")
    assert [n.record_id for n in notes_again] == ["C7", "C9"]
    pd.testing.assert_frame_equal(first, again)
    assert list(again["id"]) == [f"C{i}" for i in range(50) if i not in (7, 9)]
    good = records(50)
    kept, none = guard.split_drawable(good, "clashes")
    assert kept is good and none == []


def test_a_kept_split_keeps_no_frame_alive_and_a_new_frame_is_split_anew():
    recs = with_a_bad_record()
    guard.split_drawable(recs, "clashes")
    lon_lat(recs)  # its points kept too
    ref = weakref.ref(recs)
    del recs
    gc.collect()
    assert ref() is None
    fresh = records(50)  # may well get the same id as the frame just freed
    kept, notes = guard.split_drawable(fresh, "clashes")
    assert notes == [] and kept is fresh


def test_the_data_span_skips_blanks_as_before():
    start, end = dated(1_000, "ns")
    frames = [pd.DataFrame({"date_start": start, "date_end": end}), pd.DataFrame({"date_start": [pd.NaT]})]
    days = pd.concat([start.dropna(), end.dropna()])
    assert data_span(frames) == DateWindow(days.min().date(), days.max().date())
    assert data_span([pd.DataFrame({"date_start": [pd.NaT], "date_end": [pd.NaT]})], today=D(2026, 1, 2)) == (
        DateWindow(D(2026, 1, 2), D(2026, 1, 2))
    )


def trend_data(at) -> pd.DataFrame:
    """The trend's weekly rows as the page sent them (the chart's dataset with a ``measure``; the shade is apart)."""
    chart = next(c for c in at.get("vega_lite_chart") if STRETCH in c.proto.spec)
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return next(f for f in frames if "measure" in f).reset_index(drop=True)


def test_the_trend_kept_across_a_date_change_follows_the_focus_and_the_layers():
    at = run()
    before = trend_data(at)
    at.date_input(key="dates").set_value((D(2024, 7, 1), D(2024, 7, 31))).run()
    assert not at.exception, at.exception
    pd.testing.assert_frame_equal(trend_data(at), before)  # the weeks cover the whole data: the dates move the shade
    chart = next(c for c in at.get("vega_lite_chart") if STRETCH in c.proto.spec)
    shade = next(d for d in chart.proto.datasets if d.name == SHADE)
    assert pa.ipc.open_stream(shade.data.data).read_pandas().to_dict("records") == [
        {"day": "2024-07-01", "end": "2024-07-31"}
    ]
    at.number_input(key="focus_min_fatalities").set_value(1).run()
    focused = trend_data(at)
    events = focused["measure"] == "Events"
    assert 0 < focused.loc[events, "value"].sum() < before.loc[before["measure"] == "Events", "value"].sum()
    sit = load_situation(include_user=False)
    layers = ["clashes", "incidents"]  # the opening view's event layers (flows are reports, not events)
    assert at.checkbox(key="layer_clashes").value and at.checkbox(key="layer_incidents").value
    weekly = trend_frame({name: in_focus(sit.records[name], Focus(min_fatalities=1)) for name in layers})
    assert int(focused.loc[events, "value"].sum()) == int(weekly.loc[weekly["measure"] == "Events", "value"].sum())
    at.checkbox(key="layer_clashes").uncheck().run()
    fewer = trend_data(at)
    assert fewer.loc[fewer["measure"] == "Events", "value"].sum() < focused.loc[events, "value"].sum()


def test_the_points_coordinates_read_once_are_those_of_each_geometry():
    geometry = [
        shapely.Point(-92.1, 15.4),
        None,
        shapely.Point(),  # empty: shapely cannot read its x
        shapely.LineString([(-92.0, 15.0), (-91.0, 15.0)]),
        shapely.Point(np.nan, 15.0),
    ]
    frame = gpd.GeoDataFrame({"id": list("abcde")}, geometry=geometry, crs="EPSG:4326")
    x, y = point_xy(frame)
    np.testing.assert_array_equal(x, [-92.1, np.nan, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(y, [15.4, np.nan, np.nan, np.nan, 15.0])
    assert point_xy(frame)[0] is x and not x.flags.writeable  # kept for the frame, shared read-only
    assert not all_points(frame) and all_points(frame.iloc[[0]])
    geoms = np.asarray(frame.geometry.values, dtype=object)
    some = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)  # as lon_lat read them before, one by one
    want = np.full(len(frame), np.nan)
    want[some] = [g.x if g.geom_type == "Point" and np.isfinite(g.x) else g.point_on_surface().x for g in geoms[some]]
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(lon_lat(frame)[0], want)  # the line's point on its surface, as before
    assert np.isnan(x[3])  # the shared array is not changed by lon_lat
    drawn, notes = guard.split_drawable(frame, "clashes")
    assert [n.record_id for n in notes] == ["d", "e"] and list(drawn["id"]) == ["a", "b", "c"]


def test_a_selection_takes_its_points_from_the_whole_layers_read_once():
    from dataclasses import replace

    from frontera.ui.prepared import remember_selection

    whole = records(3_000)
    sit = replace(load_situation(include_user=False), records={"clashes": whole})
    chosen = in_window(whole, DateWindow(D(2023, 3, 1), D(2023, 9, 30)))
    focused = in_focus(chosen, Focus(min_fatalities=2))
    # Not selected from this layer: the same labels, other records (other places).
    stranger = gpd.GeoDataFrame(chosen.drop(columns="geometry"), geometry=shapely.points(np.zeros((len(chosen), 2))))
    remember_selection(("test", "store", 1), sit, {"clashes": chosen})
    remember_selection(("test", "store", 1), sit, {"clashes": focused})
    remember_selection(("test", "store", 1), sit, {"clashes": stranger})
    for frame in (chosen, focused, stranger):
        x, y = point_xy(frame)
        np.testing.assert_array_equal(x, shapely.get_x(np.asarray(frame.geometry.values)))
        np.testing.assert_array_equal(y, shapely.get_y(np.asarray(frame.geometry.values)))


def events(n: int = 6_000) -> gpd.GeoDataFrame:
    """Clashes with every column the payload reads: blanks, a value holding the table separator, no place."""
    rng = np.random.default_rng(17)
    frame = records(n)
    texts = {
        "layer": ["clashes"],
        "title": ["Clash at A", "Attack near B", "", None],
        "actors": ["Army; Cartel", "Police", None, "Gang\x1fsplit"],
        "source_ids": ["S1", "S1;S2", ""],
        "date_precision": ["day", "week", "month"],
        "date_note": ["", None, "reported late"],
        "geo_precision": ["town", "municipality", "exact"],
        "place_note": ["Amatenango", "", "near the river"],
        "dataset": ["bundled", "import:7"],
    }
    for name, values in texts.items():
        frame[name] = pd.Series(rng.choice(np.array(values, dtype=object), n), dtype="str")
    frame["injured"] = pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(0, 3, n)), dtype="Int64")
    frame["uncertainty_km"] = np.where(rng.random(n) < 0.5, np.nan, rng.uniform(0, 30, n))
    frame.loc[[5, 17], "geometry"] = None  # no place: left out of the payload
    return frame


@pytest.mark.parametrize(
    ("window", "focus"),
    [
        (DateWindow(D(2023, 1, 1), D(2023, 12, 31)), Focus()),
        (DateWindow(D(2023, 1, 1), D(2023, 1, 1)), Focus()),  # one day, with the records still going on
        (DateWindow(D(2024, 1, 1), D(2024, 6, 30)), Focus(kinds=("attack",))),
        (DateWindow(D(1990, 1, 1), D(2030, 12, 31)), Focus(min_fatalities=1)),
        (DateWindow(D(2030, 1, 1), D(2030, 1, 2)), Focus()),  # nothing in it
    ],
    ids=str,
)
def test_the_payload_from_the_layers_coded_columns_is_the_plain_payload(window, focus):
    from dataclasses import replace

    from frontera.layers.fast import codec
    from frontera.layers.fast.codec import encode_events
    from frontera.ui.prepared import remember_selection

    whole = events()
    sit = replace(load_situation(include_user=False), records={"clashes": whole})
    chosen = in_focus(in_window(whole, window), focus)
    plain = encode_events(chosen.copy(), sit.sources)  # another frame: nothing kept for it
    remember_selection(("test", "payload", str(window), str(focus)), sit, {"clashes": chosen})
    coded = codec._TEXTS.get(chosen) or {}
    assert (set(coded) == set(TEXT_FIELDS)) == (len(chosen) > 2_000)  # coded beforehand: large selections only
    assert encode_events(chosen, sit.sources) == plain  # header (counts, tables, hash) and data, byte for byte
    assert plain["header"]["n"] == int(chosen.geometry.notna().sum())


def test_a_window_that_holds_every_record_shows_the_stored_frame_itself():
    recs = records(500)
    recs = recs[recs["date_start"].notna()]  # a record without a start is never shown
    whole = DateWindow(D(2000, 1, 1), D(2100, 1, 1))
    assert in_window(recs, whole) is recs  # no copy of 1,000,000 records at all dates
    narrower = DateWindow(D(2023, 1, 1), D(2023, 12, 31))
    pd.testing.assert_frame_equal(
        in_window(recs, narrower), recs[plain_overlaps(recs["date_start"], recs["date_end"], narrower)]
    )
