"""The session's language: the URL's ``lang=`` wins, then the person's choice, then the browser's.

Set once at the top of every run (app.py), before anything is drawn: :func:`frontera.i18n.use`
makes it this session's language only. It is always written back to the URL, so a shared
link opens in the sender's language.
"""

from __future__ import annotations

import streamlit as st

from frontera import i18n
from frontera.i18n import LANGUAGES, _
from frontera.ui.text import plain

URL_KEY = "lang"
WIDGET_KEY = "language"
_CHOSEN = "_frontera_language"
_URL_SEEN = "_frontera_language_url_seen"


def _browser_language() -> str | None:
    try:
        return st.context.locale
    except (AttributeError, RuntimeError):  # no browser (AppTest) or an older Streamlit
        return None


def session_language() -> str:
    """Decide and set this run's language; returns its code."""
    in_url = st.query_params.get(URL_KEY)
    bad = None
    if in_url and in_url != st.session_state.get(_URL_SEEN):  # a (new) language arrived in the URL: it wins
        st.session_state[_URL_SEEN] = in_url
        if in_url in LANGUAGES:
            st.session_state[_CHOSEN] = in_url
        else:
            bad = in_url
    if _CHOSEN not in st.session_state:
        st.session_state[_CHOSEN] = i18n.negotiate(_browser_language())
    lang = st.session_state[_CHOSEN]
    i18n.use(lang)
    if in_url != lang:
        st.query_params[URL_KEY] = lang
        st.session_state[_URL_SEEN] = lang
    if bad is not None:
        st.warning(
            plain(
                _("lang={value} in the URL is not a language Frontera speaks ({known}); showing {name}.").format(
                    value=repr(bad), known=", ".join(LANGUAGES), name=LANGUAGES[lang]
                )
            ),
            icon="⚠️",
        )
    return lang


def _switched() -> None:
    lang = st.session_state[WIDGET_KEY]
    st.session_state[_CHOSEN] = lang
    i18n.use(lang)
    st.query_params[URL_KEY] = lang
    st.session_state[_URL_SEEN] = lang


def language_switch() -> None:
    """The language choice in the sidebar (each language named in itself)."""
    st.session_state[WIDGET_KEY] = i18n.current()
    st.sidebar.selectbox(
        _("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=WIDGET_KEY,
        on_change=_switched,
    )
