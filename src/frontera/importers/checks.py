"""Vectorised checks shared by the importers: dates, counts, coordinates, and whole records.

Every check works on whole columns (100,000 rows in well under a second) and turns
only the bad cells into :class:`~frontera.model.records.Problem` objects, each naming the
file, the spreadsheet row, the column, the value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from frontera.model.records import (
    DATE_PRECISIONS,
    FLOW_STATUSES,
    GEO_PRECISIONS,
    LAYER_GEOMETRY_TYPES,
    OPERATION_DOMAINS,
    OPERATION_STATUSES,
    REGION_BOUNDS,
    TIME_LAYERS,
    WARN_BOUNDS,
    Problem,
)

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
DATE_EXPECTED = "a date like 2024-06-28, 28 June 2024 or 28-Jun-24"
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
        self, mask: pd.Series | np.ndarray, column: str, values: pd.Series | object, expected: str | pd.Series
    ) -> None:
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.rows.index)
        if not mask.any():
            return
        self.bad |= mask
        self.problems.extend(self._make(mask, column, values, expected))

    def warn(self, mask: pd.Series | np.ndarray, column: str, values: pd.Series | object, expected: str) -> None:
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.rows.index)
        if mask.any():
            self.warnings.extend(self._make(mask, column, values, expected))

    def _make(self, mask: pd.Series, column: str, values: object, expected: str | pd.Series) -> list[Problem]:
        idx = mask[mask].index[:MAX_PROBLEMS_PER_CHECK]
        vals = values.reindex(idx).tolist() if isinstance(values, pd.Series) else [values] * len(idx)
        exps = expected.reindex(idx).tolist() if isinstance(expected, pd.Series) else [expected] * len(idx)
        rows = self.rows.reindex(idx).tolist()
        return [Problem(self.file, int(r), column, _plain(v), e) for r, v, e in zip(rows, vals, exps)]

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
    """Parsed start and end dates; rejects unparsable dates and ends before starts."""
    start_txt = frame[start_col]
    start = parse_dates(start_txt)
    if required:
        chk.reject(blank(start_txt), start_col, start_txt, f"{DATE_EXPECTED} (it is required)")
    chk.reject(~blank(start_txt) & start.isna(), start_col, start_txt, DATE_EXPECTED)
    if end_col is None or end_col not in frame:
        return start, pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    end_txt = frame[end_col]
    end = parse_dates(end_txt)
    chk.reject(~blank(end_txt) & end.isna(), end_col, end_txt, f"{DATE_EXPECTED}, or empty (ongoing)")
    backwards = (end < start).fillna(False)
    chk.reject(backwards, end_col, end_txt, "a date on or after the start date; swap them or fix one")
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
        num.isna() | (num < 0) | (num != np.floor(num.fillna(0))) | ~np.isfinite(num.fillna(0)) | (num > 1e12)
    )
    chk.reject(bad, label, frame[column], "a whole number >= 0")
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
        chk.reject(lat_txt == "", lat_col, lat_txt, "a latitude in decimal degrees (it is required)")
        chk.reject(lon_txt == "", lon_col, lon_txt, "a longitude in decimal degrees (it is required)")
    chk.reject((lat_txt != "") & lat.isna(), lat_col, lat_txt, "a latitude in decimal degrees, e.g. 15.43466")
    chk.reject((lon_txt != "") & lon.isna(), lon_col, lon_txt, "a longitude in decimal degrees, e.g. -92.11711")
    known = lat.notna() & lon.notna()
    lat_out = known & ~lat.between(-90, 90)
    lon_out = known & ~lon.between(-180, 180)
    swapped = known & _inside(lat, lon, REGION_BOUNDS) & ~_inside(lon, lat, WARN_BOUNDS)
    chk.reject(
        swapped,
        f"{lat_col}/{lon_col}",
        lat_txt + ", " + lon_txt,
        "latitude then longitude; these look swapped (this region is near latitude 16, longitude -92): swap the columns",
    )
    chk.reject(lat_out & ~swapped, lat_col, lat_txt, "a latitude between -90 and 90")
    chk.reject(lon_out & ~swapped & ~lat_out, lon_col, lon_txt, "a longitude between -180 and 180")
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
    """Inside REGION_BOUNDS: fine. Inside WARN_BOUNDS: accepted with a warning. Beyond: rejected."""
    known = x0.notna() & y0.notna() & x1.notna() & y1.notna()
    in_region = _inside(x0, y0, REGION_BOUNDS) & _inside(x1, y1, REGION_BOUNDS)
    in_warn = _inside(x0, y0, WARN_BOUNDS) & _inside(x1, y1, WARN_BOUNDS)
    chk.warn(
        known & ~in_region & in_warn,
        column,
        values,
        f"a place inside the map region {REGION_BOUNDS} (lon, lat); kept, but it lies outside the region shown",
    )
    chk.reject(
        known & ~in_warn,
        column,
        values,
        f"a place in southern Mexico or Central America, inside {WARN_BOUNDS} (lon, lat); "
        "check the coordinates or leave this row out",
    )


def check_geometry(chk: Checker, layer: pd.Series, geoms: np.ndarray, column: str = "geometry") -> None:
    """Present (except for operations), finite, of a type the layer draws, valid, and inside the region."""
    geoms = np.asarray(geoms, dtype=object)
    missing = pd.Series(shapely.is_missing(geoms) | shapely.is_empty(geoms), index=chk.rows.index)
    chk.reject(
        missing & (layer != "operations"),
        column,
        "empty",
        "a geometry (a point, or a line for flows; only operations may have none)",
    )
    present = ~missing

    def wkt(mask: pd.Series) -> pd.Series:
        return pd.Series(
            [shapely.to_wkt(g, rounding_precision=5)[:60] if ok else "" for g, ok in zip(geoms, mask)],
            index=chk.rows.index,
        )

    nonfinite = present & _nonfinite(geoms, present.to_numpy())
    chk.reject(
        nonfinite,
        column,
        wkt(nonfinite),
        "coordinates that are numbers (this geometry has NaN or "
        "infinite coordinates); give the real longitude and latitude, or leave the row out",
    )
    kinds = pd.Series(shapely.get_type_id(geoms), index=chk.rows.index).map(_TYPE_NAMES).fillna("")
    allowed = layer.map(lambda lay: LAYER_GEOMETRY_TYPES.get(lay, ()))
    wrong = (
        present
        & ~nonfinite
        & layer.isin(list(LAYER_GEOMETRY_TYPES))
        & ~pd.Series([k in a for k, a in zip(kinds, allowed)], index=chk.rows.index, dtype=bool)
    )
    chk.reject(
        wrong,
        column,
        wkt(wrong),
        "a " + allowed.map(" or ".join) + " for the layer '" + layer + "' (it is drawn as one); "
        "convert or split the geometry, e.g. in QGIS",
    )
    check = present & ~nonfinite & ~wrong
    invalid = pd.Series(False, index=chk.rows.index)
    if check.any():
        invalid[check] = ~shapely.is_valid(geoms[check.to_numpy()])
    chk.reject(
        invalid,
        column,
        wkt(invalid),
        "a valid geometry (no self-intersections); repair it, e.g. with QGIS 'Fix geometries'",
    )
    good = (check & ~invalid).to_numpy()
    b = np.full((len(geoms), 4), np.nan)
    if good.any():
        b[good] = shapely.bounds(geoms[good])
    bounds = pd.DataFrame(b, index=chk.rows.index)
    r = bounds.round(3).astype(object).astype(str)
    text = "(" + r[0] + ", " + r[1] + ", " + r[2] + ", " + r[3] + ")"
    check_region(chk, bounds[0], bounds[1], bounds[2], bounds[3], column, text)


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def _nonfinite(geoms: np.ndarray, present: np.ndarray) -> np.ndarray:
    """True where a present geometry has a NaN or infinite x or y."""
    out = np.zeros(len(geoms), dtype=bool)
    if present.any():
        coords, index = shapely.get_coordinates(geoms[present], return_index=True)
        bad = np.unique(index[~np.isfinite(coords).all(axis=1)])
        out[np.flatnonzero(present)[bad]] = True
    return out


def check_records(chk: Checker, rec: pd.DataFrame) -> None:
    """Schema rules for built records (the vectorised twin of :class:`~frontera.model.records.Record`)."""
    skip = chk.bad.copy()  # rows already rejected: one clear problem is enough

    class _Only:
        def reject(self, mask, column, values, expected):
            chk.reject(pd.Series(np.asarray(mask, dtype=bool), index=skip.index) & ~skip, column, values, expected)

    only = _Only()

    def text(col: str) -> pd.Series:
        return rec[col].astype(object).where(rec[col].notna(), "").astype(str).str.strip()

    layer = text("layer")
    only.reject(~layer.isin(TIME_LAYERS), "layer", layer, f"one of {', '.join(TIME_LAYERS)}")
    ids = text("id")
    only.reject(ids == "", "id", ids, "an id (any text, unique in the file)")
    only.reject(ids.str.len() > 120, "id", ids.str.slice(0, 40) + "…", "an id of at most 120 characters")
    dup = (ids != "") & ids.duplicated(keep="first")
    if dup.any():
        first_row = chk.rows.groupby(ids).transform("first")
        only.reject(dup, "id", ids, "a unique id (row " + first_row.astype(str) + " has it too)")
    title = text("title")
    only.reject(title == "", "title", title, "a title (a short line saying what happened)")
    only.reject(title.str.len() > 300, "title", title.str.slice(0, 40) + "…", "a title of at most 300 characters")
    dp = text("date_precision")
    only.reject(~dp.isin(DATE_PRECISIONS), "date_precision", dp, f"one of {', '.join(DATE_PRECISIONS)}")
    gp = text("geo_precision")
    only.reject(~gp.isin(GEO_PRECISIONS), "geo_precision", gp, f"one of {', '.join(GEO_PRECISIONS)}")
    only.reject(text("source_ids") == "", "source_ids", "", "at least one source id (who reported it)")
    only.reject(rec["date_start"].isna(), "date_start", rec["date_start"], DATE_EXPECTED + " (it is required)")
    only.reject(
        (rec["date_end"] < rec["date_start"]).fillna(False),
        "date_end",
        rec["date_end"],
        "a date on or after date_start; swap them or fix one",
    )
    status = text("status")
    flows, ops = layer == "flows", layer == "operations"
    only.reject(flows & ~status.isin(FLOW_STATUSES), "status", status, f"one of {', '.join(FLOW_STATUSES)}")
    only.reject(ops & ~status.isin(OPERATION_STATUSES), "status", status, f"one of {', '.join(OPERATION_STATUSES)}")
    domain = text("domain")
    only.reject(
        ops & (domain != "") & ~domain.isin(OPERATION_DOMAINS),
        "domain",
        domain,
        f"one of {', '.join(OPERATION_DOMAINS)}, or empty",
    )
    only.reject(
        flows & ((text("origin_ids") == "") | (text("destination_id") == "")),
        "origin_ids/destination_id",
        text("origin_ids") + " → " + text("destination_id"),
        "a place id for the origin and for the destination",
    )
    unc = pd.to_numeric(rec["uncertainty_km"], errors="coerce")
    only.reject(~unc.isna() & ~unc.between(0, 500), "uncertainty_km", unc, "a distance in km from 0 to 500")
