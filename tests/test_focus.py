"""The focus filters (frontera.model.focus): each filter on a tiny frame, the URL round trip, the same set in
the map, the exports, the metrics, the timeline and the feed, and the cost on many records."""

from __future__ import annotations

import re
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from frontera import export
from frontera.cli import main
from frontera.feed import feed_items, newest_first
from frontera.filters import metrics, visible_records
from frontera.model.dates import data_span
from frontera.model.focus import Focus, focus_from_query, focus_mask, kinds_in, sources_in
from frontera.model.view import View, view_from_query
from frontera.model.view_warning import ViewWarning
from frontera.standalone import standalone_html
from frontera.storage.geopackage import load_situation
from frontera.timeline import timeline_frame


def tiny() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "kind": ["armed clash", "Attack", "", None],
            "actors": ["Sinaloa cartel; CJNG", "National Guard (GN)", "", None],
            "fatalities": pd.array([3, 0, None, 12], dtype="Int64"),
            "source_ids": ["trt-1; efe-2", "trt-1x", "efe-2", None],
            "date_precision": ["day", "range", "day", "month"],
            "geo_precision": ["town", "region", "near-town", "town"],
        },
        geometry=[Point(-92, 15), Point(-92.1, 15.1), Point(-92.2, 15.2), Point(-92.3, 15.3)],
        crs="EPSG:4326",
    )


def kept(focus: Focus) -> list[str]:
    frame = tiny()
    return list(frame["id"][focus_mask(frame, focus)])


@pytest.mark.parametrize(
    "focus, ids",
    [
        (Focus(), ["a", "b", "c", "d"]),
        (Focus(kinds=("attack",)), ["b"]),  # any case
        (Focus(kinds=("armed clash", "ATTACK")), ["a", "b"]),
        (Focus(actor="sinaloa"), ["a"]),
        (Focus(actor="(GN)"), ["b"]),  # parentheses are text, not a regex group
        (Focus(actor=".*"), []),
        (Focus(min_fatalities=1), ["a", "d"]),  # unknown (c) never counts as "at least 1"
        (Focus(min_fatalities=12), ["d"]),
        (Focus(sources=("trt-1",)), ["a"]),  # a whole id: "trt-1x" is another source
        (Focus(sources=("efe-2", "trt-1x")), ["a", "b", "c"]),
        (Focus(date_precisions=("day",)), ["a", "c"]),
        (Focus(place_precisions=("town", "near-town")), ["a", "c", "d"]),
        (Focus(kinds=("armed clash",), min_fatalities=1, sources=("trt-1",)), ["a"]),  # every filter at once
        (Focus(kinds=("armed clash",), actor="guard"), []),
    ],
)
def test_each_filter_on_a_tiny_frame(focus, ids):
    assert kept(focus) == ids


def test_an_empty_frame_and_missing_columns_pass_through():
    assert focus_mask(tiny().iloc[0:0], Focus(actor="x")).tolist() == []
    no_kind = pd.DataFrame({"id": ["a"]})
    assert focus_mask(no_kind, Focus(kinds=("attack",))).tolist() == [False]


def test_the_url_round_trip_and_the_warnings_quote_the_bad_value():
    focus = Focus(("armed clash", "attack"), "Sinaloa", 2, ("trt-2024-08-03",), ("day",), ("town", "near-town"))
    warnings: list[ViewWarning] = []
    assert focus_from_query(focus.to_query(), warnings) == focus and warnings == []
    assert Focus().to_query() == {}
    bad = {"min_fatalities": "two", "date_precision": "day,hourly", "source": "trt;drop", "kind": " , attack ,"}
    parsed = focus_from_query(bad, warnings)
    assert parsed == Focus(kinds=("attack",), date_precisions=("day",))
    assert [str(w) for w in warnings] == [
        "URL parameter min_fatalities 'two' is not a whole number >= 0; it was ignored (0).",
        "URL parameter source 'trt;drop' is not a source id (letters, digits, '-', '_', '.', ':'; as in "
        "sources.csv); it was ignored.",
        "URL parameter date_precision 'hourly' is not one of day, range, week, part-of-month, month, year; "
        "it was ignored.",
    ]


def test_typed_actor_text_loses_control_characters_and_is_bounded():
    assert focus_from_query({"actor": "  Sina\u202eloa\x1b[31m  "}, []).actor == "Sinaloa[31m"
    assert len(focus_from_query({"actor": "x" * 500}, []).actor) == 120


def test_the_view_carries_the_focus_in_its_url():
    sit = load_situation(include_user=False)
    view, warnings = view_from_query({"kind": "attack", "min_fatalities": "1"}, data_span(list(sit.records.values())))
    assert warnings == [] and view.focus == Focus(kinds=("attack",), min_fatalities=1)
    assert view.to_query()["kind"] == "attack" and view.to_query()["min_fatalities"] == "1"


