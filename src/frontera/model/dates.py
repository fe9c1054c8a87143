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
    start, end = _naive_days(date_start), _naive_days(date_end)
    w_end = _as_unit(window.end, start.dtype) if start is not None else None
    w_start = _as_unit(window.start, end.dtype) if end is not None else None
    if start is not None and end is not None and w_start is not None and w_end is not None:
        # Plain datetimes: numpy compares 1,000,000 rows in milliseconds (NaT <= day is False: no start, no match).
        return (start <= w_end) & (np.isnat(end) | (end >= w_start))
    start_s, end_s = pd.to_datetime(date_start), pd.to_datetime(date_end)
    starts_before_window_ends = (start_s <= pd.Timestamp(window.end)).to_numpy(dtype=bool, na_value=False)
    ends_after = (end_s.isna() | (end_s >= pd.Timestamp(window.start))).to_numpy(dtype=bool, na_value=True)
    return starts_before_window_ends & ends_after


def _naive_days(values: pd.Series) -> np.ndarray | None:
    """``values`` as a numpy ``datetime64`` array when they are timezone-naive datetimes already (else None)."""
    if not isinstance(values, pd.Series) or not isinstance(values.dtype, np.dtype) or values.dtype.kind != "M":
        return None
    return values.to_numpy()


def _as_unit(day: dt.date, dtype: np.dtype) -> np.datetime64 | None:
    """``day`` at midnight in the unit of ``dtype``; None when that unit cannot hold it (numpy would wrap around)."""
    stamp = np.datetime64(day, "D").astype(dtype)
    return stamp if stamp.astype("datetime64[D]") == np.datetime64(day, "D") else None


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
                    s = pd.to_datetime(f[col])
                    first, last = s.min(), s.max()  # skipping blanks, without copying 1,000,000 rows to drop them
                    if not pd.isna(first):
                        days.extend([first, last])
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


#: The dates any window must lie within (pandas' timestamps reach 1677-2262; a typo such as 0224 stays out).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def reach(data: DateWindow, today: dt.date | None = None) -> DateWindow:
    """The dates the picker offers: from the data's first day to the data's end or ``today``, whichever is later.

    >>> reach(DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31)), today=dt.date(2026, 11, 28))
    DateWindow(start=datetime.date(2023, 10, 1), end=datetime.date(2026, 11, 28))
    """
    today = today or dt.date.today()
    return DateWindow(data.start, max(data.end, today))


#: Quick windows beside the picker: label -> days back from the data's last day (None: the data's whole span).
PRESETS: dict[str, int | None] = {"Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90, "Whole span": None}


def preset_window(name: str, data: DateWindow) -> DateWindow:
    """The window a preset stands for: the last N days of the data (its last day included), or its whole span.

    >>> str(preset_window("Last 7 days", DateWindow(dt.date(2024, 1, 1), dt.date(2024, 8, 31))))
    '2024-08-25 to 2024-08-31'
    """
    if name not in PRESETS:
        raise ValueError(f"preset {name!r} is not one of {', '.join(PRESETS)}")
    days = PRESETS[name]
    if days is None:
        return data
    return DateWindow(max(data.start, data.end - dt.timedelta(days=days - 1)), data.end)


def preset_of(window: DateWindow, data: DateWindow) -> str | None:
    """The preset that ``window`` is, if any (the whole span wins when two presets are the same window)."""
    for name in reversed(PRESETS):
        if preset_window(name, data) == window:
            return name
    return None


def picker_bounds(window: DateWindow, data: DateWindow, today: dt.date | None = None) -> DateWindow:
    """The picker's first and last day: the :func:`reach`, widened to hold ``window`` (a link may name any)."""
    r = reach(data, today)
    return DateWindow(min(r.start, window.start), max(r.end, window.end))


def empty_window_note(window: DateWindow, data: DateWindow) -> str:
    """What to say over a map with nothing dated in ``window`` (text only, no Markdown)."""
    if window.end < data.start:
        where = f"before the data, which starts on {data.start.isoformat()}"
    elif window.start > data.end:
        where = f"after the last dated record ({data.end.isoformat()}), and no record is ongoing then"
    else:
        where = f"inside the data ({data}), but no record of the layers shown falls in it"
    return f"Nothing dated between {window.start.isoformat()} and {window.end.isoformat()}: the window lies {where}."
