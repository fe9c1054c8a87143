"""Tens of thousands of events on one canvas: compact arrays in, circles drawn by ``fastpoints.js``.

One folium ``CircleMarker`` per event costs a Leaflet object, a DOM popup and a
kilobyte of HTML each; past a few thousand events the page stalls. Here the events
travel as columns: coordinates as ``Int32`` (1e-5 degrees, about a metre), dates as
day numbers, every text field dictionary-encoded (a table of distinct values plus a
small integer code per event), the whole packed into one deflated, base64 blob. The
browser inflates it natively (``DecompressionStream``), copies a precomputed circle
sprite per event in view into one pixel buffer (one ``putImageData`` per frame), or,
where events crowd the screen, draws screen hexagons with their counts instead (the
choice is made in the browser, per frame; ``density`` forces one); it finds the
clicked circle through a grid index and builds the popup from the arrays on click,
escaping every value.

:class:`FastEventLayer` draws events; :class:`HexagonLayer` draws
:mod:`frontera.aggregate` cells. Both load ``static/frontera/fastpoints.js``.

The popup shows the fields of :func:`frontera.popups.record_popup` for an event
except the free-text summary and the distance to the border (too large to ship for
every one of 100,000 events; the regular layer shows them for small selections).
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from frontera import assets
from frontera.aggregate import CellAggregate, cell_boundaries
from frontera.layers.literal import js_value
from frontera.layers.style import EVENT_COLOURS, EVENT_FALLBACK_COLOUR
from frontera.model.records import (
    DATE_PRECISION_TEXT,
    DEFAULT_UNCERTAINTY_KM,
    GEO_PRECISION_TEXT,
)
from frontera.model.view import DENSITY_MODES

SCRIPT = ("frontera_fastpoints", f"{assets.STATIC_PREFIX}/frontera/fastpoints.js")
#: Text columns shipped per event, dictionary-encoded.
TEXT_FIELDS = (
    "layer",
    "id",
    "title",
    "kind",
    "actors",
    "source_ids",
    "date_precision",
    "date_note",
    "geo_precision",
    "place_note",
    "dataset",
)
#: Day number that stands for "no date" (the arrays count days since 1970-01-01).
NO_DAY = -(2**31)
#: ``uncertainty_km`` is sent in tenths of a km; this code means "not given".
NO_UNCERTAINTY = 65535
_SEP = "\x1f"  # joins a string table; removed from values


@dataclass
class Packer:
    """Collects typed arrays and string tables into one buffer, each aligned to 8 bytes."""

    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    columns: dict[str, dict] = field(default_factory=dict)

    def _put(self, data: bytes) -> int:
        offset = self.size
        pad = (-len(data)) % 8
        self.parts.append(data + b"\0" * pad)
        self.size += len(data) + pad
        return offset

    def array(self, name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values)
        kind = {
            np.dtype("int32"): "i32",
            np.dtype("uint32"): "u32",
            np.dtype("uint16"): "u16",
            np.dtype("uint8"): "u8",
            np.dtype("float32"): "f32",
        }[values.dtype]
        self.columns[name] = {
            "t": kind,
            "o": self._put(values.astype(values.dtype.newbyteorder("<")).tobytes()),
            "n": int(values.size),
        }

    def codes(self, name: str, codes: np.ndarray, k: int) -> None:
        """Indexes into a table of ``k`` entries, in the smallest unsigned type that holds them."""
        dtype = np.uint8 if k <= 256 else np.uint16 if k <= 65536 else np.uint32
        self.array(name, codes.astype(dtype))

    def text(self, name: str, values: pd.Series) -> None:
        """A text column as codes into a table of distinct values (no codes when all are equal)."""
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        table = uniques.tolist()
        try:
            blob = _SEP.join(table)
        except TypeError:  # blanks (None, NaN) or non-text values
            table = ["" if (u is None or u != u) else str(u) for u in table]
            blob = _SEP.join(table)
        if blob.count(_SEP) != len(table) - 1:  # a value holds the separator: blank it out
            blob = _SEP.join(t.replace(_SEP, " ") for t in table)
        data = blob.encode("utf-8")
        entry: dict = {"t": "str", "o": self._put(data), "b": len(data), "k": len(table)}
        if len(table) > 1:
            self.codes(f"{name}#codes", codes, len(table))
            entry["codes"] = f"{name}#codes"
        self.columns[name] = entry

    def payload(self, level: int = 1) -> tuple[str, str]:
        """``(codec, base64 text)`` of the buffer, deflated when that saves space."""
        raw = b"".join(self.parts)
        packed = zlib.compress(raw, level)
        if len(packed) < 0.9 * len(raw):
            return "deflate", base64.b64encode(packed).decode("ascii")
        return "raw", base64.b64encode(raw).decode("ascii")


def lon_lat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each record's point (representative point of other shapes; NaN when none)."""
    if "geometry" not in frame:
        return frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    x = shapely.get_x(geoms)
    y = shapely.get_y(geoms)
    other = np.isnan(x) & ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if other.any():
        pts = shapely.point_on_surface(geoms[other])
        x[other], y[other] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y


