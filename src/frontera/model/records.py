"""What a Frontera record is: layer names, vocabularies, columns, and their checks.

Every time-bound layer (``flows``, ``clashes``, ``incidents``, ``operations``)
shares one wide column set, so that filters, exports and imports treat them the
same; columns that do not apply to a layer stay empty. The rules a record obeys
are declared in :mod:`frontera.model.rules` and checked, a whole frame at a time,
by :mod:`frontera.model.validate`; each :class:`Problem` it finds names the file,
the row, the field, the value, what was expected and the fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd

from frontera.model import layers as _layers
from frontera.model.text import N_, say

# The layer names come from the registry (frontera.model.layers), where each layer is declared once.
LAYERS = _layers.LAYERS
TIME_LAYERS = _layers.TIME_LAYERS
STATIC_LAYERS = _layers.STATIC_LAYERS
DEFAULT_LAYERS = _layers.DEFAULT_LAYERS

DatePrecision = Literal["day", "range", "week", "part-of-month", "month", "year"]
DATE_PRECISIONS: tuple[str, ...] = ("day", "range", "week", "part-of-month", "month", "year")
DATE_PRECISION_TEXT = {
    "day": N_("exact day"),
    "range": N_("known range of days"),
    "week": N_("within the week"),
    "part-of-month": N_("part of a month (early / mid / late)"),
    "month": N_("month only"),
    "year": N_("year only"),
}

GeoPrecision = Literal["town", "near-town", "municipality", "region", "illustrative"]
GEO_PRECISIONS: tuple[str, ...] = ("town", "near-town", "municipality", "region", "illustrative")
GEO_PRECISION_TEXT = {
    "town": N_("exact town"),
    "near-town": N_("near a town"),
    "municipality": N_("somewhere in the municipality"),
    "region": N_("somewhere in the region"),
    "illustrative": N_("illustrative area (extent not published)"),
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

#: Geometry types each time-bound layer can draw (``frontera/layers/``), from the registry.
LAYER_GEOMETRY_TYPES = _layers.LAYER_GEOMETRY_TYPES

#: Region that bundled and imported geometry must fall in (lon_min, lat_min, lon_max, lat_max).
REGION_BOUNDS = (-95.0, 13.5, -87.5, 19.5)
#: Wider box: points outside the region but inside this are accepted with a warning.
WARN_BOUNDS = (-118.5, 7.0, -77.0, 33.0)

#: What every record is and where it is told: the head of the record and of the export contract.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "layer",
    "id",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "geo_precision",
    "source_ids",
)
#: The record's descriptive text and notes (exported after the contract's columns).
DESCRIPTIVE_COLUMNS: tuple[str, ...] = (
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
)
#: The columns of a time-bound record, in the order stores keep them.
RECORD_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "people",
    "fatalities",
    "injured",
    "status",
    "origin_ids",
    "destination_id",
    *DESCRIPTIVE_COLUMNS,
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


#: How a problem reads (the adapters translate these words where the message is shown).
PROBLEM_ROW = N_("{file} row {row}")
PROBLEM_MESSAGE = N_("{where}, field {field}: got {value}, expected {advice}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value; ``str()`` is the message a person reads."""

    file: str
    row: int | None
    field: str
    value: object
    expected: str
    fix: str = ""
    template: str = ""  # ``expected`` before ``facts`` filled it in (a rule's words, to translate)
    facts: tuple[tuple[str, object], ...] = ()

    def expected_in(self, tr: Callable[[str], str] = str) -> str:
        """What was expected, its words through ``tr`` (a translator), filled with its facts."""
        template = self.template or getattr(self.expected, "template", "")
        facts = self.facts or getattr(self.expected, "facts", ())
        if template and facts:  # a fact may be worded itself ("200,000 rows"): said through ``tr`` too
            return tr(template).format(**{k: say(v, tr) for k, v in facts})
        return tr(self.expected) if self.expected else ""

    def advice_in(self, tr: Callable[[str], str] = str) -> str:
        """What was expected, then how to fix it, each through ``tr`` (a translator): the message's tail."""
        expected = self.expected_in(tr)
        return f"{expected}; {tr(self.fix)}" if self.fix else expected

    @property
    def advice(self) -> str:
        """What was expected, then how to fix it: the message's tail."""
        return self.advice_in()

    def message(self, tr: Callable[[str], str] = str) -> str:
        """The message a person reads, its words through ``tr`` (the adapters pass ``frontera.i18n._``);
        file, row number, field and value stay as they are."""
        where = tr(PROBLEM_ROW).format(file=self.file, row=self.row) if self.row is not None else self.file
        value = say(self.value, tr)  # a value Frontera described ("an empty file") is said; data stays as given
        if isinstance(value, (pd.Timestamp, dt.date)):
            value = value.strftime("%Y-%m-%d")
        return tr(PROBLEM_MESSAGE).format(
            where=where, field=repr(self.field), value=repr(value), advice=self.advice_in(tr)
        )

    def __str__(self) -> str:
        return self.message()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value == ""


def split_ids(value: object) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``; blanks give ``[]``.

    >>> split_ids("trt-2024-08-03; efe-2024-08-02")
    ['trt-2024-08-03', 'efe-2024-08-02']
    """
    if _blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


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
