"""Timeline: the records of the current view over time, per layer; a click on a bar opens the record on the map."""

import streamlit as st

from frontera.i18n import _
from frontera.timeline import PICK, timeline_chart, timeline_frame
from frontera.ui import controls, data
from frontera.ui.display import headed, window_text

CHART_KEY = "timeline_chart"
controls.open_map_if_picked("app_pages/0_Map.py")  # after a click on a bar
sit = data.situation(report=False)
view = controls.current_view(data.span(sit))

st.title(_("Timeline"))
st.caption(
    _(
        "{window} · bars run from the first to the last day of each record (at least a few days wide, "
        "so one-day events show); ▶ marks a record still going on. Click a bar to see the record on the map. "
        "Items with no place on the map (a meeting) appear here."
    ).format(window=window_text(view.window))
)
frame = timeline_frame(sit, view)
if frame.empty:
    st.info(_("No dated record overlaps this range in the layers ticked in the sidebar."))
else:
    st.altair_chart(
        timeline_chart(frame, view),
        width="stretch",
        key=CHART_KEY,
        on_select=controls.chart_pick(CHART_KEY, PICK),
        selection_mode=PICK,
    )
    st.dataframe(
        headed(frame[["id", "layer", "title", "dates", "date_precision", "date_note", "on_map"]]),
        hide_index=True,
        width="stretch",
    )
