"""Issue 13, dates that reach today: the picker's reach, presets, open ends and empty windows."""

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from frontera.filters import in_window
from frontera.model.dates import (
    PRESETS,
    DateWindow,
    data_span,
    empty_window_note,
    picker_bounds,
    preset_of,
    preset_window,
    reach,
)

D = dt.date
DATA = DateWindow(D(2023, 10, 1), D(2024, 8, 31))
TODAY = D(2026, 11, 28)


def records() -> gpd.GeoDataFrame:
    """Three records: one a day long, one with a span, one with no end (agreed 2024-08-02, still in force)."""
    return gpd.GeoDataFrame(
        {
            "id": ["C1", "F1", "O1"],
            "date_start": pd.to_datetime(["2024-07-23", "2024-07-23", "2024-08-02"]),
            "date_end": pd.to_datetime(["2024-07-23", "2024-08-02", None]),
        },
        geometry=[Point(-92.0, 15.4), Point(-92.1, 15.5), Point(-92.2, 15.6)],
        crs="EPSG:4326",
    )


def ids(window: DateWindow) -> list[str]:
    return sorted(in_window(records(), window)["id"])


def test_the_reach_ends_today_when_the_data_ends_earlier():
    assert reach(DATA, today=TODAY) == DateWindow(DATA.start, TODAY)


def test_the_reach_ends_with_the_data_when_it_runs_past_today():
    assert reach(DATA, today=D(2024, 1, 1)) == DATA


def test_the_picker_also_holds_a_window_a_link_names():
    far = DateWindow(D(2020, 1, 1), D(2020, 2, 1))
    assert picker_bounds(far, DATA, today=TODAY) == DateWindow(D(2020, 1, 1), TODAY)
    assert picker_bounds(DATA, DATA, today=TODAY) == DateWindow(DATA.start, TODAY)


def test_an_ongoing_record_shows_in_every_window_after_its_start():
    assert ids(DateWindow(D(2024, 9, 1), D(2024, 9, 30))) == ["O1"]
    assert ids(DateWindow(TODAY, TODAY)) == ["O1"]
    assert ids(DateWindow(D(2024, 8, 1), D(2024, 8, 1))) == ["F1"]  # the day before it was agreed
    assert ids(DateWindow(D(2024, 8, 2), D(2024, 8, 2))) == ["F1", "O1"]  # both ends inclusive


def test_a_window_before_the_data_is_empty_not_an_error():
    window = DateWindow(D(2020, 1, 1), D(2020, 12, 31))
    assert ids(window) == []
    assert empty_window_note(window, DATA) == (
        "Nothing dated between 2020-01-01 and 2020-12-31: the window lies before the data, which starts on 2023-10-01."
    )


def test_the_empty_note_says_where_the_window_lies():
    assert "after the last dated record (2024-08-31)" in empty_window_note(DateWindow(D(2025, 1, 1), TODAY), DATA)
    assert "inside the data (2023-10-01 to 2024-08-31)" in empty_window_note(
        DateWindow(D(2024, 1, 1), D(2024, 1, 2)), DATA
    )


@pytest.mark.parametrize(
    "name, start",
    [
        ("Last 7 days", D(2024, 8, 25)),
        ("Last 30 days", D(2024, 8, 2)),
        ("Last 90 days", D(2024, 6, 3)),
        ("Whole span", DATA.start),
    ],
)
def test_presets_are_the_last_days_of_the_data(name, start):
    window = preset_window(name, DATA)
    assert window == DateWindow(start, DATA.end)
    assert (window.end - window.start).days + 1 == (PRESETS[name] or (DATA.end - DATA.start).days + 1)
    assert preset_of(window, DATA) == name


def test_a_preset_never_starts_before_the_data():
    short = DateWindow(D(2024, 8, 20), D(2024, 8, 31))
    assert preset_window("Last 30 days", short) == short
    assert preset_of(short, short) == "Whole span"  # the same window: the whole span names it


def test_other_windows_are_no_preset_and_unknown_presets_are_refused():
    assert preset_of(DateWindow(D(2024, 8, 1), D(2024, 8, 31)), DATA) is None
    with pytest.raises(ValueError, match="'Last week' is not one of Last 7 days"):
        preset_window("Last week", DATA)


def test_the_data_span_is_not_stretched_by_ongoing_records():
    assert data_span([records()], today=TODAY) == DateWindow(D(2024, 7, 23), D(2024, 8, 2))
