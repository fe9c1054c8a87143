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

clicked = map_panel.show_map(sit, view, map_panel.map_options(), focus=picked[:2] if picked else None,
                             n_events=sum(len(visible.get(layer, [])) for layer in ("clashes", "incidents")))
map_panel.show_details(sit, clicked)
