"""Date windows and the overlap rule that decides whether a record is shown."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of days, ``start <= end``."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}; swap them")

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def overlaps(date_start: pd.Series, date_end: pd.Series, window: DateWindow) -> np.ndarray:
    """Which records ``[date_start, date_end]`` overlap ``window``, both bounds inclusive.

    An empty ``date_end`` means "still going on": the record runs to the end of any window.
    A record without a start never matches.

    >>> s = pd.to_datetime(pd.Series(["2024-07-23", "2024-06-01"]))
    >>> e = pd.to_datetime(pd.Series(["2024-08-02", None]))
    >>> overlaps(s, e, DateWindow(dt.date(2024, 7, 1), dt.date(2024, 7, 22))).tolist()
    [False, True]
    """
    start = pd.to_datetime(date_start)
    end = pd.to_datetime(date_end)
    w_start = pd.Timestamp(window.start)
    w_end = pd.Timestamp(window.end)
    starts_before_window_ends = (start <= w_end).to_numpy(dtype=bool, na_value=False)
    ends_after_window_starts = (end.isna() | (end >= w_start)).to_numpy(dtype=bool, na_value=True)
    return starts_before_window_ends & ends_after_window_starts


def span_for_precision(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The days a date coded at ``precision`` may stand for.

    ACLED, for example, codes "some time that week" as the week's middle day and
    "some time that month" as a day of the month; the record must be found by any
    window that touches the period it really means.

    >>> span_for_precision(dt.date(2024, 6, 15), "month")
    (datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    >>> span_for_precision(dt.date(2024, 6, 15), "week")
    (datetime.date(2024, 6, 12), datetime.date(2024, 6, 18))
    """
    if precision == "week":
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def data_span(frames: list[pd.DataFrame], today: dt.date | None = None) -> DateWindow:
    """The window from the earliest start to the latest start or end of the records.

    Ongoing records (no end) do not stretch the window to today: the span ends at the
    last date any record names.
    """
    days: list[pd.Timestamp] = []
    for f in frames:
        if len(f):
            for col in ("date_start", "date_end"):
                if col in f:
                    s = pd.to_datetime(f[col]).dropna()
                    if len(s):
                        days.extend([s.min(), s.max()])
    if not days:
        today = today or dt.date.today()
        return DateWindow(today, today)
    return DateWindow(min(days).date(), max(days).date())


def format_span(start: object, end: object, precision: str, note: str = "") -> str:
    """Human text for a record's dates, e.g. ``2024-07-23 – 2024-08-02 (known range of days)``."""
    from frontera.model.records import DATE_PRECISION_TEXT  # noqa: PLC0415

    def iso(v: object) -> str:
        return "" if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()

    s, e = iso(start), iso(end)
    if not e:
        text = f"{s} – ongoing"
    elif s == e:
        text = s
    else:
        text = f"{s} – {e}"
    text += f" ({DATE_PRECISION_TEXT.get(precision, precision)})"
    if note:
        text += f"; {note}"
    return text
