"""The view every page shares: one value in session state, drawn by the sidebar and mirrored in the URL.

The URL is read once per session (and again when a different view arrives in it, as
a link opened in the same tab does). After that the :class:`~frontera.model.view.View` in
session state is the truth: the sidebar widgets are drawn from it on every run and
write to it through their callbacks, and every page writes it back to the URL. So a
page change (Streamlit drops the state of widgets a page does not draw, and clears
the URL on a page switch), a reload or a copied address keeps every part of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import geopandas as gpd
import streamlit as st

from frontera import i18n
from frontera.details import record_point
from frontera.i18n import N_, _
from frontera.model.dates import PRESETS, DateWindow, picker_bounds, preset_of, preset_window
from frontera.model.layers import LAYERS, titles
from frontera.model.view import DENSITY_MODES, QUERY_KEYS, View, resolve_selection, view_from_query
from frontera.model.view_warning import ViewWarning
from frontera.storage.geopackage import Situation
from frontera.ui.text import plain

_VIEW_KEY = "_frontera_view"
_URL_KEY = "_frontera_url_seen"
_WARN_KEY = "_frontera_url_warnings"
_SPAN_KEY = "_frontera_data_span"
_CLICK_KEY = "_frontera_map_click_seen"
_FOCUS_KEY = "_frontera_focus_pending"
_OPEN_MAP_KEY = "_frontera_open_map"
DATES_KEY = "dates"
PRESET_KEY = "date_preset"
DENSITY_KEY = "density"

# Enter in the date field applies the typed dates. Streamlit's range date input commits on
# Escape, on a pick in the calendar or when focus leaves both field and calendar, never on
# Enter (and a blur with the calendar open commits nothing): so Enter is turned into Escape.
# A constant script (no data in it), registered once per browser tab.
_ENTER_APPLIES_DATES = """<script>
(() => {
  if (document.fronteraEnterAppliesDates) return;
  document.fronteraEnterAppliesDates = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || !event.isTrusted) return;
    const target = event.target;
    if (!(target instanceof Element) || !target.closest(".st-key-dates [data-testid='stDateInputField']")) return;
    event.preventDefault();
    event.stopPropagation();
    target.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true, cancelable: true}));
  }, true);
})();
</script>"""


def _url_query() -> dict[str, str]:
    return {k: st.query_params[k] for k in QUERY_KEYS if k in st.query_params}


def current_view(span: DateWindow) -> View:
    """The session's view: read from the URL the first time, or when a different view arrives in it."""
    query = _url_query()
    if _VIEW_KEY not in st.session_state or (query and query != st.session_state.get(_URL_KEY)):
        view, warnings = view_from_query(query, span)
        st.session_state[_VIEW_KEY] = view
        st.session_state[_WARN_KEY] = warnings
        st.session_state[_URL_KEY] = query
    return st.session_state[_VIEW_KEY]


def set_view(view: View) -> None:
    """Make ``view`` the session's view and write it to the URL."""
    st.session_state[_VIEW_KEY] = view
    write_url(view)


def write_url(view: View) -> None:
    """Write the view's parameters to the URL, leaving parameters the view does not own alone."""
    wanted = view.to_query()
    if _url_query() != wanted:
        for key in QUERY_KEYS:
            if key not in wanted and key in st.query_params:
                del st.query_params[key]
        st.query_params.update(wanted)
    st.session_state[_URL_KEY] = wanted


def keep_view(span: DateWindow) -> View:
    """For pages without view controls: keep the view (and its URL) as it is."""
    view = current_view(span)
    write_url(view)
    return view


def _seed_widgets(view: View) -> None:
    # Before the widgets are drawn, so a page switch (which drops widget state) shows the view.
    wanted: dict[str, object] = {DATES_KEY: (view.window.start, view.window.end)}
    wanted[PRESET_KEY] = preset_of(view.window, st.session_state.get(_SPAN_KEY, view.window))
    wanted.update({f"layer_{layer}": layer in view.layers for layer in LAYERS})
    wanted[DENSITY_KEY] = view.density
    for key, value in wanted.items():
        if st.session_state.get(key) != value:
            st.session_state[key] = value


