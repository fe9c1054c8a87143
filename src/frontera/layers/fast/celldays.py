"""The server hexagons per day, so that they follow the map's clock (issue 12).

Past :data:`frontera.layers.fast.dispatch.AGGREGATE_THRESHOLD` events the server sends H3 cells, not events.
The clock (``static/frontera/clock.js``) shows the events whose days overlap its window ``[lo, hi]``; for the
cells to follow it, each cell's events are summed per day, in three kinds of rows:

- kind 0: events of one day (``date_end`` = ``date_start``), at that day;
- kind 1: starts of the other events (longer, or still going on), at their first day;
- kind 2: ends of the longer ones, at their last day.

The events of a cell shown at ``[lo, hi]`` are then those that started by ``hi`` (kinds 0 and 1 up to ``hi``)
less those that ended before ``lo`` (kinds 0 and 2 before ``lo``): the clock's own rule
(:func:`frontera.model.dates.overlaps`), exactly, whatever the events' spans. Events without a start day are
left out (the clock hides them too).

When the rows by day would pass :data:`MAX_DAY_ROWS`, days are binned by week (each row at its week's Monday)
and the browser widens the clock's window to whole weeks; the clock then says so on the map.

>>> import numpy as np
>>> t = cell_days(np.array([0, 0, 1, -1]), np.array([10, 10, 12, 10]), np.array([0, 0, 3, 0]),
...               np.array([2.0, -1.0, 1.0, 5.0]))
>>> t.step, t.cell.tolist(), t.day.tolist(), t.kind.tolist(), t.count.tolist(), t.fatalities.tolist()
(1, [0, 1, 1], [10, 12, 15], [0, 1, 2], [2, 1, 1], [2, 1, 1])
>>> t.unknown.tolist()
[1, 0, 0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from frontera.layers.fast.codec import NO_DAY, Packer
from frontera.layers.fast.schema import CELL_DAY_COLUMNS, PAYLOAD_VERSION

#: Past this many rows by day (about 20 bytes each before deflate), the rows are by week.
MAX_DAY_ROWS = 400_000
ONE_DAY, ENDS = 0, 2


@dataclass(frozen=True)
class CellDays:
    """Sums per cell (index into the aggregate's cells), day (or week's Monday) and kind; aligned arrays."""

    step: int  # 1: by day; 7: by week
    cell: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    count: np.ndarray
    fatalities: np.ndarray
    unknown: np.ndarray

    def __len__(self) -> int:
        return len(self.cell)


def event_days(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each event's first day (days since 1970-01-01, :data:`NO_DAY` when none) and span in days (-1: no end)."""
    start, end = (_day_numbers(frame[c]) for c in ("date_start", "date_end"))
    span = np.where((end == NO_DAY) | (start == NO_DAY), -1, end - start)
    return start, span


def _day_numbers(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values)
    days = stamps.to_numpy("datetime64[D]").astype(np.int64)
    return np.where(stamps.isna().to_numpy(), NO_DAY, days)


def cell_days(
    cell: np.ndarray, start: np.ndarray, span: np.ndarray, fatalities: np.ndarray, *, max_rows: int | None = None
) -> CellDays:
    """The rows of every event with a cell (``cell`` >= 0) and a start day; by week past ``max_rows`` rows
    (default :data:`MAX_DAY_ROWS`).

    ``fatalities`` < 0 or NaN: not reported (adds 0, counted in ``unknown``)."""
    cell, start, span = (np.asarray(a, dtype=np.int64) for a in (cell, start, span))
    fat = np.asarray(fatalities, dtype=float)
    keep = (cell >= 0) & (start != NO_DAY)
    cell, start, span, fat = cell[keep], start[keep], span[keep], fat[keep]
    table = _sum_rows(cell, start, span, fat, 1)
    limit = MAX_DAY_ROWS if max_rows is None else max_rows
    return table if len(table) <= limit else _sum_rows(cell, start, span, fat, 7)


def _sum_rows(cell: np.ndarray, start: np.ndarray, span: np.ndarray, fat: np.ndarray, step: int) -> CellDays:
    one, longer, ended = span == 0, span != 0, span > 0
    cells = np.concatenate([cell[one], cell[longer], cell[ended]])
    days = _bin(np.concatenate([start[one], start[longer], (start + span)[ended]]), step)
    kinds = np.concatenate([np.full(one.sum(), ONE_DAY), np.full(longer.sum(), 1), np.full(ended.sum(), ENDS)])
    f = np.concatenate([fat[one], fat[longer], fat[ended]])
    unknown = ~np.isfinite(f) | (f < 0)
    if not len(cells):
        empty = np.zeros(0, dtype=np.int64)
        return CellDays(step, empty, empty, empty, empty, empty, empty)
    d0 = int(days.min())
    span_days = int(days.max()) - d0 + 1
    key = (cells * 3 + kinds) * span_days + (days - d0)  # sorted by cell, then kind, then day
    uniq, inverse = np.unique(key, return_inverse=True)
    inverse = inverse.ravel()
    cell_kind, day = np.divmod(uniq, span_days)
    order = np.lexsort((cell_kind % 3, day, cell_kind // 3))  # by cell, then day, then kind
    return CellDays(
        step=step,
        cell=(cell_kind // 3)[order],
        day=(day + d0)[order],
        kind=(cell_kind % 3)[order],
        count=np.bincount(inverse, minlength=len(uniq))[order].astype(np.int64),
        fatalities=np.bincount(inverse, weights=np.where(unknown, 0, f), minlength=len(uniq))[order]
        .round()
        .astype(np.int64),
        unknown=np.bincount(inverse, weights=unknown, minlength=len(uniq))[order].round().astype(np.int64),
    )


def _bin(days: np.ndarray, step: int) -> np.ndarray:
    """Days, or (step 7) the Monday of each one's week (1970-01-01 was a Thursday)."""
    return days if step == 1 else days - np.mod(days + 3, 7)


def encode_cell_days(table: CellDays) -> dict:
    """The ``celldays`` payload (:data:`frontera.layers.fast.schema.CELL_DAY_COLUMNS`): ``{"header", "data"}``."""
    pack = Packer(CELL_DAY_COLUMNS)
    pack.codes("cell", table.cell, int(table.cell.max(initial=0)) + 1)
    pack.array("day", table.day.astype(np.int32))
    pack.array("kind", table.kind.astype(np.uint8))
    for name in ("count", "fatalities", "unknown"):  # each in the smallest unsigned type that holds it
        values = getattr(table, name)
        pack.codes(name, values, int(values.max(initial=0)) + 1)
    codec, data = pack.payload()
    header = {
        "v": PAYLOAD_VERSION,
        "payload": "celldays",
        "n": len(table),
        "step": table.step,
        "codec": codec,
        "bytes": pack.size,
        "columns": pack.columns,
    }
    return {"header": header, "data": data}
