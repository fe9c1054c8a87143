"""Map: the situation map. Composes only: figures, map, details, feed (the view comes from the entrypoint, app.py)."""

import streamlit as st

from frontera.filters import metrics, visible_records
from frontera.i18n import _
from frontera.ui import controls, data, feed, map_panel, search
from frontera.ui.text import plain

sit = data.situation(report=False)
view = controls.current_view(data.span(sit))
picked = search.place_search(sit)

st.title(_("Frontera: Chiapas – Guatemala border"))
st.caption(plain(map_panel.view_caption(view)))
visible = visible_records(sit, view)
map_panel.show_metrics(metrics(visible))

# The view's records are filtered once (dates, layers, focus), for the figures, the map and the feed alike.
# The feed sits beside the map (under it on a phone); a choice there selects and centres like the timeline.
with st.container(key="frontera_map_and_feed"):
    map_column, feed_column = st.columns([2.6, 1], gap="small")
with map_column:
    focus = picked or controls.record_focus(sit)  # a place searched, or a record picked on the timeline or feed
    clicked = map_panel.show_map(sit, view, map_panel.map_options(), visible, focus=focus)
    # A click on the map, the timeline or the feed selects a record; its details go once it leaves the view.
    selected = controls.selected_record(clicked, visible)
    map_panel.show_details(sit, selected)
with feed_column:
    feed.show_feed(sit, visible, selected)
