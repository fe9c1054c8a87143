"""What a Frontera record is: layer names, vocabularies, columns, and their checks.

Every time-bound layer (``flows``, ``clashes``, ``incidents``, ``operations``)
shares one wide column set, so that filters, exports and imports treat them the
same; columns that do not apply to a layer stay empty. ``Record`` (pydantic)
checks one row; :func:`validate_layer` checks a whole GeoDataFrame and returns
every problem it finds, each naming the row, the field, the value and the fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

#: Every layer, in drawing order (bottom first).
LAYERS: tuple[str, ...] = ("border", "operations", "flows", "clashes", "incidents", "crossings", "places")
#: Layers whose records have dates and obey the date filter.
TIME_LAYERS: tuple[str, ...] = ("flows", "clashes", "incidents", "operations")
#: Layers that are always true (not time-bound).
STATIC_LAYERS: tuple[str, ...] = ("places", "crossings", "border")
#: Layers shown when the URL names none.
DEFAULT_LAYERS: tuple[str, ...] = ("border", "crossings", "places", "flows", "clashes", "incidents", "operations")

DatePrecision = Literal["day", "range", "week", "part-of-month", "month", "year"]
DATE_PRECISIONS: tuple[str, ...] = ("day", "range", "week", "part-of-month", "month", "year")
DATE_PRECISION_TEXT = {
    "day": "exact day",
    "range": "known range of days",
    "week": "within the week",
    "part-of-month": "part of a month (early / mid / late)",
    "month": "month only",
    "year": "year only",
}

GeoPrecision = Literal["town", "near-town", "municipality", "region", "illustrative"]
GEO_PRECISIONS: tuple[str, ...] = ("town", "near-town", "municipality", "region", "illustrative")
GEO_PRECISION_TEXT = {
    "town": "exact town",
    "near-town": "near a town",
    "municipality": "somewhere in the municipality",
    "region": "somewhere in the region",
    "illustrative": "illustrative area (extent not published)",
}
#: Radius of the uncertainty ring drawn when a record gives none (km).
DEFAULT_UNCERTAINTY_KM = {"town": 0.0, "near-town": 2.0, "municipality": 10.0, "region": 25.0, "illustrative": 0.0}

FLOW_STATUSES: tuple[str, ...] = ("displaced", "returned", "sheltered")
OPERATION_STATUSES: tuple[str, ...] = ("agreed", "planned", "announced", "under way")
OPERATION_DOMAINS: tuple[str, ...] = ("land", "air", "land and air")
EVENT_KINDS: tuple[str, ...] = (
    "armed clash",
    "attack",
    "violence against civilians",
    "explosion or remote violence",
    "mass grave or bodies found",
    "road accident involving migrants",
    "migrant incident",
    "strategic development",
    "protest or riot",
)

#: Geometry types each time-bound layer can draw (``frontera/layers/``): a flow is an arrow along a
#: line (several origins: a multi-line), an event a point, an operation an area or a point.
LAYER_GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "flows": ("LineString", "MultiLineString"),
    "clashes": ("Point",),
    "incidents": ("Point",),
    "operations": ("Polygon", "MultiPolygon", "Point"),
}

#: Region that bundled and imported geometry must fall in (lon_min, lat_min, lon_max, lat_max).
REGION_BOUNDS = (-95.0, 13.5, -87.5, 19.5)
#: Wider box: points outside the region but inside this are accepted with a warning.
WARN_BOUNDS = (-118.5, 7.0, -77.0, 33.0)

#: The columns of a time-bound record, in export order. The first block is the export contract.
RECORD_COLUMNS: tuple[str, ...] = (
    "layer",
    "id",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "geo_precision",
    "source_ids",
    "people",
    "fatalities",
    "injured",
    "status",
    "origin_ids",
    "destination_id",
    "kind",
    "domain",
    "actors",
    "summary",
    "date_note",
    "place_note",
    "uncertainty_km",
    "people_wording",
    "disagrees_with",
    "extent_note",
    "dataset",
)
#: Kept by a store beside each record, never in the record frames the map and exports read: the
#: source's own version stamp (ACLED's ``timestamp``, seconds since 1970; NA when none). An older
#: stamp does not overwrite a newer one.
SOURCE_TIMESTAMP = "source_timestamp"
INT_COLUMNS = ("people", "fatalities", "injured")
FLOAT_COLUMNS = ("uncertainty_km",)
DATE_COLUMNS = ("date_start", "date_end")
TEXT_COLUMNS = tuple(c for c in RECORD_COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS + DATE_COLUMNS)
#: Text fields that may be empty.
OPTIONAL_TEXT = frozenset(TEXT_COLUMNS) - {"layer", "id", "title", "date_precision", "geo_precision", "source_ids"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value; ``str()`` is the message a person reads."""

    file: str
    row: int | None
    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}" if self.row is not None else self.file
        value = self.value
        if isinstance(value, (pd.Timestamp, dt.date)):
            value = value.strftime("%Y-%m-%d")
        return f"{where}, field {self.field!r}: got {value!r}, expected {self.expected}"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value == ""


