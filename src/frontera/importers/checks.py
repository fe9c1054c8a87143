"""Reading the cells of a file: dates, counts and coordinates as people write them, vectorised.

These turn a file's own spellings (``28-Jun-24``, ``1,200``, ``15,43466``) into typed
columns and reject the cells that cannot be read; the record rules themselves live in
:mod:`frontera.model.rules` and are checked by :func:`frontera.model.validate.check_records`,
whose result a :class:`Checker` takes in with :meth:`Checker.take`. Every check works on
whole columns (100,000 rows in well under a second) and turns only the bad cells into
:class:`~frontera.model.records.Problem` objects, each naming the file, the spreadsheet
row, the column, the value, what was expected and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from frontera.i18n import N_
from frontera.model.records import REGION_BOUNDS, WARN_BOUNDS, Problem
from frontera.model.rules import MAX_COUNT, RULE, WHOLE_NUMBER, expected_of
from frontera.model.validate import GEOMETRY_STATES, Checked, region_states

#: Date spellings accepted, tried in this order (no day/month guessing for 01/02/2024).
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %B, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
)
MAX_PROBLEMS_PER_CHECK = 100_000


@dataclass
class Checker:
    """Collects problems for one file; ``bad`` marks rows that will be rejected."""

    file: str
    rows: pd.Series  # spreadsheet row number per frame index
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bad: pd.Series = None

    def __post_init__(self) -> None:
        if self.bad is None:
            self.bad = pd.Series(False, index=self.rows.index)

    def reject(
        self,
        mask: pd.Series | np.ndarray,
        column: str,
        values: pd.Series | object,
        expected: str | pd.Series,
        fix: str = "",
    ) -> None:
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.rows.index)
        if not mask.any():
            return
        self.bad |= mask
        self.problems.extend(self._make(mask, column, values, expected, fix))

    def warn(
        self, mask: pd.Series | np.ndarray, column: str, values: pd.Series | object, expected: str, fix: str = ""
    ) -> None:
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.rows.index)
        if mask.any():
            self.warnings.extend(self._make(mask, column, values, expected, fix))

    def take(self, checked: Checked) -> None:
        """Add what :func:`~frontera.model.validate.check_records` found (rows in this checker's order)."""
        self.bad |= pd.Series(checked.bad, index=self.rows.index)
        self.problems.extend(checked.problems)
        self.warnings.extend(checked.warnings)

    def _make(self, mask: pd.Series, column: str, values: object, expected: str | pd.Series, fix: str) -> list[Problem]:
        idx = mask[mask].index[:MAX_PROBLEMS_PER_CHECK]
        vals = values.reindex(idx).tolist() if isinstance(values, pd.Series) else [values] * len(idx)
        exps = expected.reindex(idx).tolist() if isinstance(expected, pd.Series) else [expected] * len(idx)
        rows = self.rows.reindex(idx).tolist()
        return [Problem(self.file, int(r), column, _plain(v), e, fix) for r, v, e in zip(rows, vals, exps)]

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.row or 0)


def _plain(v: object) -> object:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return v


def blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype(str).str.strip() == "")


