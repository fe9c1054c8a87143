"""What the map page reads of a whole layer once per data version, so that a date change only selects from it.

A date change selects some 125,000 of 1,000,000 records (:func:`frontera.filters.visible_records`, by
position, keeping each record's label). Reading their points' coordinates from 125,000 shapely objects
costs more than the rest of the selection; the coordinates of the whole layer are read once per data
version here, and each selection takes its own by the records' labels (the layer's frames are numbered
0..n-1, so a label is the record's position). The map's checks, legend and payload then find them kept
for the frame (:mod:`frontera.layers.points`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from frontera.layers.points import read_xy, remember
from frontera.model.situation import Situation


def by_position(frame: pd.DataFrame) -> bool:
    """Whether ``frame``'s labels are its positions (``0..n-1``), so that a selection's labels index it."""
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


@st.cache_resource(max_entries=8, show_spinner=False)
def _layer_xy(key: Hashable, layer: str, _records: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    # Keyed by the situation's plain key (store, version, language) and the layer; the frame passes unhashed.
    return read_xy(_records) if by_position(_records) and "geometry" in _records else None


def remember_points(key: Hashable, sit: Situation, visible: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Give each frame of ``visible`` (selected from ``sit``'s layers, labels kept) its points' coordinates."""
    for layer, frame in visible.items():
        whole = sit.records.get(layer)
        if whole is None or not len(frame) or "geometry" not in frame:
            continue
        xy = _layer_xy(key, layer, whole)
        labels = frame.index.to_numpy()
        if xy is not None and _selected_from(whole, frame, labels):
            remember(frame, xy[0][labels], xy[1][labels])


def _selected_from(whole: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, labels: np.ndarray) -> bool:
    """Whether ``frame``'s rows are ``whole``'s at ``labels``: in range, and the very geometry objects (a
    selection copies references, not shapes), checked at up to 64 rows spread over the frame."""
    if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= len(whole):
        return False
    mine, theirs = frame.geometry.array, whole.geometry.array
    rows = np.unique(np.linspace(0, len(frame) - 1, num=min(64, len(frame))).astype(int))
    return all(mine[i] is theirs[labels[i]] for i in rows)