def test_choices_list_the_kinds_and_sources_of_the_data():
    sit = load_situation(include_user=False)
    assert set(kinds_in(sit.records)) >= {"armed clash", "attack", "deployment", "road accident involving migrants"}
    assert kinds_in(sit.records)[0] == "deployment"  # the most frequent first
    assert sources_in(sit.records)[0] == "trt-2024-08-03"
    assert set(sources_in(sit.records)) <= set(sit.sources["source_id"])


FOCUSES = [
    Focus(kinds=("armed clash",)),
    Focus(actor="cartel"),
    Focus(min_fatalities=5),
    Focus(sources=("efe-2024-08-02",)),
    Focus(date_precisions=("part-of-month",)),
    Focus(place_precisions=("municipality",)),
]


@pytest.mark.parametrize("focus", FOCUSES, ids=lambda f: f.describe())
def test_the_map_the_exports_the_metrics_the_timeline_and_the_feed_show_the_same_set(focus):
    sit = load_situation(include_user=False)
    span = data_span(list(sit.records.values()))
    view = View(span, ("operations", "flows", "clashes", "incidents"), focus=focus)
    expected = set()
    for records in sit.records.values():  # the filter written out row by row, as a person reads it
        for rec in records.to_dict("records"):
            if _matches(rec, focus):
                expected.add(rec["id"])
    visible = visible_records(sit, view)
    assert {i for recs in visible.values() for i in recs["id"]} == expected
    assert set(export.export_frame(sit, view)["id"]) == expected
    assert set(timeline_frame(sit, view)["id"]) == expected
    assert set(newest_first(visible)["id"]) == expected
    m = metrics(visible)
    assert (m.count("clashes"), m.count("incidents"), m.count("operations")) == tuple(
        sum(1 for i in expected if i.startswith(p)) for p in ("C", "I", "O")
    )
    drawn = set(re.findall(r"(?:flows|clashes|incidents|operations) · ([\w.:-]+)\\u003c/p", standalone_html(sit, view)))
    assert drawn == expected - {"O2"}  # O2, a meeting, has no place on the map


def _matches(rec: dict, focus: Focus) -> bool:
    text = lambda v: "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)  # noqa: E731
    if focus.kinds and text(rec["kind"]).lower() not in focus.kinds:
        return False
    if focus.actor and focus.actor.lower() not in text(rec["actors"]).lower():
        return False
    deaths = rec["fatalities"]
    if focus.min_fatalities and (deaths is None or deaths is pd.NA or deaths < focus.min_fatalities):
        return False
    if focus.sources and not {s.strip() for s in text(rec["source_ids"]).split(";")} & set(focus.sources):
        return False
    if focus.date_precisions and rec["date_precision"] not in focus.date_precisions:
        return False
    return not (focus.place_precisions and rec["geo_precision"] not in focus.place_precisions)