def parse_dates(s: pd.Series) -> pd.Series:
    """Text cells to ``datetime64[ns]`` (NaT for blanks and for spellings not in DATE_FORMATS)."""
    text = s.astype(str).str.strip()
    uniq = pd.Series(text.unique())  # exports repeat dates: parse each spelling once
    out = pd.Series(pd.NaT, index=uniq.index, dtype="datetime64[ns]")
    todo = uniq != ""
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(uniq[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]").dt.normalize()
        todo.loc[ok[ok].index] = False
    lookup = pd.Series(out.to_numpy(), index=uniq.to_numpy())
    return pd.Series(lookup.reindex(text.to_numpy()).to_numpy(), index=s.index, dtype="datetime64[ns]")


def check_dates(
    chk: Checker, frame: pd.DataFrame, start_col: str, end_col: str | None, required: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Parsed start and end dates; rejects the cells that are not dates (the order is a record rule)."""
    start_txt = frame[start_col]
    start = parse_dates(start_txt)
    if required:
        chk.reject(blank(start_txt), start_col, start_txt, RULE["date-start-required"].expected)
    chk.reject(~blank(start_txt) & start.isna(), start_col, start_txt, RULE["date-start"].expected)
    if end_col is None or end_col not in frame:
        return start, pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    end_txt = frame[end_col]
    end = parse_dates(end_txt)
    chk.reject(~blank(end_txt) & end.isna(), end_col, end_txt, RULE["date-end"].expected)
    return start, end


def check_count(chk: Checker, frame: pd.DataFrame, column: str, label: str | None = None) -> pd.Series:
    """A column of whole numbers >= 0 (``Int64``; blanks stay missing). ``1,200`` is read as 1200."""
    label = label or column
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    raw = frame[column].astype(str).str.strip()
    cleaned = raw.str.replace(
        r"^(\d{1,3})((?:[,_ ]\d{3})+)$",
        lambda m: m.group(1) + m.group(2).replace(",", "").replace("_", "").replace(" ", ""),
        regex=True,
    )
    num = pd.to_numeric(cleaned.where(raw != "", None), errors="coerce")
    is_blank = raw == ""
    bad = ~is_blank & (
        num.isna() | (num < 0) | (num != np.floor(num.fillna(0))) | ~np.isfinite(num.fillna(0)) | (num > MAX_COUNT)
    )
    chk.reject(bad, label, frame[column], WHOLE_NUMBER)
    num = num.where(~bad & ~is_blank)
    return num.round().astype("Int64")


def check_lat_lon(
    chk: Checker, frame: pd.DataFrame, lat_col: str, lon_col: str, required: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Numbers in range, not swapped, inside WARN_BOUNDS (outside REGION_BOUNDS: a warning)."""
    lat_txt, lon_txt = frame[lat_col].astype(str).str.strip(), frame[lon_col].astype(str).str.strip()
    lat = pd.to_numeric(lat_txt.str.replace(",", ".", regex=False).where(lat_txt != "", None), errors="coerce")
    lon = pd.to_numeric(lon_txt.str.replace(",", ".", regex=False).where(lon_txt != "", None), errors="coerce")
    if required:
        chk.reject(lat_txt == "", lat_col, lat_txt, N_("a latitude in decimal degrees (it is required)"))
        chk.reject(lon_txt == "", lon_col, lon_txt, N_("a longitude in decimal degrees (it is required)"))
    chk.reject((lat_txt != "") & lat.isna(), lat_col, lat_txt, N_("a latitude in decimal degrees, e.g. 15.43466"))
    chk.reject((lon_txt != "") & lon.isna(), lon_col, lon_txt, N_("a longitude in decimal degrees, e.g. -92.11711"))
    known = lat.notna() & lon.notna()
    lat_out = known & ~lat.between(-90, 90)
    lon_out = known & ~lon.between(-180, 180)
    swapped = known & _inside(lat, lon, REGION_BOUNDS) & ~_inside(lon, lat, WARN_BOUNDS)
    chk.reject(
        swapped,
        f"{lat_col}/{lon_col}",
        lat_txt + ", " + lon_txt,
        N_(
            "latitude then longitude; these look swapped (this region is near latitude 16, longitude -92): swap the columns"
        ),
    )
    chk.reject(lat_out & ~swapped, lat_col, lat_txt, N_("a latitude between -90 and 90"))
    chk.reject(lon_out & ~swapped & ~lat_out, lon_col, lon_txt, N_("a longitude between -180 and 180"))
    in_range = known & ~lat_out & ~lon_out & ~swapped
    check_region(
        chk,
        lon.where(in_range),
        lat.where(in_range),
        lon.where(in_range),
        lat.where(in_range),
        f"{lat_col}/{lon_col}",
        lat_txt + ", " + lon_txt,
    )
    ok = in_range
    return lat.where(ok), lon.where(ok)


def _inside(x: pd.Series, y: pd.Series, b: tuple[float, float, float, float]) -> pd.Series:
    return (x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3])


def check_region(
    chk: Checker, x0: pd.Series, y0: pd.Series, x1: pd.Series, y1: pd.Series, column: str, values: pd.Series
) -> None:
    """The record rules ``region`` (rejected) and ``region-shown`` (kept, with a warning) for coordinates."""
    state = region_states(*(np.asarray(v, dtype=float) for v in (x0, y0, x1, y1)))
    far, shown = RULE["region"], RULE["region-shown"]
    chk.warn(state == GEOMETRY_STATES.index("outside"), column, values, expected_of(shown), shown.fix)
    chk.reject(state == GEOMETRY_STATES.index("far"), column, values, expected_of(far), far.fix)
