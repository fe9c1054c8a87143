"""The timeline's frame and chart: years on the axis, distinct colours, a visible minimum width, ongoing marked."""

import datetime as dt
import json

import pandas as pd
import pytest

from frontera.model.dates import DateWindow
from frontera.model.view import View
from frontera.storage.geopackage import load_situation
from frontera.timeline import LAYER_COLOURS, MIN_BAR_SHARE, PICK, timeline_chart, timeline_frame

WHOLE = View(DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31)), ("flows", "clashes", "incidents", "operations"))


@pytest.fixture(scope="module")
def situation():
    return load_situation()


def test_one_day_events_get_a_visible_bar_inside_the_range(situation):
    frame = timeline_frame(situation, WHOLE).set_index("id")
    shortest = pd.Timedelta(days=(WHOLE.window.end - WHOLE.window.start).days + 1) * MIN_BAR_SHARE
    i1 = frame.loc["I1"]  # 2023-10-01, one day, on the range's first day
    assert i1["end"] - i1["start"] == pd.Timedelta(days=1)
    assert i1["bar_end"] - i1["bar_start"] >= shortest
    assert (frame["bar_end"] - frame["bar_start"] >= shortest - pd.Timedelta(seconds=1)).all()
    assert (frame["bar_start"] >= pd.Timestamp(WHOLE.window.start)).all()
    assert (frame["bar_end"] <= pd.Timestamp(WHOLE.window.end) + pd.Timedelta(days=1)).all()


def test_ongoing_records_say_so(situation):
    frame = timeline_frame(situation, WHOLE).set_index("id")
    c1 = frame.loc["C1"]  # confrontations around Amatenango, no end reported
    assert c1["ongoing"] and c1["status"] == "ongoing: no end reported" and c1["dates"].endswith("– ongoing")
    assert not frame.loc["F1"]["ongoing"] and frame.loc["F1"]["status"] == "ended"


def _lab(hex_colour: str) -> tuple[float, float, float]:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_layer_colours_are_far_apart():
    colours = list(LAYER_COLOURS.values())
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            distance = sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5
            assert distance > 30, (a, b, distance)  # CIE76 ΔE: the old flows and clashes reds were 16 apart


def test_chart_has_years_a_click_selection_and_no_expression_from_data(situation):
    frame = timeline_frame(situation, WHOLE)
    spec = timeline_chart(frame, WHOLE).to_dict()
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert "%Y" in bars["encoding"]["x"]["axis"]["format"]
    assert "domain" not in bars["encoding"]["x"].get("scale", {})  # an explicit domain made Vega-Lite warn
    params = [p for p in spec.get("params", []) + bars.get("params", []) if p.get("name") == PICK]
    assert params and params[0]["select"]["fields"] == ["id"] and params[0]["select"]["on"] == "click"
    arrows = next(layer for layer in spec["layer"] if layer["mark"].get("shape") == "triangle-right")
    assert arrows["transform"] == [{"filter": {"field": "ongoing", "equal": True}}] or arrows["transform"] == [
        {"filter": "datum.ongoing"}
    ]
    layers_json = json.dumps(spec["layer"])
    for title in frame["title"]:  # data is in the datasets only, never in a mark, filter or expression
        assert title not in layers_json
