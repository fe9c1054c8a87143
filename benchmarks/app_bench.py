"""A Streamlit page shaped like Frontera's map page, for the benchmark (``benchmarks/run.py`` starts it).

Reads the events file named by ``FRONTERA_BENCH_EVENTS`` (GeoParquet) once, cached by
its modification time; filters by a date range chosen with a radio button; draws the
events with :func:`frontera.layers.fast.many_events_layer` through st_folium.
``?empty=1`` shows the same map with no events (the baseline for "drawn later than an
empty map"); ``?fg=0`` rebuilds the whole map on a change instead of swapping the
events' feature group.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from frontera import assets
from frontera.filters import in_window
from frontera.layers.fast import Viewport, many_events_layer, needs_viewport
from frontera.model.dates import DateWindow

PATH = Path(os.environ["FRONTERA_BENCH_EVENTS"])
RANGES = {
    "all years": DateWindow(dt.date(2018, 1, 1), dt.date(2025, 12, 31)),
    "2018-2021": DateWindow(dt.date(2018, 1, 1), dt.date(2021, 12, 31)),
}


@st.cache_resource(max_entries=2)
def events(path: str, mtime: float) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path)


st.set_page_config(page_title="Frontera benchmark", layout="wide")
empty = st.query_params.get("empty") == "1"
swap = st.query_params.get("fg", "1") == "1"
choice = st.radio("Dates", list(RANGES), horizontal=True, key="range")
frame = events(str(PATH), PATH.stat().st_mtime)
shown = frame.iloc[0:0] if empty else in_window(frame, RANGES[choice])
# st_folium copies its latest answer to session_state[key] before the rerun it causes.
viewport = Viewport.from_st_folium(st.session_state.get("bench_map"))

m = folium.Map(location=(15.9, -92.2), zoom_start=8, tiles=None)
assets.configure_map(m, "static")
group = folium.FeatureGroup(name="events")
group.add_child(many_events_layer(shown, name="clashes", viewport=viewport))
wants_view = needs_viewport(len(shown))
returned = ["zoom", "bounds"] if wants_view else []
if swap:
    out = st_folium(
        m, key="bench_map", height=600, use_container_width=True, returned_objects=returned, feature_group_to_add=group
    )
else:
    group.add_to(m)
    out = st_folium(m, key="bench_map", height=600, use_container_width=True, returned_objects=returned)
st.caption(f"{len(shown):,} events")
