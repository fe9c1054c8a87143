import datetime as dt

import pandas as pd
import pytest

from frontera.model.dates import (
    DateWindow,
    data_span,
    format_span,
    overlaps,
    span_for_precision,
)

D = dt.date


def window(a, b):
    return DateWindow(D.fromisoformat(a), D.fromisoformat(b))


def ov(start, end, w):
    return bool(overlaps(pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end])), w)[0])


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2024-07-23", "2024-08-02", False),  # starts the day after the window ends
        ("2024-07-22", "2024-08-02", True),  # starts on the window's last day: inclusive
        ("2024-06-01", "2024-07-01", True),  # ends on the window's first day: inclusive
        ("2024-06-01", "2024-06-30", False),  # ends the day before
        ("2024-06-01", None, True),  # open end: still going on
        ("2024-07-23", None, False),  # open end, but starts after
        ("2024-07-05", "2024-07-05", True),  # one day inside
        ("2024-06-01", "2024-09-01", True),  # covers the whole window
    ],
)
def test_overlap_rule_is_inclusive_with_open_ends(start, end, expected):
    assert ov(start, end, window("2024-07-01", "2024-07-22")) is expected


def test_record_without_start_never_matches():
    assert ov(None, "2024-07-10", window("2024-07-01", "2024-07-22")) is False


def test_precision_widens_the_span_so_any_touching_window_finds_it():
    start, end = span_for_precision(D(2024, 8, 15), "month")
    assert (start, end) == (D(2024, 8, 1), D(2024, 8, 31))
    # a month-precision record is found by a window that only touches the month's last day
    assert ov(str(start), str(end), window("2024-08-31", "2024-09-10"))
    assert span_for_precision(D(2024, 6, 28), "day") == (D(2024, 6, 28), D(2024, 6, 28))
    assert span_for_precision(D(2024, 6, 28), "week") == (D(2024, 6, 25), D(2024, 7, 1))
    assert span_for_precision(D(2023, 5, 2), "year") == (D(2023, 1, 1), D(2023, 12, 31))


def test_window_rejects_end_before_start_with_the_fix():
    with pytest.raises(ValueError, match="swap them"):
        window("2024-08-01", "2024-07-01")


def test_data_span_covers_starts_and_ends():
    f = pd.DataFrame(
        {"date_start": pd.to_datetime(["2024-06-04", "2023-10-01"]), "date_end": pd.to_datetime(["2024-08-31", None])}
    )
    assert data_span([f]) == window("2023-10-01", "2024-08-31")


def test_format_span_says_precision_and_ongoing():
    assert format_span(pd.Timestamp("2024-07-16"), pd.NaT, "day") == "2024-07-16 – ongoing (exact day)"
    assert "month only" in format_span(pd.Timestamp("2024-08-01"), pd.Timestamp("2024-08-31"), "month", "end of August")
