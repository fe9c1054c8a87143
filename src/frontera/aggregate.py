"""Events summed into H3 hexagons: counts and fatalities per cell, at a resolution chosen from the zoom.

Pure and vectorised. H3 is asked for a cell only once per distinct location (event
data repeats a few thousand place coordinates over and over), at the finest
resolution used (:data:`BASE_RES`); coarser cells are derived from that index with
bit operations, so aggregating a million events at any zoom costs a ``np.unique``.

The sums add up exactly: every event with coordinates lands in exactly one cell,
``counts.sum() == len(events)`` and ``fatalities.sum()`` equals the events' total
(unknown fatalities count as zero and are counted apart in ``unknown_fatalities``).

>>> import numpy as np
>>> cells = cells_for(np.array([-92.13, -92.13, -91.47]), np.array([14.91, 14.91, 15.10]), 5)
>>> agg = aggregate_cells(cells, np.array([2, 0, -1]))
>>> sorted(zip(agg.counts.tolist(), agg.fatalities.tolist(), agg.unknown_fatalities.tolist()))
[(1, 0, 1), (2, 2, 0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3
import numpy as np

#: Finest resolution computed per location (about 200 m edges); coarser ones derive from it.
BASE_RES = 9
#: Resolutions offered for aggregates.
MIN_RES, MAX_RES = 2, 8
#: Wanted hexagon edge on screen, in pixels.
TARGET_EDGE_PX = 14.0

_RES_SHIFT = 52
_RES_MASK = np.uint64(0xF) << np.uint64(_RES_SHIFT)
_EDGE_M = {r: h3.average_hexagon_edge_length(r, "m") for r in range(16)}


def resolution_for_zoom(zoom: float, lat: float = 16.0) -> int:
    """The H3 resolution whose hexagons look about :data:`TARGET_EDGE_PX` wide at a Leaflet ``zoom``.

    >>> [resolution_for_zoom(z) for z in (5, 7, 9, 11)]
    [3, 4, 6, 7]
    """
    metres_per_px = 156543.03392 * math.cos(math.radians(lat)) / 2.0 ** float(zoom)
    want = TARGET_EDGE_PX * metres_per_px
    best = min(range(MIN_RES, MAX_RES + 1), key=lambda r: abs(math.log(_EDGE_M[r] / want)))
    return best


def cells_for(lon: np.ndarray, lat: np.ndarray, res: int = BASE_RES) -> np.ndarray:
    """H3 cells (``uint64``) of points, one per point; ``0`` where a coordinate is missing.

    H3 is called once per distinct location (rounded to 1e-5 degrees, about a metre).
    """
    if not 0 <= res <= BASE_RES:
        raise ValueError(f"res {res!r} is out of range; expected 0 to {BASE_RES}")
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.shape != lat.shape:
        raise ValueError(f"lon and lat differ in length: {lon.shape} and {lat.shape}")
    out = np.zeros(lon.shape, dtype=np.uint64)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return out
    key = np.round(lon[ok] * 1e5).astype(np.int64) * 40_000_000 + np.round(lat[ok] * 1e5).astype(np.int64)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    ulon, ulat = lon[ok][first], lat[ok][first]
    base = np.fromiter(
        (h3.str_to_int(h3.latlng_to_cell(y, x, BASE_RES)) for x, y in zip(ulon.tolist(), ulat.tolist())),
        dtype=np.uint64,
        count=len(uniq),
    )
    out[ok] = parent_cells(base, res)[inverse.ravel()]
    return out


def parent_cells(cells: np.ndarray, res: int) -> np.ndarray:
    """The ancestors of H3 cells at ``res`` (vectorised ``h3.cell_to_parent``); ``0`` stays ``0``.

    >>> c = np.array([h3.str_to_int("896d216d4cbffff")], dtype=np.uint64)
    >>> h3.int_to_str(int(parent_cells(c, 4)[0]))
    '846d217ffffffff'
    """
    cells = np.asarray(cells, dtype=np.uint64)
    if not 0 <= res <= 15:
        raise ValueError(f"res {res!r} is out of range; expected 0 to 15")
    # Digits of resolutions res+1..15 become 7 (unused); each digit is 3 bits, res 15's at bit 0.
    unused = np.uint64((1 << (3 * (15 - res))) - 1)
    out = (cells & ~_RES_MASK) | (np.uint64(res) << np.uint64(_RES_SHIFT)) | unused
    return np.where(cells == 0, np.uint64(0), out)


@dataclass(frozen=True)
class CellAggregate:
    """Events summed per cell; arrays are aligned, one entry per non-empty cell."""

    res: int
    cells: np.ndarray  # uint64 H3 indexes
    counts: np.ndarray  # int64, events per cell
    fatalities: np.ndarray  # int64, sum of known fatalities
    unknown_fatalities: np.ndarray  # int64, events whose fatalities are not reported

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def cell_ids(self) -> list[str]:
        return [h3.int_to_str(int(c)) for c in self.cells]


def aggregate_cells(cells: np.ndarray, fatalities: np.ndarray, res: int | None = None) -> CellAggregate:
    """Sum events per cell. ``fatalities`` < 0 or NaN means not reported (adds 0, counted apart).

    Events without a cell (``0``) are left out; every other event is in exactly one cell.
    """
    cells = np.asarray(cells, dtype=np.uint64)
    fat = np.asarray(fatalities, dtype=float)
    if cells.shape != fat.shape:
        raise ValueError(f"cells and fatalities differ in length: {cells.shape} and {fat.shape}")
    keep = cells != 0
    cells, fat = cells[keep], fat[keep]
    unknown = ~np.isfinite(fat) | (fat < 0)
    known = np.where(unknown, 0, fat).astype(np.int64)
    uniq, inverse = np.unique(cells, return_inverse=True)
    inverse = inverse.ravel()
    n = len(uniq)
    if res is None:
        res = int((int(uniq[0]) >> _RES_SHIFT) & 0xF) if n else BASE_RES
    return CellAggregate(
        res=res,
        cells=uniq,
        counts=np.bincount(inverse, minlength=n).astype(np.int64),
        fatalities=np.bincount(inverse, weights=known, minlength=n).round().astype(np.int64),
        unknown_fatalities=np.bincount(inverse, weights=unknown, minlength=n).round().astype(np.int64),
    )


def aggregate_points(lon: np.ndarray, lat: np.ndarray, fatalities: np.ndarray, res: int) -> CellAggregate:
    """Cells at ``res`` with the number of events and their fatalities (see :func:`aggregate_cells`)."""
    return aggregate_cells(cells_for(lon, lat, res), fatalities, res)


def cell_boundaries(cells: np.ndarray) -> list[list[tuple[float, float]]]:
    """Each cell's outline as ``(lat, lon)`` vertices (5 for pentagons, otherwise 6)."""
    return [list(h3.cell_to_boundary(h3.int_to_str(int(c)))) for c in cells]
