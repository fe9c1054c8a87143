"""Map: the situation map. Composes only: figures, map, details (the view comes from the entrypoint, app.py)."""

import streamlit as st

from frontera.filters import metrics, visible_records
from frontera.ui import controls, data, map_panel, search

sit = data.situation(report=False)
view = controls.current_view(data.span(sit))
picked = search.place_search(sit)

st.title("Frontera: Chiapas – Guatemala border")
st.caption(f"Showing {view.window} · layers: {', '.join(view.layers) or 'none'}")
visible = visible_records(sit, view)
map_panel.show_metrics(metrics(visible))

# The view's records are filtered once, for the figures and the map alike.
focus = picked or controls.record_focus(sit)  # a place searched, or a record picked on the timeline
clicked = map_panel.show_map(sit, view, map_panel.map_options(), visible, focus=focus)
# A click on the map or the timeline selects a record; its details go once it leaves the view.
map_panel.show_details(sit, controls.selected_record(clicked, visible))
