"""The x and y of each record's point, read once per frame: the map's checks and its payload share them.

Reading a coordinate of 125,000 shapely geometries costs tens of milliseconds (each is an object of
its own, spread over memory), and drawing one date's events used to read them eight times (the
guard's type and emptiness checks, the legend's, the payload's coordinates). Record frames are never
changed in place, so the coordinates of a frame read before are the same again.

``x`` and ``y`` are NaN for a record without a geometry, with an empty one or with one that is not a
point; so when every one is finite, every record is a drawable point and nothing else needs checking.
Kept per frame (:class:`frontera.layers.per_frame.PerFrame`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from frontera.layers.per_frame import PerFrame

_KEPT: PerFrame[tuple[np.ndarray, np.ndarray]] = PerFrame()


def point_xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each record's point (NaN: no geometry, an empty one, or not a point).

    The arrays are shared by every caller for the same frame: read them, never write into them.
    """
    kept = _KEPT.get(frame)
    return kept if kept is not None else remember(frame, *_read_xy(np.asarray(frame.geometry.values, dtype=object)))


def remember(frame: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep ``x`` and ``y`` as ``frame``'s points (read-only from now on): for a caller that has them already,
    e.g. taken from the coordinates of the whole layer the frame's rows were selected from."""
    if len(x) != len(frame) or len(y) != len(frame):
        raise ValueError(f"{len(x)} x and {len(y)} y values for a frame of {len(frame)} records; give one per record")
    x.setflags(write=False)
    y.setflags(write=False)
    return _KEPT.put(frame, (x, y))


def read_xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """:func:`point_xy` read afresh, kept nowhere (e.g. for a whole layer, cached by its data version elsewhere)."""
    return _read_xy(np.asarray(frame.geometry.values, dtype=object))


def all_points(frame: pd.DataFrame) -> bool:
    """Whether every record of ``frame`` is a point with finite coordinates (so none is missing or empty)."""
    x, y = point_xy(frame)
    return bool(np.isfinite(x).all() and np.isfinite(y).all())


def _read_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    try:
        return shapely.get_x(geoms), shapely.get_y(geoms)
    except shapely.errors.GEOSException:  # an empty point has no x: read the others only
        x, y = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
        some = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        x[some], y[some] = shapely.get_x(geoms[some]), shapely.get_y(geoms[some])
        return x, y
