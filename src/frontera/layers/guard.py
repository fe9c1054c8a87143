"""One record that cannot be drawn never takes the map down: it is left off and named.

Imports check geometry types per layer, but records also come from older stores and
other tools. Before a layer is drawn its records are split into those it can draw and
:class:`Undrawn` notes; if drawing still fails, the layer is drawn again record by
record so that only the failing ones are left off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import numpy as np
import shapely

from frontera.i18n import N_, _
from frontera.layers.per_frame import PerFrame
from frontera.layers.points import all_points
from frontera.model.records import LAYER_GEOMETRY_TYPES

T = TypeVar("T")


@dataclass(frozen=True)
class Undrawn:
    """A record the map left off, and why."""

    layer: str
    record_id: str
    reason: str  # in English, filled
    why: str = ""  # the reason's message (translated where shown) and what fills it
    values: tuple[tuple[str, str], ...] = ()

    def message(self) -> str:
        """The note in the session's language (the layer named as the session says it)."""
        reason = _(self.why).format(**dict(self.values)) if self.why else self.reason
        return _(
            "{layer} record {record_id} is not on the map: {reason}. "
            "Its data is on the Data page; fix its geometry and import it again."
        ).format(layer=_(self.layer), record_id=repr(self.record_id), reason=reason)


WRONG_TYPE = N_("its geometry is a {found}, expected {allowed}")
NOT_FINITE = N_("its coordinates are not numbers (NaN or infinite)")
DRAW_FAILED = N_("drawing it failed ({error})")


def _undrawn(layer: str, record_id: str, why: str, **values: str) -> Undrawn:
    return Undrawn(layer, record_id, why.format(**values), why, tuple(values.items()))


#: The last few splits, per frame: the map page names the undrawn records and then draws the same frame, so
#: one date change splits it once. Only the notes and which rows are left off are kept, never a frame.
_SPLITS: PerFrame[dict[str, tuple[np.ndarray | None, list[Undrawn]]]] = PerFrame()


def split_drawable(records: gpd.GeoDataFrame, layer: str) -> tuple[gpd.GeoDataFrame, list[Undrawn]]:
    """The records ``layer`` can draw, and a note for each one it cannot (vectorised: 1M events in ms).

    A record with no geometry is not a fault (a meeting has no place): the timeline shows it.
    Record frames are never changed in place, so a frame split before gives the same answer again.
    """
    if not len(records):
        return records, []
    per_layer = _SPLITS.get(records)
    if per_layer is None:
        per_layer = _SPLITS.put(records, {})
    if layer not in per_layer:
        per_layer[layer] = _left_off(records, layer)
    left_off, notes = per_layer[layer]
    return (records if left_off is None else records[~left_off]), list(notes)


def _left_off(records: gpd.GeoDataFrame, layer: str) -> tuple[np.ndarray | None, list[Undrawn]]:
    """Which records ``layer`` cannot draw (None: it draws them all) and a note for each."""
    allowed = LAYER_GEOMETRY_TYPES.get(layer)
    if (not allowed or "Point" in allowed) and all_points(records):  # finite points: nothing else to check
        return None, []
    geoms = np.asarray(records.geometry.values, dtype=object)
    kinds = shapely.get_type_id(geoms)  # integer codes (-1: none): names for 1M records cost seconds
    present = (kinds >= 0) & ~shapely.is_empty(geoms)
    allowed_ids = [shapely.GeometryType[name.upper()] for name in allowed or ()]
    wrong_type = present & ~np.isin(kinds, allowed_ids) if allowed else np.zeros(len(records), bool)
    not_finite = _not_finite(geoms, kinds, present & ~wrong_type)
    if not (wrong_type.any() or not_finite.any()):
        return None, []
    ids = records["id"].astype(str).to_numpy()
    notes = [
        _undrawn(layer, ids[i], WRONG_TYPE, found=geoms[i].geom_type, allowed=" or ".join(allowed or ()))
        for i in np.flatnonzero(wrong_type)
    ]
    notes += [_undrawn(layer, ids[i], NOT_FINITE) for i in np.flatnonzero(not_finite)]
    return wrong_type | not_finite, notes


def _not_finite(geoms: np.ndarray, kinds: np.ndarray, checked: np.ndarray) -> np.ndarray:
    """Which of the ``checked`` geometries have a coordinate that is NaN or infinite (points: from x and y alone)."""
    out = np.zeros(len(geoms), bool)
    if (kinds[checked] == shapely.GeometryType.POINT).all():
        x, y = shapely.get_x(geoms[checked]), shapely.get_y(geoms[checked])
        out[np.flatnonzero(checked)] = ~(np.isfinite(x) & np.isfinite(y))
        return out
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    out[owner[~np.isfinite(coords).all(axis=1)]] = True
    return out & checked


def draw_guarded(
    add: Callable[[T, gpd.GeoDataFrame], object], records: gpd.GeoDataFrame, layer: str, new_group: Callable[[], T]
) -> tuple[T, list[Undrawn]]:
    """``add(group, records)`` into a new group; the group drawn and a note per record left off.

    When ``add`` raises, the records are drawn one by one (each tried in a group of its own
    first) and only those that fail are left off: one bad record costs itself, not the layer.
    """
    records, notes = split_drawable(records, layer)
    group = new_group()
    try:
        add(group, records)
        return group, notes
    except Exception:  # noqa: BLE001 - isolated below to the records that cause it
        group = new_group()
    for i in range(len(records)):
        one = records.iloc[[i]]
        try:
            add(new_group(), one)
        except Exception as exc:  # noqa: BLE001 - named to the person, never a traceback
            notes.append(_undrawn(layer, str(one["id"].iloc[0]), DRAW_FAILED, error=type(exc).__name__))
            continue
        add(group, one)
    return group, notes
