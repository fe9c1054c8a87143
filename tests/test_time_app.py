"""AppTest, issue 13: dates that reach today, the presets (widgets and URL), and the trend's stretch."""

import datetime as dt
import json

import pytest
from apptest_helpers import run
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from frontera.model.dates import PRESETS
from frontera.trend import STRETCH
from frontera.ui.trend import TREND_KEY

D = dt.date
#: The bundled data's dates, and each preset's window in it.
PRESET_WINDOWS = {
    "Last 7 days": ("2024-08-25", "2024-08-31"),
    "Last 30 days": ("2024-08-02", "2024-08-31"),
    "Last 90 days": ("2024-06-03", "2024-08-31"),
    "Whole span": ("2023-10-01", "2024-08-31"),
}


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_every_preset_is_offered():
    assert set(PRESET_WINDOWS) == set(PRESETS)


@pytest.mark.parametrize("name", list(PRESET_WINDOWS))
def test_a_preset_through_the_widget_sets_the_dates_and_the_url(name):
    at = run({"start": "2024-07-01", "end": "2024-07-10"})
    assert at.button_group(key="date_preset").value is None  # 10 days in July: no preset
    at.button_group(key="date_preset").set_value(name).run()
    assert not at.exception
    start, end = PRESET_WINDOWS[name]
    assert (at.query_params["start"], at.query_params["end"]) == (start, end)
    assert at.date_input(key="dates").value == (D.fromisoformat(start), D.fromisoformat(end))
    assert at.button_group(key="date_preset").value == name


@pytest.mark.parametrize("name", list(PRESET_WINDOWS))
def test_a_preset_through_the_url_is_shown_as_that_preset(name):
    start, end = PRESET_WINDOWS[name]
    at = run({"start": start, "end": end})
    assert at.button_group(key="date_preset").value == name
    assert at.date_input(key="dates").value == (D.fromisoformat(start), D.fromisoformat(end))


def test_last_30_days_counts_what_overlaps_them_ongoing_records_included():
    at = run()
    assert (metric(at, "Clashes"), metric(at, "Incidents")) == ("3", "1")
    at.button_group(key="date_preset").set_value("Last 30 days").run()  # 2024-08-02 .. 2024-08-31
    # C1 (2024-07-16, no end) is still going on; C2, C3 and I1 ended before; O1 was agreed on the first day.
    assert (metric(at, "Clashes"), metric(at, "Incidents"), metric(at, "Operations")) == ("1", "0", "5")
    assert metric(at, "People reported displaced") == "400"  # F1 ends on 2024-08-02; F2 on 07-31


def test_the_picker_reaches_today_and_a_window_after_the_data_shows_what_is_still_in_force():
    at = run({"start": "2024-09-01", "end": "2024-09-30"})
    picker = at.date_input(key="dates")
    assert picker.max >= dt.date.today() and picker.min == D(2023, 10, 1)
    assert picker.value == (D(2024, 9, 1), D(2024, 9, 30))
    assert at.query_params["start"] == "2024-09-01" and not at.warning  # taken as it is, not clamped
    assert metric(at, "Operations") == "4"  # agreed with no end: in force in September
    assert not at.info  # not empty: no note


def test_a_window_with_nothing_in_it_is_an_empty_map_with_a_note():
    at = run({"start": "2020-01-01", "end": "2020-03-31", "layers": "flows,clashes,incidents,operations"})
    assert [m.value for m in at.metric][1:] == ["0", "0", "0", "0"]
    assert len(at.info) == 1 and "before the data, which starts on 2023" in at.info[0].value.replace("\\", "")
    assert at.get("component_instance"), "the map is still drawn"
    assert at.date_input(key="dates").min == D(2020, 1, 1)  # the picker holds the window a link names


def test_the_trend_is_drawn_beside_the_map_with_its_stretch_selection():
    at = run()
    charts = [c for c in at.get("vega_lite_chart") if STRETCH in c.proto.spec]
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    names = json.dumps(spec)
    for title in ("Events", "Fatalities", "People displaced (per report)"):  # each row's title, above it
        assert f'"text": "{title}"' in names
    assert list(charts[0].proto.selection_mode) == [STRETCH]


def select_stretch(at: AppTest, days: list) -> AppTest:
    """What the browser sends when a stretch is dragged across the trend: the chart's selection as its state."""
    chart = next(c for c in at.get("vega_lite_chart") if STRETCH in c.proto.spec)
    states = at._tree.get_widget_states()
    value = {"selection": {STRETCH: {"day": days}}}
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(value)))
    at._run(states)
    assert not at.exception, at.exception
    return at


def test_a_stretch_dragged_across_the_trend_sets_the_dates_and_the_url():
    at = run()
    at = select_stretch(at, [1721606400000, 1722556800000])  # 2024-07-22 .. 2024-08-02, as Vega gives them
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-07-22", "2024-08-02")
    assert at.date_input(key="dates").value == (D(2024, 7, 22), D(2024, 8, 2))
    assert TREND_KEY in at.session_state


def test_an_emptied_stretch_keeps_the_dates():
    at = run({"start": "2024-07-01", "end": "2024-07-31"})
    at = select_stretch(at, [])
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-07-01", "2024-07-31")


def test_the_map_carries_the_clock_for_the_views_dates_and_each_records_days():
    at = run({"start": "2024-06-01", "end": "2024-08-31"})
    comp = at.get("component_instance")[0]
    args = json.loads(comp.proto.json_args)
    layers = args["feature_group"]
    assert "L.fronteraClock(" in layers and '"start": 19875' in layers and '"end": 19966' in layers
    assert '"fronteraDays": [19937, null]' in layers  # O1, agreed 2024-08-02, no end
    assert any(link.endswith("frontera/clock.js") for link in args["js_links"])
