"""The binary codec: events and H3 cells as typed arrays and string tables in one deflated, base64 buffer.

Coordinates travel as ``Int32`` (1e-5 degrees, about a metre), each distinct place once;
dates as day numbers; every text field dictionary-encoded (a table of distinct values plus
a small integer code per event). Which columns, in which order and of which type is
declared once in :mod:`frontera.layers.fast.schema`; :class:`Packer` refuses anything else.
The browser inflates the buffer natively (``DecompressionStream``) and reads the columns
by the offsets in the header (``static/frontera/fast-util.js``).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from frontera.aggregate import CellAggregate, cell_boundaries
from frontera.errors import PayloadSchemaError
from frontera.layers.fast.schema import CELL_COLUMNS, EVENT_COLUMNS, PAYLOAD_VERSION, TEXT_FIELDS, Column
from frontera.layers.per_frame import PerFrame
from frontera.layers.points import point_xy

#: Day number that stands for "no date" (the arrays count days since 1970-01-01).
NO_DAY = -(2**31)
#: ``uncertainty_km`` is sent in tenths of a km; this code means "not given".
NO_UNCERTAINTY = 65535
_SEP = "\x1f"  # joins a string table; removed from values
_TYPES = {
    np.dtype("int32"): "i32",
    np.dtype("uint32"): "u32",
    np.dtype("uint16"): "u16",
    np.dtype("uint8"): "u8",
    np.dtype("float32"): "f32",
}


@dataclass
class Packer:
    """Collects the columns of one payload, in the schema's order, into one buffer aligned to 8 bytes."""

    schema: tuple[Column, ...]
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    columns: dict[str, dict] = field(default_factory=dict)

    def _expect(self, name: str, packed_type: str) -> None:
        done = [c for c in self.columns if "#" not in c]
        if len(done) >= len(self.schema) or self.schema[len(done)].name != name:
            wanted = self.schema[len(done)].name if len(done) < len(self.schema) else "nothing more"
            raise PayloadSchemaError(f"payload column {name!r} packed where the schema expects {wanted!r}")
        if not self.schema[len(done)].accepts(packed_type):
            raise PayloadSchemaError(
                f"payload column {name!r} packed as {packed_type}, declared {self.schema[len(done)].type}"
            )

    def _put(self, data: bytes) -> int:
        offset = self.size
        pad = (-len(data)) % 8
        self.parts.append(data + b"\0" * pad)
        self.size += len(data) + pad
        return offset

    def array(self, name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values)
        kind = _TYPES[values.dtype]
        if not name.endswith("#codes"):
            self._expect(name, kind)
        self.columns[name] = {
            "t": kind,
            "o": self._put(values.astype(values.dtype.newbyteorder("<")).tobytes()),
            "n": int(values.size),
        }

    def codes(self, name: str, codes: np.ndarray, k: int) -> None:
        """Indexes into a table of ``k`` entries, in the smallest unsigned type that holds them."""
        dtype = np.uint8 if k <= 256 else np.uint16 if k <= 65536 else np.uint32
        self.array(name, codes.astype(dtype))

    def text(self, name: str, values: pd.Series, known: tuple[np.ndarray, list[str]] | None = None) -> None:
        """A text column as codes into a table of distinct values (no codes when all are equal).

        ``known``: the column already coded (:func:`text_codes` of the rows' whole layer, at these rows):
        the same codes and table as from ``values``, without reading the text again."""
        self._expect(name, "str")
        codes, table = first_seen(*known) if known is not None else text_codes(values)
        data = _SEP.join(table).encode("utf-8")
        entry: dict = {"t": "str", "o": self._put(data), "b": len(data), "k": len(table)}
        self.columns[name] = entry
        if len(table) > 1:
            self.codes(f"{name}#codes", codes, len(table))
            entry["codes"] = f"{name}#codes"

    def payload(self, level: int = 1) -> tuple[str, str]:
        """``(codec, base64 text)`` of the buffer, deflated when that saves space."""
        missing = [c.name for c in self.schema if c.name not in self.columns]
        if missing:
            raise PayloadSchemaError(f"payload columns {missing} declared in the schema were not packed")
        raw = b"".join(self.parts)
        packed = zlib.compress(raw, level)
        if len(packed) < 0.9 * len(raw):
            return "deflate", base64.b64encode(packed).decode("ascii")
        return "raw", base64.b64encode(raw).decode("ascii")


def text_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A code per value and the table of distinct values, in first-seen order, as text (blanks: ``""``;
    the table separator, which no value may hold, as a space)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    table = uniques.tolist()
    try:
        blob = _SEP.join(table)
    except TypeError:  # blanks (None, NaN) or non-text values
        table = ["" if (u is None or u != u) else str(u) for u in table]
        blob = _SEP.join(table)
    if blob.count(_SEP) != len(table) - 1:  # a value holds the separator: blank it out
        table = [t.replace(_SEP, " ") for t in table]
    return codes, table