def _layers_changed() -> None:
    view = st.session_state[_VIEW_KEY]
    layers = tuple(layer for layer in LAYERS if st.session_state.get(f"layer_{layer}"))
    st.session_state[_VIEW_KEY] = replace(view, layers=layers)
    st.session_state[_WARN_KEY] = []


def _density_changed() -> None:
    view = st.session_state[_VIEW_KEY]
    st.session_state[_VIEW_KEY] = replace(view, density=st.session_state.get(DENSITY_KEY, "auto"))
    st.session_state[_WARN_KEY] = []


def picked_window(picked: object, fallback: DateWindow) -> DateWindow:
    """The date input's value as a window: a range, one day (the second is still being picked), or ``fallback``."""
    days = list(picked) if isinstance(picked, (tuple, list)) else [picked] if isinstance(picked, dt.date) else []
    days = [d for d in days if isinstance(d, dt.date)]
    if not days:
        return fallback
    return DateWindow(min(days), max(days))


def _dates_changed() -> None:
    view = st.session_state[_VIEW_KEY]
    st.session_state[_VIEW_KEY] = replace(view, window=picked_window(st.session_state.get(DATES_KEY), view.window))
    st.session_state[_WARN_KEY] = []


#: The density modes' names as shown (the URL keeps the codes: ``density=hexagons``).
DENSITY_TEXT = {"auto": N_("auto"), "points": N_("points"), "hexagons": N_("hexagons"), "heat": N_("heat")}


#: The date presets' names as shown (PRESETS keys them by their English names).
PRESET_TEXT = {
    "Last 7 days": N_("Last 7 days"),
    "Last 30 days": N_("Last 30 days"),
    "Last 90 days": N_("Last 90 days"),
    "Whole span": N_("Whole span"),
}


def preset_label(name: str, lang: str | None = None) -> str:
    """A date preset as the sidebar names it, in ``lang`` (bound when drawn, like :func:`density_label`)."""
    with i18n.language(lang or i18n.current()):
        return _(PRESET_TEXT.get(name, name))


def density_label(mode: str, lang: str | None = None) -> str:
    """A density mode as the sidebar names it, in ``lang`` (the session's language when None).

    The sidebar binds ``lang`` when it draws the box: Streamlit may call a ``format_func`` again
    outside the script run (AppTest does), where the session's language is not set."""
    with i18n.language(lang or i18n.current()):
        return _(DENSITY_TEXT.get(mode, mode))


def _preset_picked() -> None:
    name = st.session_state.get(PRESET_KEY)
    if name:
        set_window(preset_window(name, st.session_state[_SPAN_KEY]))


def set_window(window: DateWindow) -> None:
    """Show ``window`` (a preset, a stretch picked on the trend); the URL follows on this run."""
    st.session_state[_VIEW_KEY] = replace(st.session_state[_VIEW_KEY], window=window)
    st.session_state[_WARN_KEY] = []


def sidebar_view(span: DateWindow) -> View:
    """Draw the layer checkboxes and the date range from the session's view; return the view."""
    view = current_view(span)
    st.session_state[_SPAN_KEY] = span  # the data's dates, for the presets' callback
    _seed_widgets(view)
    bounds = picker_bounds(view.window, span)
    with st.sidebar:
        st.subheader(_("Layers"))
        for layer, title in titles().items():
            st.checkbox(_(title), key=f"layer_{layer}", on_change=_layers_changed)
        st.subheader(_("Dates"))
        st.date_input(
            _("Show records that overlap"),
            key=DATES_KEY,
            min_value=bounds.start,
            max_value=bounds.end,
            format="YYYY-MM-DD",
            on_change=_dates_changed,
            help=_(
                "A record is shown when its dates overlap this range (both ends included); one with no "
                "end date is still going on, so it shows in every range after its start. Places, crossings and "
                "the border are always shown. The range can reach today. Type a date and press Enter, or pick "
                "one in the calendar."
            ),
        )
        st.pills(
            _("Quick range"),
            list(PRESETS),
            key=PRESET_KEY,
            on_change=_preset_picked,
            format_func=partial(preset_label, lang=i18n.current()),
            label_visibility="collapsed",
            help=_("The last 7, 30 or 90 days of the data (it ends on {day}), or all of it.").format(
                day=i18n.format_date(span.end)
            ),
        )
        st.html(_ENTER_APPLIES_DATES, unsafe_allow_javascript=True, width="content")
        st.selectbox(
            _("Many events shown as"),
            DENSITY_MODES,
            format_func=partial(density_label, lang=i18n.current()),
            key=DENSITY_KEY,
            on_change=_density_changed,
            help=_(
                "auto: one circle per event, or density (hexagons with counts) where they crowd "
                "the screen; points, hexagons or heat: always that."
            ),
        )
    write_url(view)
    for warning in st.session_state.get(_WARN_KEY, []):
        st.warning(plain(warning.said(_) if isinstance(warning, ViewWarning) else warning), icon="⚠️")  # literal text
    return view


