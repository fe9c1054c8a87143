"""The trend beside the map: weekly counts, displacement per report (never summed), the stretch's dates."""

import datetime as dt
import json
import re

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from frontera.model.dates import DateWindow
from frontera.trend import (
    MEASURES,
    SHADE,
    STRETCH,
    chart_domain,
    stretch_window,
    trend_chart,
    trend_frame,
    trend_spec,
    with_window,
)


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    f = pd.DataFrame(rows)
    for col in ("date_start", "date_end"):
        f[col] = pd.to_datetime(f.get(col))
    return gpd.GeoDataFrame(f, geometry=[Point(-92, 15.4)] * len(f), crs="EPSG:4326")


CLASHES = frame(
    [
        {"id": "C1", "date_start": "2024-07-16", "fatalities": None},  # a Tuesday; unknown deaths count 0
        {"id": "C2", "date_start": "2024-07-21", "fatalities": 19},  # the Sunday of the same week
        {"id": "C3", "date_start": "2024-07-22", "fatalities": 2},  # the next Monday
    ]
)
FLOWS = frame(
    [
        {"id": "F1", "date_start": "2024-07-23", "people": 400, "status": "displaced", "disagrees_with": "F2"},
        {"id": "F2", "date_start": "2024-07-23", "people": 600, "status": "displaced", "disagrees_with": "F1"},
        {"id": "F3", "date_start": "2024-07-23", "people": 61, "status": "returned", "disagrees_with": ""},
    ]
)


def values(f: pd.DataFrame, measure: str) -> dict[str, float]:
    rows = f[f["measure"] == measure]
    return {pd.Timestamp(d).date().isoformat(): v for d, v in zip(rows["day"], rows["value"])}


def test_events_and_fatalities_per_week_starting_monday():
    f = trend_frame({"clashes": CLASHES})
    assert values(f, "Events") == {"2024-07-15": 2, "2024-07-22": 1}
    assert values(f, "Fatalities") == {"2024-07-15": 19, "2024-07-22": 2}


def test_displacement_is_per_report_and_reports_that_disagree_are_never_added_up():
    f = trend_frame({"flows": FLOWS})
    reports = f[f["measure"] == MEASURES[2]]
    assert sorted(reports["value"]) == [400, 600]  # two marks, not 1,000; the return (F3) is not displacement
    assert f["value"].max() == 600
    detail = dict(zip(reports["id"], reports["detail"]))
    assert detail["F1"] == "400 people (F1), from 23 Jul 2024; another report says 600 (F2): not added up"


def test_only_the_layers_given_count():
    f = trend_frame({"incidents": CLASHES.iloc[:0], "flows": FLOWS.iloc[:0]})
    assert f.empty


def test_a_stretch_becomes_a_window_of_days():
    assert stretch_window({"day": [1722556800000, 1721606400000]}) == DateWindow(
        dt.date(2024, 7, 22), dt.date(2024, 8, 2)
    )
    assert stretch_window({"day": ["2024-07-01", "2024-07-10T12:00:00"]}) == DateWindow(
        dt.date(2024, 7, 1), dt.date(2024, 7, 10)
    )


def test_no_stretch_or_a_bad_one_is_no_window():
    assert stretch_window(None) is None
    assert stretch_window({}) is None
    assert stretch_window({"day": []}) is None
    assert stretch_window({"day": ["yesterday", "today"]}) is None


def test_the_chart_has_three_rows_and_one_stretch_selection():
    window = DateWindow(dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    spec = trend_chart(trend_frame({"clashes": CLASHES, "flows": FLOWS}), window, window).to_dict()
    assert len(spec["vconcat"]) == 3
    params = [p for p in spec.get("params", []) if p.get("select")]
    assert [p["name"] for p in params] == [STRETCH] and params[0]["select"]["encodings"] == ["x"]


def _normalised(spec: dict) -> str:
    """A spec as text with Altair's generated names (views, datasets) numbered in order of appearance."""
    text = json.dumps(spec, sort_keys=True)
    names: dict[str, str] = {}
    return re.sub(r"(view_[0-9a-f]+_\d+|data-[0-9a-f]{32})", lambda m: names.setdefault(m[0], f"n{len(names)}"), text)


def test_the_spec_shades_another_window_without_being_built_again():
    weekly = trend_frame({"clashes": CLASHES, "flows": FLOWS})
    span = DateWindow(dt.date(2024, 1, 1), dt.date(2024, 8, 31))
    first, second = (
        DateWindow(dt.date(2024, 2, 1), dt.date(2024, 3, 1)),
        DateWindow(dt.date(2024, 6, 1), dt.date(2024, 7, 1)),
    )
    spec = trend_spec(weekly, first, span)
    moved = with_window(spec, second)
    assert moved["datasets"][SHADE] == [{"day": "2024-06-01", "end": "2024-07-01"}]
    assert spec["datasets"][SHADE] == [{"day": "2024-02-01", "end": "2024-03-01"}]  # the cached spec is left alone
    assert _normalised(moved) == _normalised(trend_spec(weekly, second, span))
    built = trend_chart(weekly, second, span).to_dict()
    built["config"] = {"locale": built["config"]["locale"]}  # month names in the session's language, kept
    shade = next(name for name, rows in built["datasets"].items() if set(rows[0]) == {"day", "end"})
    built = json.loads(json.dumps(built).replace(shade, SHADE))
    assert _normalised(moved) == _normalised(built)  # the chart Altair builds, the shade's dataset named
    assert chart_domain(second, span) == (dt.date(2023, 12, 25), dt.date(2024, 9, 7))


def test_the_cached_spec_keeps_the_sessions_month_names_and_plurals():
    from frontera.i18n import language

    weekly_en = trend_frame({"clashes": CLASHES, "flows": FLOWS})
    assert any(d.startswith("1 event in the week of") for d in weekly_en["detail"]), list(weekly_en["detail"])
    assert not any(d.startswith("1 events") for d in weekly_en["detail"])
    span = DateWindow(dt.date(2024, 1, 1), dt.date(2024, 8, 31))
    with language("es"):
        weekly = trend_frame({"clashes": CLASHES, "flows": FLOWS})
        spec = trend_spec(weekly, DateWindow(dt.date(2024, 2, 1), dt.date(2024, 3, 1)), span)
    assert spec["config"]["locale"]["time"]["shortMonths"][:2] == ["ene", "feb"]
    assert any(d.startswith("1 evento en la semana del") for d in weekly["detail"]), list(weekly["detail"])
