"""What the map page reads of a whole layer once per data version, so that a date change only selects from it.

A date change selects some 125,000 of 1,000,000 records (:func:`frontera.filters.visible_records`, by
position, keeping each record's label). Reading their points' coordinates from 125,000 shapely objects
costs more than the rest of the selection; the coordinates of the whole layer are read once per data
version here, and each selection takes its own by the records' labels (the layer's frames are numbered
0..n-1, so a label is the record's position). The map's checks, legend and payload then find them kept
for the frame (:mod:`frontera.layers.points`). Likewise the payload's text columns, coded once per data
version (:func:`frontera.layers.fast.codec.text_codes`): a selection renumbers its codes instead of
reading 125,000 texts per column.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from frontera.layers.fast import AGGREGATE_THRESHOLD, FAST_THRESHOLD
from frontera.layers.fast.codec import remember_texts, text_codes
from frontera.layers.fast.schema import TEXT_FIELDS
from frontera.layers.points import read_xy, remember
from frontera.model.situation import Situation


def by_position(frame: pd.DataFrame) -> bool:
    """Whether ``frame``'s labels are its positions (``0..n-1``), so that a selection's labels index it."""
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


#: Text columns with more distinct values than this (ids) are coded per selection: renumbering a selection's
#: codes needs an array as long as the layer's table.
MAX_CODED = 65_536


@st.cache_resource(max_entries=8, show_spinner=False)
def _layer_texts(key: Hashable, layer: str, _records: gpd.GeoDataFrame) -> dict[str, tuple[np.ndarray, list[str]]]:
    # The payload's text columns of the whole layer, coded once per data version (frontera.layers.fast.codec).
    coded = {name: text_codes(_records[name]) for name in TEXT_FIELDS if name in _records}
    return {name: (codes.astype(np.int32), table) for name, (codes, table) in coded.items() if len(table) <= MAX_CODED}


@st.cache_resource(max_entries=8, show_spinner=False)
def _layer_xy(key: Hashable, layer: str, _records: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    # Keyed by the situation's plain key (store, version, language) and the layer; the frame passes unhashed.
    return read_xy(_records) if by_position(_records) and "geometry" in _records else None


def remember_selection(key: Hashable, sit: Situation, visible: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Give each frame of ``visible`` (selected from ``sit``'s layers, labels kept) its points' coordinates and,
    when it is large, its payload's text columns coded."""
    for layer, frame in visible.items():
        whole = sit.records.get(layer)
        if whole is None or not len(frame) or "geometry" not in frame:
            continue
        xy = _layer_xy(key, layer, whole)
        labels = frame.index.to_numpy()
        if xy is not None and _selected_from(whole, frame, labels):
            remember(frame, xy[0][labels], xy[1][labels])
            # Coded on the first large selection (all dates, as the page opens), used by those sent as events.
            texts = _layer_texts(key, layer, whole) if len(frame) > FAST_THRESHOLD else {}
            if texts and len(frame) <= AGGREGATE_THRESHOLD and _same_texts(whole, frame, labels, list(texts)):
                remember_texts(frame, {name: (codes[labels], table) for name, (codes, table) in texts.items()})


def _sample(frame: pd.DataFrame) -> np.ndarray:
    """Up to 64 rows spread over ``frame``, where a selection is checked against the layer."""
    return np.unique(np.linspace(0, len(frame) - 1, num=min(64, len(frame))).astype(int))


def _selected_from(whole: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, labels: np.ndarray) -> bool:
    """Whether ``frame``'s rows are ``whole``'s at ``labels``: in range, and the very geometry objects (a
    selection copies references, not shapes) at the sampled rows."""
    if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= len(whole):
        return False
    mine, theirs = frame.geometry.array, whole.geometry.array
    return all(mine[i] is theirs[labels[i]] for i in _sample(frame))


def _same_texts(whole: pd.DataFrame, frame: pd.DataFrame, labels: np.ndarray, names: list[str]) -> bool:
    """Whether ``frame``'s text columns ``names`` hold ``whole``'s values at the sampled rows (the same language)."""
    rows = _sample(frame)
    return all(
        frame[name].iloc[rows].fillna("").tolist() == whole[name].iloc[labels[rows]].fillna("").tolist()
        for name in names
    )
