"""Map: the situation map. Composes only: figures, map, trend, details (the view comes from the entrypoint, app.py)."""

import streamlit as st

from frontera.filters import metrics, visible_records
from frontera.ui import controls, data, map_panel, search, trend

sit = data.situation(report=False)
span = data.span(sit)
view = controls.current_view(span)
picked = search.place_search(sit)

st.title("Frontera: Chiapas – Guatemala border")
st.caption(f"Showing {view.window} · layers: {', '.join(view.layers) or 'none'}")
visible = visible_records(sit, view)
map_panel.show_metrics(metrics(visible))
trend.show_empty_note(visible, view, span)  # a window with nothing in it: an empty map and a note

# The view's records are filtered once, for the figures and the map alike.
focus = picked or controls.record_focus(sit)  # a place searched, or a record picked on the timeline
with trend.beside_the_map() as side:  # the trend beside the map: a stretch dragged across it sets the dates
    clicked = map_panel.show_map(sit, view, map_panel.map_options(), visible, focus=focus)
    with side:
        trend.show_trend(sit, view, span)
# A click on the map or the timeline selects a record; its details go once it leaves the view.
map_panel.show_details(sit, controls.selected_record(clicked, visible))