def _days(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values)
    days = stamps.to_numpy("datetime64[D]").astype(np.int64)
    return np.where(stamps.isna().to_numpy(), NO_DAY, days).astype(np.int32)


def _counts(values: pd.Series) -> np.ndarray:
    """Whole numbers with -1 for "not reported"."""
    return pd.to_numeric(values, errors="coerce").fillna(-1).to_numpy(np.int64).clip(-1, 2**31 - 1).astype(np.int32)


def encode_events(frame: pd.DataFrame, sources: pd.DataFrame | None = None, level: int = 1) -> dict:
    """The events of ``frame`` (time-bound records) as the payload ``fastpoints.js`` reads.

    Rows without a location are left out. Returns ``{"header": ..., "data": base64}``;
    ``header["n"]`` is the number of events shipped.
    """
    lon, lat = lon_lat(frame)
    keep = np.isfinite(lon) & np.isfinite(lat)
    if not keep.all():
        frame, lon, lat = frame[keep], lon[keep], lat[keep]
    pack = Packer()
    # Events repeat the coordinates of a few thousand named places: ship each place once.
    x = np.round(lon * 1e5).astype(np.int64)
    y = np.round(lat * 1e5).astype(np.int64)
    off = 2**28  # |lon| <= 18,000,000 in 1e-5 degrees: the shifted pair fits an int64
    places, where = np.unique((x + off) << 32 | (y + off), return_inverse=True)
    pack.array("px", ((places >> 32) - off).astype(np.int32))
    pack.array("py", ((places & 0xFFFFFFFF) - off).astype(np.int32))
    pack.codes("place", where.ravel(), len(places))
    start, end = _days(frame["date_start"]), _days(frame["date_end"])
    pack.array("start", start)
    # The end as days after the start (-1: no end), which is mostly 0 and packs small.
    pack.array("span", np.where((end == NO_DAY) | (start == NO_DAY), -1, end.astype(np.int64) - start).astype(np.int32))
    pack.array("fatalities", _counts(frame["fatalities"]))
    pack.array("injured", _counts(frame["injured"]))
    unc = pd.to_numeric(frame["uncertainty_km"], errors="coerce").to_numpy(float)
    pack.array(
        "uncertainty", np.where(np.isnan(unc), NO_UNCERTAINTY, np.round(np.clip(unc, 0, 6000) * 10)).astype(np.uint16)
    )
    for name in TEXT_FIELDS:
        pack.text(name, frame[name] if name in frame else pd.Series([""] * len(frame), index=frame.index))
    codec, data = pack.payload(level)
    header = {
        "v": 1,
        "n": len(lon),
        "scale": 1e5,
        "noDay": NO_DAY,
        "noUncertainty": NO_UNCERTAINTY,
        "codec": codec,
        "bytes": pack.size,
        "columns": pack.columns,
        "sources": _source_table(frame.get("source_ids"), sources),
    }
    return {"header": header, "data": data}


def _source_table(source_ids: pd.Series | None, sources: pd.DataFrame | None) -> dict[str, list[str]]:
    """``{source_id: [publisher, title, published, url]}`` for the sources the events cite."""
    if source_ids is None or sources is None or not len(sources):
        return {}
    cited = {s.strip() for v in pd.unique(source_ids.fillna("").astype(str)) for s in v.split(";") if s.strip()}
    rows = sources[sources["source_id"].isin(cited)]
    return {
        r["source_id"]: [str(r.get(k, "") or "") for k in ("publisher", "title", "published", "url")]
        for r in rows.to_dict("records")
    }


