"""Timeline: the records of the current view over time, per layer."""

import streamlit as st

from frontera.timeline import timeline_chart, timeline_frame
from frontera.ui import controls, data

st.set_page_config(page_title="Frontera — timeline", page_icon="🗺️", layout="wide")
sit = data.situation()
view = controls.sidebar_view(data.span(sit))

st.title("Timeline")
st.caption(f"{view.window} · bars run from the first to the last day of each record; "
           "ongoing records run to the end of the range. Items with no place on the map (a meeting) appear here.")
frame = timeline_frame(sit, view)
if frame.empty:
    st.info("No dated record overlaps this range in the layers ticked in the sidebar.")
else:
    st.altair_chart(timeline_chart(frame, view), width="stretch")
    st.dataframe(frame[["id", "layer", "title", "dates", "date_precision", "date_note", "on_map"]],
                 hide_index=True, width="stretch")