class Record(BaseModel):
    """One time-bound record, as stored (geometry checked separately)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    layer: Literal["flows", "clashes", "incidents", "operations"]
    id: str = Field(min_length=1, max_length=120)
    title: str = Field(min_length=1, max_length=300)
    date_start: dt.date
    date_end: dt.date | None = None
    date_precision: DatePrecision
    geo_precision: GeoPrecision
    source_ids: str = Field(min_length=1)
    people: int | None = Field(default=None, ge=0)
    fatalities: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    status: str = ""
    origin_ids: str = ""
    destination_id: str = ""
    kind: str = ""
    domain: str = ""
    actors: str = ""
    summary: str = ""
    date_note: str = ""
    place_note: str = ""
    uncertainty_km: float | None = Field(default=None, ge=0, le=500)
    people_wording: str = ""
    disagrees_with: str = ""
    extent_note: str = ""
    dataset: str = "bundled"

    @field_validator("*", mode="before")
    @classmethod
    def _blanks(cls, value: object, info: ValidationInfo) -> object:
        """Empty cells (None, NaN, NaT, "") are None, or "" for optional text fields."""
        if _blank(value):
            return "" if info.field_name in OPTIONAL_TEXT else None
        if isinstance(value, pd.Timestamp):
            return value.date()
        return value

    @field_validator("date_end")
    @classmethod
    def _end_not_before_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date_start")
        if value is not None and start is not None and value < start:
            raise ValueError(f"a day on or after date_start {start} (swap them or fix one)")
        return value

    @model_validator(mode="after")
    def _check_layer_rules(self) -> Record:
        if self.layer == "flows":
            if self.status not in FLOW_STATUSES:
                raise ValueError(f"status {self.status!r} is not one of {FLOW_STATUSES}")
            if not self.origin_ids or not self.destination_id:
                raise ValueError("a flow needs origin_ids and destination_id (place ids)")
        if self.layer == "operations":
            if self.status not in OPERATION_STATUSES:
                raise ValueError(f"status {self.status!r} is not one of {OPERATION_STATUSES}")
            if self.domain and self.domain not in OPERATION_DOMAINS:
                raise ValueError(f"domain {self.domain!r} is not one of {OPERATION_DOMAINS}")
        return self


def split_ids(value: object) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``; blanks give ``[]``.

    >>> split_ids("trt-2024-08-03; efe-2024-08-02")
    ['trt-2024-08-03', 'efe-2024-08-02']
    """
    if _blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def problems_from_validation(error: ValidationError, file: str, row: int | None, values: dict) -> list[Problem]:
    """Turn pydantic's error list into our one-line problems."""
    out = []
    for err in error.errors():
        field = str(err["loc"][0]) if err["loc"] else "record"
        value = values.get(field, err.get("input")) if field != "record" else None
        msg = err["msg"].removeprefix("Value error, ")
        out.append(Problem(file, row, field, value, msg))
    return out


def in_bounds(lon: float, lat: float, bounds: tuple[float, float, float, float] = REGION_BOUNDS) -> bool:
    return bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]