def _style_options() -> dict:
    return {
        "colours": EVENT_COLOURS,
        "fallbackColour": EVENT_FALLBACK_COLOUR,
        "datePrecisionText": DATE_PRECISION_TEXT,
        "geoPrecisionText": GEO_PRECISION_TEXT,
        "defaultUncertaintyKm": DEFAULT_UNCERTAINTY_KM,
    }


class _CanvasPayloadLayer(JSCSSMixin, MacroElement):
    """A layer of ``fastpoints.js``: its factory (``_factory``) gets ``self.payload`` and ``self.options``.

    The header (which carries source titles and publishers) and the options reach the
    script through :func:`frontera.layers.literal.js_value`, so no text from data is read
    as template or HTML; the data itself is base64.
    """

    _factory = ""
    payload: dict  # set by each subclass's __init__
    options: dict
    default_js: list[tuple[str, str]] = [SCRIPT]  # noqa: RUF012 - folium's JSCSSMixin declares it so
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this._factory }}(
            {{ this.header_js }}, "{{ this.payload.data }}", {{ this.options_js }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    @property
    def header_js(self) -> str:
        return js_value(self.payload["header"])

    @property
    def options_js(self) -> str:
        return js_value(self.options)


class FastEventLayer(_CanvasPayloadLayer):
    """Clashes or incidents drawn on one canvas: circles sized by fatalities, coloured by kind.

    Zero and unknown fatalities stay visible (unknown: hollow); when zoomed in to
    ``ring_min_zoom`` a faint dashed ring shows the place's uncertainty. A click
    opens the popup of the events under the cursor (several at one spot page
    through "‹ 1 of 12 ›"). The canvas has the class ``frontera-fastpoints`` and,
    after each draw, ``data-drawn`` = the number of events drawn in view and
    ``data-mode`` = what was drawn (``points``, ``hexagons`` or ``heat``).

    Whether circles or density are drawn is decided in the browser from what is on
    screen (``density="auto"``): when most events in view share crowded screen
    hexagons, the layer draws the hexagons with their counts and says so in its note
    on the map; zooming in or narrowing the dates brings single events back.

    Parameters
    ----------
    events : DataFrame
        Time-bound records (``RECORD_COLUMNS``) with point geometries.
    sources : DataFrame, optional
        ``geodata/sources.csv``; cited sources become links in the popups.
    density : str
        One of :data:`DENSITY_MODES`: ``auto`` (the browser decides), or always
        ``points``, ``hexagons`` or ``heat``.
    """

    _factory = "L.fronteraFastPoints"

    def __init__(
        self,
        events: pd.DataFrame,
        sources: pd.DataFrame | None = None,
        *,
        name: str = "events",
        ring_min_zoom: int = 9,
        pane_z_index: int = 450,
        density: str = "auto",
    ):
        super().__init__()
        self._name = "FastEventLayer"
        self.payload = encode_events(events, sources)
        self.options = {
            **_style_options(),
            "name": name,
            "ringMinZoom": ring_min_zoom,
            "zIndex": pane_z_index,
            "density": check_density(density),
        }

    @property
    def count(self) -> int:
        """Events shipped (those with a location)."""
        return self.payload["header"]["n"]


def check_density(density: str) -> str:
    """``density`` if it is one of :data:`DENSITY_MODES`, else a ``ValueError`` that lists them.

    >>> check_density("heat")
    'heat'
    """
    if density not in DENSITY_MODES:
        raise ValueError(f"density {density!r} is not one of {', '.join(DENSITY_MODES)}")
    return density


def encode_cells(agg: CellAggregate) -> dict:
    """Hexagon outlines (Int32, 1e-5 degrees, 6 vertices; a pentagon repeats its last) with counts and fatalities."""
    n = len(agg)
    verts = np.zeros((n, 6, 2), dtype=np.int32)
    for i, ring in enumerate(cell_boundaries(agg.cells)):
        pts = np.round(np.asarray(ring, dtype=float)[:, ::-1] * 1e5).astype(np.int32)  # (lat, lon) -> (x, y)
        verts[i, : len(pts)] = pts
        verts[i, len(pts) :] = pts[-1]
    pack = Packer()
    pack.array("verts", verts.ravel())
    pack.array("count", agg.counts.astype(np.uint32))
    pack.array("fatalities", agg.fatalities.astype(np.uint32))
    pack.array("unknown", agg.unknown_fatalities.astype(np.uint32))
    pack.text("cell", pd.Series(agg.cell_ids, dtype=object))
    codec, data = pack.payload()
    header = {"v": 1, "n": n, "res": agg.res, "scale": 1e5, "codec": codec, "bytes": pack.size, "columns": pack.columns}
    return {"header": header, "data": data}


class HexagonLayer(_CanvasPayloadLayer):
    """H3 cells shaded by the number of events in each, labelled with counts; a click shows count and fatalities.

    The canvas has the class ``frontera-hexagons`` and ``data-drawn`` = cells drawn.
    """

    _factory = "L.fronteraHexagons"

    def __init__(self, agg: CellAggregate, *, name: str = "events", note: str = "", pane_z_index: int = 440):
        super().__init__()
        self._name = "HexagonLayer"
        self.payload = encode_cells(agg)
        self.options = {"name": name, "note": note, "zIndex": pane_z_index}


#: Above this many events a folium circle per event is too slow: one canvas layer instead.
FAST_THRESHOLD = 2_000
#: Above this many events even the compact arrays grow past a few MB: H3 hexagons, unless zoomed in.
AGGREGATE_THRESHOLD = 200_000
#: From this zoom on, the events in view are drawn one by one when they are few enough.
DETAIL_ZOOM = 10


@dataclass(frozen=True)
class Viewport:
    """What the map shows: Leaflet zoom and bounds (degrees), as streamlit-folium returns them."""

    zoom: float
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def from_st_folium(cls, out: dict | None) -> Viewport | None:
        """From ``st_folium(..., returned_objects=["zoom", "bounds"])``'s answer; None when it has none."""
        if out is None:
            return None
        try:
            b = out["bounds"]
            return cls(
                float(out["zoom"]),
                float(b["_southWest"]["lat"]),
                float(b["_southWest"]["lng"]),
                float(b["_northEast"]["lat"]),
                float(b["_northEast"]["lng"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def padded(self, factor: float = 1.0) -> Viewport:
        """The view grown by ``factor`` times its size on every side (panning a little needs no rerun)."""
        dy, dx = (self.north - self.south) * factor, (self.east - self.west) * factor
        return Viewport(self.zoom, self.south - dy, self.west - dx, self.north + dy, self.east + dx)


def needs_viewport(n_events: int) -> bool:
    """Whether the page should pass the map's zoom and bounds back (only for aggregates)."""
    return n_events > AGGREGATE_THRESHOLD


def many_events_layer(
    events: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    name: str = "events",
    viewport: Viewport | None = None,
    default_zoom: float = 8.0,
    density: str = "auto",
) -> FastEventLayer | HexagonLayer:
    """The layer for a large selection: every event on a canvas, or hexagons when there are too many.

    Up to :data:`AGGREGATE_THRESHOLD` events are all shipped (the browser pans and zooms
    without asking the server). Above, the events in (a padded) ``viewport`` are shipped
    when the map is zoomed in to :data:`DETAIL_ZOOM` and they are few enough; otherwise
    H3 cells at the resolution for the zoom, summing every event. ``density`` goes to
    :class:`FastEventLayer` (how the browser shows the events it gets).
    """
    from frontera.aggregate import aggregate_points, resolution_for_zoom  # noqa: PLC0415

    if len(events) <= AGGREGATE_THRESHOLD:
        return FastEventLayer(events, sources, name=name, density=density)
    lon, lat = lon_lat(events)
    if viewport is not None and viewport.zoom >= DETAIL_ZOOM:
        box = viewport.padded()
        inside = (lon >= box.west) & (lon <= box.east) & (lat >= box.south) & (lat <= box.north)
        if inside.sum() <= AGGREGATE_THRESHOLD:
            return FastEventLayer(events[inside], sources, name=name, density=density)
    zoom = viewport.zoom if viewport is not None else default_zoom
    centre_lat = (viewport.south + viewport.north) / 2 if viewport is not None else 16.0
    agg = aggregate_points(
        lon, lat, events["fatalities"].to_numpy(dtype=float, na_value=np.nan), resolution_for_zoom(zoom, centre_lat)
    )
    return HexagonLayer(
        agg,
        name=name,
        note=f"{len(events):,} events: zoom in to level {DETAIL_ZOOM} or narrow the dates to see them one by one.",
    )
