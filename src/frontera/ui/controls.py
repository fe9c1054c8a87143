"""Sidebar controls bound to the URL: ``?start=…&end=…&layers=…&density=…``.

The URL is read once per session (or when it changes under us); after that the
widgets are the truth and every change is written back to the URL, so the
address bar can always be copied to share the view.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from frontera.dates import DateWindow
from frontera.mapview import LAYER_TITLES
from frontera.schema import LAYERS
from frontera.ui.text import plain
from frontera.view import DENSITY_MODES, View, view_from_query

_VIEW_KEY = "_frontera_view"
_URL_KEY = "_frontera_url_seen"
_WARN_KEY = "_frontera_url_warnings"


def _current_query() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in ("start", "end", "layers", "density") if k in st.query_params}


def _seed_widgets(view: View) -> None:
    st.session_state["dates"] = (view.window.start, view.window.end)
    for layer in LAYERS:
        st.session_state[f"layer_{layer}"] = layer in view.layers
    st.session_state["density"] = view.density


def _clear_warnings() -> None:
    st.session_state[_WARN_KEY] = []


def sidebar_view(span: DateWindow) -> View:
    """Draw the layer checkboxes and the date range; return the view they select."""
    query = _current_query()
    if _VIEW_KEY not in st.session_state or (query and query != st.session_state.get(_URL_KEY)):
        view, warnings = view_from_query(query, span)
        st.session_state[_VIEW_KEY] = view
        st.session_state[_WARN_KEY] = warnings
        _seed_widgets(view)
    elif "dates" not in st.session_state:  # coming back from another page: widget state was dropped
        _seed_widgets(st.session_state[_VIEW_KEY])

    with st.sidebar:
        st.subheader("Layers")
        for layer in LAYERS:
            st.checkbox(LAYER_TITLES[layer], key=f"layer_{layer}", on_change=_clear_warnings)
        st.subheader("Dates")
        picked = st.date_input(
            "Show records that overlap", key="dates", min_value=span.start, max_value=span.end,
            format="YYYY-MM-DD", on_change=_clear_warnings,
            help="A record is shown when its dates overlap this range (both ends included). "
                 "Places, crossings and the border are always shown.",
        )
        st.selectbox("Many events shown as", DENSITY_MODES, key="density", on_change=_clear_warnings,
                     help="auto: one circle per event, or density (hexagons with counts) where they crowd the screen.")
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        start, end = picked
    elif isinstance(picked, (tuple, list)) and len(picked) == 1:  # the second day is still being picked
        start = end = picked[0]
    elif isinstance(picked, dt.date):
        start = end = picked
    else:
        start, end = span.start, span.end
    view = View(DateWindow(min(start, end), max(start, end)),
                tuple(layer for layer in LAYERS if st.session_state.get(f"layer_{layer}")),
                st.session_state.get("density", "auto"))
    st.session_state[_VIEW_KEY] = view
    new_query = view.to_query()
    if _current_query() != new_query:
        st.query_params.from_dict(new_query)
    st.session_state[_URL_KEY] = new_query
    for warning in st.session_state.get(_WARN_KEY, []):
        st.warning(plain(warning), icon="⚠️")  # quotes URL values: literal text only
    return view
