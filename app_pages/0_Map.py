"""Map: the situation map. Composes only: figures, map, details, and beside the map the trend and the feed
(the view comes from the entrypoint, app.py)."""

import streamlit as st

from frontera.filters import metrics, visible_records
from frontera.i18n import _
from frontera.ui import controls, data, feed, map_panel, search, trend
from frontera.ui.text import plain

sit = data.situation(report=False)
span = data.span(sit)
view = controls.current_view(span)
picked = search.place_search(sit)

st.title(_("Frontera: Chiapas – Guatemala border"))
st.caption(plain(map_panel.view_caption(view)))
visible = visible_records(sit, view)
map_panel.show_metrics(metrics(visible))
trend.show_empty_note(visible, view, span)  # a window with nothing in it: an empty map and a note

# The view's records are filtered once (dates, layers, focus), for the figures, the map, the trend and the feed.
# Beside the map (under it on a phone): the weekly trend (a stretch dragged across it sets the dates) and the
# feed (a choice there selects and centres like the timeline).
with st.container(key="frontera_map_and_feed"):
    map_column, side_column = st.columns([2.6, 1], gap="small")
with map_column:
    focus = picked or controls.record_focus(sit)  # a place searched, or a record picked on the timeline or feed
    clicked = map_panel.show_map(sit, view, map_panel.map_options(), visible, focus=focus)
    # A click on the map, the timeline or the feed selects a record; its details go once it leaves the view.
    selected = controls.selected_record(clicked, visible)
    map_panel.show_details(sit, selected)
with side_column:
    trend.show_trend(sit, view, span)
    feed.show_feed(sit, visible, selected)
