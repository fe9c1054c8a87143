"""The server hexagons' sums per day (frontera.layers.fast.celldays): any window of the clock, summed from the
rows as the browser does (static/frontera/fast-hexagons.js _applyRange), equals the model's rule per cell."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from frontera.layers.fast import celldays
from frontera.layers.fast.celldays import cell_days, encode_cell_days, event_days
from frontera.layers.fast.codec import NO_DAY
from frontera.model.dates import DateWindow, overlaps


def random_events(n: int = 4000, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Events over 2024 in 12 cells (some without a cell), a quarter spanning days, some ongoing or undated."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, n), unit="D")
    span = np.where(rng.random(n) < 0.25, rng.integers(1, 40, n), 0)
    end = pd.Series(start + pd.to_timedelta(span, unit="D"))
    end[rng.random(n) < 0.03] = pd.NaT  # still going on
    start = pd.Series(start)
    start[rng.random(n) < 0.01] = pd.NaT  # no date: the clock never shows it
    fat = rng.integers(-1, 6, n).astype(float)  # -1: not reported
    frame = pd.DataFrame({"date_start": start, "date_end": end, "fatalities": fat})
    cell = rng.integers(-1, 12, n)  # -1: no cell
    return frame, cell


def browser_sums(t, n_cells: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """fast-hexagons.js _applyRange: rows started by hi, less rows ended before lo (by week: whole weeks)."""
    if t.step == 7:
        lo, hi = lo - (lo + 3) % 7, hi - (hi + 3) % 7
    sign = ((t.kind != 2) & (t.day <= hi)).astype(int) - ((t.kind != 1) & (t.day < lo)).astype(int)
    out = []
    for values in (t.count, t.fatalities, t.unknown):
        out.append(np.bincount(t.cell, weights=sign * values, minlength=n_cells).round().astype(int))
    return out[0], out[1], out[2]


def model_sums(frame: pd.DataFrame, cell: np.ndarray, window: DateWindow, n_cells: int):
    shown = np.asarray(overlaps(frame["date_start"], frame["date_end"], window)) & (cell >= 0)
    fat = frame["fatalities"].to_numpy()
    known = np.where(fat < 0, 0, fat)
    count = np.bincount(cell[shown], minlength=n_cells)
    return (
        count,
        np.bincount(cell[shown], weights=known[shown], minlength=n_cells).astype(int),
        np.bincount(cell[shown], weights=(fat < 0)[shown], minlength=n_cells).astype(int),
    )


def day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


@pytest.mark.parametrize(
    "window",
    [
        DateWindow(dt.date(2024, 3, 4), dt.date(2024, 3, 10)),  # a week (Monday to Sunday)
        DateWindow(dt.date(2024, 7, 23), dt.date(2024, 7, 23)),  # one day
        DateWindow(dt.date(2024, 1, 1), dt.date(2024, 6, 30)),  # cumulative
        DateWindow(dt.date(2023, 12, 1), dt.date(2025, 2, 1)),  # past both ends
    ],
)
def test_any_window_summed_from_the_rows_is_the_models_rule(window):
    frame, cell = random_events()
    start, span = event_days(frame)
    t = cell_days(cell, start, span, frame["fatalities"].to_numpy())
    assert t.step == 1 and len(t) > 1000
    got = browser_sums(t, 12, day(window.start), day(window.end))
    want = model_sums(frame, cell, window, 12)
    for g, w, what in zip(got, want, ("events", "fatalities", "unknown"), strict=True):
        assert g.tolist() == w.tolist(), what


def test_by_week_past_the_row_limit_the_sums_cover_whole_weeks(monkeypatch):
    frame, cell = random_events()
    start, span = event_days(frame)
    monkeypatch.setattr(celldays, "MAX_DAY_ROWS", 500)
    t = cell_days(cell, start, span, frame["fatalities"].to_numpy())
    assert t.step == 7 and len(t) <= 2 * 12 * 53 * 3 and set(((t.day + 3) % 7).tolist()) == {0}  # Mondays
    # Wednesday 6 to Tuesday 12 March is shown as the weeks holding it: Monday 4 to Sunday 17 March.
    got = browser_sums(t, 12, day(dt.date(2024, 3, 6)), day(dt.date(2024, 3, 12)))
    want = model_sums(frame, cell, DateWindow(dt.date(2024, 3, 4), dt.date(2024, 3, 17)), 12)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


def test_rows_and_payload():
    frame, cell = random_events(300)
    start, span = event_days(frame)
    assert (start == NO_DAY).sum() == frame["date_start"].isna().sum()
    t = cell_days(cell, start, span, frame["fatalities"].to_numpy())
    dated = (cell >= 0) & (start != NO_DAY)
    assert t.count[t.kind != 2].sum() == dated.sum(), "every dated event with a cell starts once"
    assert t.count[t.kind == 2].sum() == (dated & (span > 0)).sum(), "and the longer ones end once"
    keys = list(zip(t.cell.tolist(), t.day.tolist(), t.kind.tolist(), strict=True))
    assert keys == sorted(keys) and len(set(keys)) == len(keys), "sorted by cell, then day; one row per key"
    payload = encode_cell_days(t)
    assert payload["header"]["payload"] == "celldays" and payload["header"]["n"] == len(t)
    assert list(payload["header"]["columns"]) == ["cell", "day", "kind", "count", "fatalities", "unknown"]