def shown_ids(visible: dict[str, gpd.GeoDataFrame], among: set[str] | None = None) -> set[str]:
    """Ids of the records the view shows (as :func:`frontera.filters.visible_records` gives them); with
    ``among``, only those of these ids that it shows (a vectorised look-up: a set of 1,000,000 ids took seconds
    on every run of the map page)."""
    if among is None:
        return {str(i) for recs in visible.values() if len(recs) for i in recs["id"]}
    wanted = sorted(among)
    return {str(i) for recs in visible.values() if len(recs) and wanted for i in recs["id"][recs["id"].isin(wanted)]}


def selected_record(clicked: str | None, visible: dict[str, gpd.GeoDataFrame]) -> str | None:
    """The record whose details to show: a new click on the map, else the view's selection; none once it
    leaves the view (its layer unticked, its dates outside the range). The view and URL follow."""
    view = st.session_state[_VIEW_KEY]
    last_click = st.session_state.get(_CLICK_KEY)
    st.session_state[_CLICK_KEY] = clicked
    candidates = {i for i in (view.selected, clicked) if i}
    chosen = resolve_selection(view.selected, clicked, last_click, shown_ids(visible, candidates))
    if chosen != view.selected:
        set_view(view.with_selected(chosen))
    return chosen


def select(record_id: str | None, focus: bool = False) -> None:
    """Select a record (a click elsewhere than on the map, e.g. on the timeline); ``focus``: the map's
    next run centres on it."""
    set_view(st.session_state[_VIEW_KEY].with_selected(record_id))
    if focus and record_id:
        st.session_state[_FOCUS_KEY] = record_id


def record_focus(sit: Situation) -> tuple[float, float] | None:
    """Once, after :func:`select` with ``focus``: where the record is (lat, lon), for the map to centre on."""
    return record_point(sit, st.session_state.pop(_FOCUS_KEY, None))


def chart_pick(chart_key: str, param: str) -> Callable[[], None]:
    """An ``on_select`` callback for the chart ``chart_key``: the record clicked (its ``id`` in the selection
    ``param``) is selected, and :func:`open_map_if_picked` opens the map on the next run. A callback runs
    only when the selection changes, so coming back to the chart never jumps away again."""

    def picked() -> None:
        rows = st.session_state[chart_key]["selection"][param]
        if rows:
            select(str(rows[0]["id"]), focus=True)
            st.session_state[_OPEN_MAP_KEY] = True

    return picked


def open_map_if_picked(map_page: str) -> None:
    """Switch to ``map_page`` after a :func:`chart_pick` (the view, with the record selected, goes along)."""
    if st.session_state.pop(_OPEN_MAP_KEY, False):
        st.switch_page(map_page, query_params=st.session_state[_VIEW_KEY].to_query())


def change_view(**changes: object) -> None:
    """From a widget's callback: change parts of the session's view (the URL follows on this run)."""
    st.session_state[_VIEW_KEY] = replace(st.session_state[_VIEW_KEY], **changes)
    st.session_state[_WARN_KEY] = []
