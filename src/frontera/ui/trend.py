"""Time beside the map: the weekly trend (a dragged stretch sets the dates) and the note over an empty window."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from frontera.filters import in_focus
from frontera.i18n import _, current
from frontera.model.dates import DateWindow, empty_window_note
from frontera.model.focus import Focus
from frontera.model.records import TIME_LAYERS
from frontera.model.view import View
from frontera.storage.geopackage import Situation
from frontera.trend import STRETCH, chart_domain, stretch_window, trend_frame, trend_spec, with_window
from frontera.ui import controls
from frontera.ui.data import situation_key
from frontera.ui.text import plain

TREND_KEY = "trend_chart"


def stretch_picked() -> None:
    """The chart's ``on_select``: the stretch dragged across it becomes the date range (and the URL's)."""
    state = st.session_state.get(TREND_KEY) or {}
    window = stretch_window((state.get("selection") or {}).get(STRETCH))
    if window is not None:
        controls.set_window(window)


@st.cache_resource(max_entries=8, show_spinner=False)
def _weekly_frame(key: tuple, layers: tuple[str, ...], focus: Focus, _sit: Situation) -> pd.DataFrame:
    # The whole span (the range is shaded on it), but only the focus the view keeps (kind, actor, deaths, source…):
    # nothing here depends on the dates, so a date change reuses it. Keyed by the situation's plain key (its
    # store and version); the situation itself passes unhashed. Shared, not copied: nothing mutates it.
    return trend_frame({layer: in_focus(_sit.records[layer], focus) for layer in layers})


@st.cache_resource(max_entries=8, show_spinner=False)
def _chart_spec(
    key: tuple, layers: tuple, focus: Focus, first: dt.date, last: dt.date, _frame: pd.DataFrame, _span, _window
) -> dict:
    # The chart once per weekly frame (key, layers, focus) and axis (first, last day): a date change inside the
    # data only moves the shade (trend.with_window). The frame, span and window pass unhashed (the key names them).
    return trend_spec(_frame, _window, _span)


def show_trend(sit: Situation, view: View, span: DateWindow) -> None:
    """Events, fatalities and people displaced per week over the whole data (the view's layers), the range shaded."""
    layers = tuple(layer for layer in TIME_LAYERS if layer in view.layers)
    frame = _weekly_frame((situation_key(), current()), layers, view.focus, sit)
    with st.container(key="frontera_trend"):
        if frame.empty:
            st.caption(_("Trend: no clashes, incidents or displacement reports in the layers ticked."))
            return
        first, last = chart_domain(view.window, span)
        spec = _chart_spec((situation_key(), current()), layers, view.focus, first, last, frame, span, view.window)
        st.vega_lite_chart(
            spec=with_window(spec, view.window),
            width="content",
            key=TREND_KEY,
            on_select=stretch_picked,
            selection_mode=STRETCH,
        )
        st.caption(_("Per week; reports of displacement are never added up. Drag across the events to set the dates."))


def show_empty_note(visible: dict, view: View, span: DateWindow) -> None:
    """Say so when the window holds nothing dated in the layers shown (the map is then empty, not an error)."""
    if visible and not any(len(records) for records in visible.values()):
        st.info(plain(empty_window_note(view.window, span)), icon=":material/event_busy:")
