"""The focus filters in the sidebar: kind, actor, deaths, source, date and place precision.

Drawn from the session's view on every run and written back through callbacks, like the
other view controls (:mod:`frontera.ui.controls`); what they keep is decided in
:mod:`frontera.model.focus`, once for every page, figure, feed and export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import streamlit as st

from frontera import i18n
from frontera.i18n import _
from frontera.model.focus import Focus, actors_in, clean_text, kinds_in, matching_actors, sources_in
from frontera.model.layers import VOCABULARY
from frontera.model.records import DATE_PRECISION_TEXT, DATE_PRECISIONS, GEO_PRECISION_TEXT, GEO_PRECISIONS
from frontera.model.view import View
from frontera.storage.geopackage import Situation
from frontera.ui import controls
from frontera.ui.data import situation_key
from frontera.ui.feed import literal

#: A compact sidebar, so that its controls fit a 1280×720 screen beside the map. Constant CSS: no data in it.
SIDEBAR_CSS = """<style>
[data-testid="stSidebarHeader"] { padding-top: 0.5rem; padding-bottom: 0; height: auto; min-height: 2rem; }
[data-testid="stSidebarNav"] a { min-height: 0; height: 1.7rem; padding-top: 0; padding-bottom: 0; }
[data-testid="stSidebarNavItems"] { padding-top: 0; padding-bottom: 0.3rem; }
[data-testid="stSidebarNavSeparator"] { margin-bottom: 0.2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.3rem; padding-bottom: 1rem; }
[data-testid="stSidebarUserContent"] [data-testid="stVerticalBlock"] { gap: 0.3rem; }
[data-testid="stSidebarUserContent"] h3 { font-size: 1rem; padding: 0.45rem 0 0.4rem; }
[data-testid="stSidebarUserContent"] [data-testid="stCheckbox"] label { min-height: 1.3rem; }
[data-testid="stSidebarUserContent"] [data-testid="stWidgetLabel"] { min-height: 1.2rem; margin-bottom: 0.1rem; }
[data-testid="stSidebarUserContent"] [data-baseweb="select"] > div,
[data-testid="stSidebarUserContent"] [data-baseweb="input"] { min-height: 2.1rem; }
</style>"""
KIND_KEY = "focus_kind"
ACTOR_KEY = "focus_actor"
DEATHS_KEY = "focus_min_fatalities"
SOURCE_KEY = "focus_source"
DATE_PRECISION_KEY = "focus_date_precision"
PLACE_PRECISION_KEY = "focus_place_precision"


@st.cache_resource(max_entries=2, show_spinner=False)
def _choices(key: tuple, _situation: Situation) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str], tuple]:
    # Keyed by the situation's plain key (bundled folder, store, its version): a parameter whose name starts
    # with "_" is not hashed by Streamlit, so the key must not; the situation itself passes unhashed.
    publishers = dict(zip(_situation.sources["source_id"], _situation.sources["publisher"]))
    records = _situation.records
    return kinds_in(records), sources_in(records), publishers, actors_in(records)


def _widget_values(focus: Focus) -> dict[str, object]:
    return {
        KIND_KEY: list(focus.kinds),
        ACTOR_KEY: focus.actor,
        DEATHS_KEY: focus.min_fatalities,
        SOURCE_KEY: list(focus.sources),
        DATE_PRECISION_KEY: list(focus.date_precisions),
        PLACE_PRECISION_KEY: list(focus.place_precisions),
    }


def _seed(focus: Focus) -> None:
    # Before the widgets are drawn: a page switch drops widget state, a link brings a new focus.
    for key, value in _widget_values(focus).items():
        if st.session_state.get(key) != value:
            st.session_state[key] = value


def _changed() -> None:
    state = st.session_state
    focus = Focus(
        kinds=tuple(state.get(KIND_KEY) or ()),
        actor=clean_text(state.get(ACTOR_KEY) or ""),
        min_fatalities=int(state.get(DEATHS_KEY) or 0),
        sources=tuple(state.get(SOURCE_KEY) or ()),
        date_precisions=tuple(p for p in DATE_PRECISIONS if p in (state.get(DATE_PRECISION_KEY) or ())),
        place_precisions=tuple(p for p in GEO_PRECISIONS if p in (state.get(PLACE_PRECISION_KEY) or ())),
    )
    controls.change_view(focus=focus)


@dataclass(frozen=True)
class _Translator:
    """Options' names in one language, fixed when the sidebar is drawn: Streamlit may call a ``format_func``
    again outside the script run (AppTest does), where the session's language is not set."""

    lang: str

    def text(self, table: Mapping[str, str], code: str) -> str:
        with i18n.language(self.lang):
            return _(table[code]) if code in table else code

    def vocabulary(self, value: str) -> str:
        with i18n.language(self.lang):
            return _(value) if value in VOCABULARY else value


def _bound_translator() -> _Translator:
    return _Translator(i18n.current())


def sidebar_focus(situation: Situation, view: View) -> None:
    """The focus filters, folded in the sidebar (open when one is set)."""
    kinds, sources, publishers, actors = _choices(situation_key(), situation)
    focus = view.focus
    # A value from a link that the data does not hold stays listed (and keeps nothing), never an error.
    kinds = tuple(dict.fromkeys([*kinds, *focus.kinds]))
    sources = tuple(dict.fromkeys([*sources, *focus.sources]))
    _seed(focus)
    title = _("Focus filters ({n} on)").format(n=focus.active) if focus.active else _("Focus filters")
    say = _bound_translator()
    st.sidebar.markdown(SIDEBAR_CSS, unsafe_allow_html=True)
    with st.sidebar.expander(title, expanded=bool(focus.active)):
        st.multiselect(
            _("Kind"), kinds, key=KIND_KEY, on_change=_changed, placeholder=_("every kind"), format_func=say.vocabulary
        )
        st.text_input(
            _("Actor contains"),
            key=ACTOR_KEY,
            on_change=_changed,
            placeholder=_("e.g. Sinaloa, National Guard"),
            help=_("Keeps records whose actors contain this text, in any case (plain text, not a pattern)."),
        )
        if focus.actor:
            found = matching_actors(actors, focus.actor)
            st.caption(
                literal(_("Matches: {actors}").format(actors="; ".join(found)))
                if found
                else _("No actor in the data matches.")
            )
        st.number_input(_("At least this many deaths"), min_value=0, step=1, key=DEATHS_KEY, on_change=_changed)
        st.multiselect(
            _("Source"),
            sources,
            key=SOURCE_KEY,
            on_change=_changed,
            format_func=lambda sid: f"{publishers[sid]} ({sid})" if sid in publishers else sid,
            placeholder=_("every source"),
        )
        st.multiselect(
            _("Date precision"),
            DATE_PRECISIONS,
            key=DATE_PRECISION_KEY,
            on_change=_changed,
            format_func=partial(say.text, DATE_PRECISION_TEXT),
            placeholder=_("any"),
        )
        st.multiselect(
            _("Place precision"),
            GEO_PRECISIONS,
            key=PLACE_PRECISION_KEY,
            on_change=_changed,
            format_func=partial(say.text, GEO_PRECISION_TEXT),
            placeholder=_("any"),
        )
        st.caption(_("A record is kept when it matches every filter set. Flows have no kind and no deaths."))