def validate_layer(
    gdf: pd.DataFrame,
    *,
    file: str,
    source_ids: set[str] | None = None,
    place_ids: set[str] | None = None,
) -> list[Problem]:
    """Every problem in a layer of time-bound records (empty list when it is clean).

    Row numbers count from 1, as a spreadsheet shows them.
    """
    problems: list[Problem] = []
    missing = [
        c
        for c in ("layer", "id", "title", "date_start", "date_precision", "geo_precision", "source_ids")
        if c not in gdf.columns
    ]
    if missing:
        return [Problem(file, None, c, None, "a column of that name (it is required)") for c in missing]
    seen: dict[str, int] = {}
    has_geometry = "geometry" in gdf.columns
    for i, row in enumerate(gdf.to_dict("records"), start=1):
        values = {k: row.get(k) for k in RECORD_COLUMNS if k in row}
        rid = values.get("id")
        if not _blank(rid):
            if str(rid) in seen:
                problems.append(Problem(file, i, "id", rid, f"a unique id (row {seen[str(rid)]} has it too)"))
            seen.setdefault(str(rid), i)
        try:
            record = Record.model_validate(values)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, file, i, values))
            continue
        if source_ids is not None:
            for sid in split_ids(record.source_ids):
                if sid not in source_ids:
                    problems.append(Problem(file, i, "source_ids", sid, "an id from geodata/sources.csv"))
        if place_ids is not None and record.layer == "flows":
            for pid in split_ids(record.origin_ids) + split_ids(record.destination_id):
                if pid not in place_ids:
                    problems.append(Problem(file, i, "origin_ids/destination_id", pid, "an id from places"))
        if has_geometry:
            geom = row.get("geometry")
            if geom is None or geom.is_empty:
                if record.layer != "operations":
                    problems.append(Problem(file, i, "geometry", None, "a geometry (only operations may have none)"))
            elif geom.geom_type not in LAYER_GEOMETRY_TYPES[record.layer]:
                problems.append(
                    Problem(
                        file,
                        i,
                        "geometry",
                        geom.wkt[:60],
                        f"a {' or '.join(LAYER_GEOMETRY_TYPES[record.layer])} (what {record.layer} draws)",
                    )
                )
            elif not geom.is_valid:
                problems.append(Problem(file, i, "geometry", geom.wkt[:60], "a valid geometry (run make_valid)"))
            else:
                x0, y0, x1, y1 = geom.bounds
                if not (in_bounds(x0, y0) and in_bounds(x1, y1)):
                    problems.append(
                        Problem(
                            file,
                            i,
                            "geometry",
                            tuple(round(v, 3) for v in geom.bounds),
                            f"a geometry inside the region {REGION_BOUNDS} (lon, lat)",
                        )
                    )
    return problems


CRS = "EPSG:4326"


def empty_records() -> gpd.GeoDataFrame:
    """A frame of no records, with every column typed (a fresh copy: callers may add to it)."""
    return _EMPTY_RECORDS().copy()


@functools.cache
def _EMPTY_RECORDS() -> gpd.GeoDataFrame:  # noqa: N802 - a constant built on first use
    return normalize_records(gpd.GeoDataFrame({c: [] for c in RECORD_COLUMNS}, geometry=gpd.GeoSeries([], crs=CRS)))


def normalize_records(gdf: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
    """Give a frame of time-bound records the in-memory types every other module expects.

    Dates become ``datetime64[ns]`` (NaT when empty), counts nullable ``Int64``,
    text pandas strings with ``""`` for empty optional text; every column of
    ``RECORD_COLUMNS`` exists. Columns that already have their type are left alone
    (a million-row store arrives typed from its cache).
    """
    out = gdf.copy()
    if "geometry" not in out:
        out["geometry"] = None
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=getattr(gdf, "crs", None) or CRS)
    for col in RECORD_COLUMNS:
        if col not in out:
            out[col] = None
    for col in ("date_start", "date_end"):
        if out[col].dtype != "datetime64[ns]":
            values = pd.to_datetime(out[col], errors="coerce")
            if getattr(values.dtype, "tz", None) is not None:  # GeoPackage dates may come back as UTC
                values = values.dt.tz_localize(None)
            out[col] = values.astype("datetime64[ns]")
    for col in INT_COLUMNS:
        if out[col].dtype != "Int64":
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    for col in FLOAT_COLUMNS:
        if out[col].dtype != "float64":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in TEXT_COLUMNS:
        values = out[col]
        if not pd.api.types.is_string_dtype(values) or values.dtype == object:
            values = values.astype(object).where(values.notna(), None).astype("str")
        if col in OPTIONAL_TEXT and values.isna().any():
            values = values.fillna("")
        out[col] = values
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(CRS)
    extra = [c for c in out.columns if c not in RECORD_COLUMNS and c != "geometry"]
    return out[[*RECORD_COLUMNS, *extra, "geometry"]].reset_index(drop=True)