def first_seen(codes: np.ndarray, table: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes into ``table`` renumbered as :func:`text_codes` would number the values they stand for: the
    table cut to the values present, in the order each first appears.

    >>> first_seen(np.array([2, 0, 2]), ["a", "b", "c"])
    (array([0, 1, 0]), ['c', 'a'])
    """
    n = len(codes)
    first = np.full(len(table), n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    present = np.flatnonzero(first < n)
    order = present[np.argsort(first[present], kind="stable")]
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], [table[i] for i in order]


#: Text columns coded beforehand, per frame (:func:`remember_texts`).
_TEXTS: PerFrame[dict[str, tuple[np.ndarray, list[str]]]] = PerFrame()


def remember_texts(frame: pd.DataFrame, texts: dict[str, tuple[np.ndarray, list[str]]]) -> None:
    """Keep, for ``frame``, text columns already coded: ``{name: (codes, table)}``, a code per row of ``frame``
    into a table (e.g. :func:`text_codes` of the whole layer, taken at the frame's rows)."""
    for name, (codes, _table) in texts.items():
        if len(codes) != len(frame):
            raise ValueError(f"{len(codes)} codes of {name!r} for a frame of {len(frame)} records; give one per record")
    _TEXTS.put(frame, texts)


def lon_lat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each record's point (representative point of other shapes; NaN when none)."""
    if "geometry" not in frame:
        return frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    x, y = point_xy(frame)  # read once per frame, shared with the guard's checks
    other = np.isnan(x)  # not a point (or none, or empty): only those are looked at again
    if not other.any():
        return x, y
    geoms = np.asarray(frame.geometry.values, dtype=object)
    other[other] = ~shapely.is_missing(geoms[other]) & ~shapely.is_empty(geoms[other])
    x, y = x.copy(), y.copy()
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


def _pack_places(pack: Packer, lon: np.ndarray, lat: np.ndarray) -> None:
    """Events repeat the coordinates of a few thousand named places: each place once, a code per event."""
    x = np.round(lon * 1e5).astype(np.int64)
    y = np.round(lat * 1e5).astype(np.int64)
    off = 2**28  # |lon| <= 18,000,000 in 1e-5 degrees: the shifted pair fits an int64
    places, where = np.unique((x + off) << 32 | (y + off), return_inverse=True)
    pack.array("px", ((places >> 32) - off).astype(np.int32))
    pack.array("py", ((places & 0xFFFFFFFF) - off).astype(np.int32))
    pack.codes("place", where.ravel(), len(places))


def _pack_numbers(pack: Packer, frame: pd.DataFrame) -> None:
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


def encode_events(frame: pd.DataFrame, sources: pd.DataFrame | None = None, level: int = 1) -> dict:
    """The events of ``frame`` (time-bound records) as the payload ``fast-points.js`` reads.

    Rows without a location are left out. Returns ``{"header": ..., "data": base64}``;
    ``header["n"]`` is the number of events shipped, ``header["v"]`` the schema's version and
    ``header["hash"]`` a digest of the data (the same events give the same digest).
    """
    lon, lat = lon_lat(frame)
    known = _TEXTS.get(frame) or {}
    keep = np.isfinite(lon) & np.isfinite(lat)
    if not keep.all():
        frame, lon, lat = frame[keep], lon[keep], lat[keep]
        known = {name: (codes[keep], table) for name, (codes, table) in known.items()}
    pack = Packer(EVENT_COLUMNS)
    _pack_places(pack, lon, lat)
    _pack_numbers(pack, frame)
    for name in TEXT_FIELDS:
        values = frame[name] if name in frame else pd.Series([""] * len(frame), index=frame.index)
        pack.text(name, values, known.get(name) if name in frame else None)
    codec, data = pack.payload(level)
    header = {
        "v": PAYLOAD_VERSION,
        "payload": "events",
        "n": len(lon),
        "scale": 1e5,
        "noDay": NO_DAY,
        "noUncertainty": NO_UNCERTAINTY,
        "codec": codec,
        "bytes": pack.size,
        "hash": hashlib.blake2b(data.encode("ascii"), digest_size=8).hexdigest(),
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


def encode_cells(agg: CellAggregate) -> dict:
    """Hexagon outlines (Int32, 1e-5 degrees, 6 vertices; a pentagon repeats its last) with counts and fatalities."""
    n = len(agg)
    verts = np.zeros((n, 6, 2), dtype=np.int32)
    for i, ring in enumerate(cell_boundaries(agg.cells)):
        pts = np.round(np.asarray(ring, dtype=float)[:, ::-1] * 1e5).astype(np.int32)  # (lat, lon) -> (x, y)
        verts[i, : len(pts)] = pts
        verts[i, len(pts) :] = pts[-1]
    pack = Packer(CELL_COLUMNS)
    pack.array("verts", verts.ravel())
    pack.array("count", agg.counts.astype(np.uint32))
    pack.array("fatalities", agg.fatalities.astype(np.uint32))
    pack.array("unknown", agg.unknown_fatalities.astype(np.uint32))
    pack.text("cell", pd.Series(agg.cell_ids, dtype=object))
    codec, data = pack.payload()
    header = {
        "v": PAYLOAD_VERSION,
        "payload": "cells",
        "n": n,
        "res": agg.res,
        "scale": 1e5,
        "codec": codec,
        "bytes": pack.size,
        "columns": pack.columns,
    }
    return {"header": header, "data": data}
