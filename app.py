"""Frontera: the situation map. Composes only: controls, figures, map, details."""

import streamlit as st

from frontera.filters import metrics, visible_records
from frontera.ui import controls, data, map_panel, search

st.set_page_config(page_title="Frontera — situation map", page_icon="🗺️", layout="wide")

sit = data.situation()
view = controls.sidebar_view(data.span(sit))
picked = search.place_search(sit)

st.title("Frontera: Chiapas – Guatemala border")
st.caption(f"Showing {view.window} · layers: {', '.join(view.layers) or 'none'}")
visible = visible_records(sit, view)
map_panel.show_metrics(metrics(visible))

# The view's records are filtered once, for the figures and the map alike.
clicked = map_panel.show_map(sit, view, map_panel.map_options(), visible, focus=picked)
map_panel.show_details(sit, clicked)