def many(n: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    kinds = np.array(["armed clash", "attack", "protest or riot", "strategic development"])
    return gpd.GeoDataFrame(
        {
            "id": [f"E{i}" for i in range(n)],
            "kind": kinds[rng.integers(0, 4, n)],
            "actors": np.where(rng.random(n) < 0.1, "Sinaloa cartel; Police", "Protesters (Mexico)"),
            "fatalities": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "source_ids": np.where(rng.random(n) < 0.5, "acled", "acled; trt-2024-08-03"),
            "date_precision": "day",
            "geo_precision": "town",
        },
        geometry=gpd.points_from_xy(rng.uniform(-93, -90, n), rng.uniform(14, 17, n)),
        crs="EPSG:4326",
    )


def test_the_filters_are_vectorised_200000_records_in_about_a_second():
    frame = many(200_000)
    focus = Focus(kinds=("armed clash", "attack"), actor="sinaloa", min_fatalities=1, sources=("trt-2024-08-03",))
    started = time.perf_counter()
    mask = focus_mask(frame, focus)
    took = time.perf_counter() - started
    sample = frame.iloc[:2000]
    assert mask[:2000].tolist() == [_matches(r, focus) for r in sample.assign(summary="").to_dict("records")]
    assert 0 < mask.sum() < len(frame)
    assert took < 1.0, f"{took:.2f} s for 200,000 records"  # about 0.15 s on a shared 2-core machine
    # Every row its own text (no repeated values to share the work): still column-wise.
    frame["source_ids"] = [f"acled; x{i}" for i in range(len(frame))]
    frame["actors"] = [f"actor {i}; Sinaloa" for i in range(len(frame))]
    started = time.perf_counter()
    mask = focus_mask(frame, Focus(actor="sinaloa", sources=("x5", "x199999", "x2")))
    took = time.perf_counter() - started
    assert np.flatnonzero(mask).tolist() == [2, 5, 199_999]
    assert took < 3.0, f"{took:.2f} s for 200,000 distinct records"  # about 1 s on a shared 2-core machine


def test_the_feed_is_newest_first_plain_text_and_counts_what_it_leaves_off():
    sit = load_situation(include_user=False)
    view = View(data_span(list(sit.records.values())), ("flows", "clashes", "incidents"))
    items, rest = feed_items(visible_records(sit, view), sit.sources, sit.place_names(), limit=3)
    assert [i.record_id for i in items] == ["F1", "F3", "F2"] and rest == 5
    f1 = items[0]
    assert f1.meta == (
        "23 Jul 2024 – 2 Aug 2024 · people displaced · Amatenango de la Frontera → Cuilco · "
        "TRT World, EFE via Latin American News"
    )
    all_items, rest = feed_items(visible_records(sit, view), sit.sources, sit.place_names(), limit=100)
    c1 = next(i for i in all_items if i.record_id == "C1")
    assert rest == 0 and c1.date == "16 Jul 2024 – ongoing" and c1.kind == "armed clash"


def test_the_feed_of_many_records_shapes_only_the_newest():
    frame = many(100_000).assign(
        layer="clashes",
        title="t",
        date_start=pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(100_000) % 365, unit="D"),
        date_end=pd.NaT,
    )
    started = time.perf_counter()
    items, rest = feed_items({"clashes": frame}, pd.DataFrame(columns=["source_id", "publisher"]), {}, limit=30)
    took = time.perf_counter() - started
    assert len(items) == 30 and rest == 99_970 and items[0].date.startswith("30 Dec 2024")
    assert took < 1.0, f"{took:.2f} s"  # about 0.05 s: only the newest of each layer are sorted


def test_cli_flags_filter_export_data_and_export_map(tmp_path, capsys):
    out = tmp_path / "focus.csv"
    args = ["--kind", "armed clash", "--actor", "SINALOA", "--min-fatalities", "1", "--source", "trt-2024-08-03"]
    assert main(["export-data", "--layers", "clashes,incidents", *args, "--format", "csv", "--out", str(out)]) == 0
    assert list(pd.read_csv(out)["id"]) == ["C2"]
    assert "at least 1 death" in capsys.readouterr().out
    page = tmp_path / "focus.html"
    precision = ["--date-precision", "day", "--place-precision", "municipality"]
    assert main(["export-map", *precision, "--out", str(page)]) == 0
    drawn = set(re.findall(r"(?:flows|clashes|incidents|operations) · ([\w.:-]+)\\u003c/p", page.read_text()))
    assert drawn == {"C1", "I1"}


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--min-fatalities", "-1"], "--min-fatalities '-1' is not a whole number >= 0"),
        (["--place-precision", "street"], "--place-precision 'street' is not one of town"),
        (["--source", "trt 2024"], "--source 'trt 2024' is not a source id"),
    ],
)
def test_bad_focus_flags_exit_2_naming_the_value(tmp_path, capsys, args, fragment):
    assert main(["export-data", *args, "--out", str(tmp_path / "x.geojson")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "ignored" not in err and err.count("\n") == 1, err


def test_the_newest_of_several_layers_with_ties_at_the_cut():
    day = pd.Timestamp
    a = pd.DataFrame(
        {
            "id": ["a1", "a2", "a3"],
            "layer": "clashes",
            "date_start": [day("2024-01-03"), day("2024-01-02"), day("2024-01-02")],
            "date_end": [day("2024-01-03"), pd.NaT, day("2024-01-05")],
        }
    )
    b = pd.DataFrame(
        {
            "id": ["b1", "b2"],
            "layer": "flows",
            "date_start": [day("2024-01-02"), day("2024-01-01")],
            "date_end": [day("2024-01-02"), pd.NaT],
        }
    )
    # a2 is ongoing: among the starts of 2 January it comes first, then a3 (ends the 5th), then b1
    assert list(newest_first({"clashes": a, "flows": b}, limit=3)["id"]) == ["a1", "a2", "a3"]
    assert list(newest_first({"clashes": a, "flows": b})["id"]) == ["a1", "a2", "a3", "b1", "b2"]
    items, rest = feed_items({"clashes": a, "flows": b}, pd.DataFrame(columns=["source_id", "publisher"]), {}, limit=4)
    assert [i.record_id for i in items] == ["a1", "a2", "a3", "b1"] and rest == 1
