"""The feed beside the map: the view's records, newest first; choosing one selects it and centres the map on it."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from frontera.feed import feed_items
from frontera.i18n import _, format_number, ngettext
from frontera.storage.geopackage import Situation
from frontera.ui import controls
from frontera.ui.text import plain

FEED_KEY = "frontera_feed"
#: The feed scrolls inside a box as tall as the map beside it; on a phone it comes after the map.
#: Entries are left-aligned, wrapping buttons. Constant CSS: no data in it.
FEED_CSS = """<style>
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; } }
.st-key-frontera_feed_head { min-height: 1.2rem; }
/* The trend above the feed (frontera.ui.trend) takes this much of the column's height. */
[data-testid="stMain"]:has(.st-key-frontera_trend) { --frontera-trend-h: 330px; }
.st-key-frontera_feed { max-height: clamp(120px, calc(100vh - 235px - 1.7rem - var(--frontera-trend-h, 0px)), 1070px); overflow-y: auto;
  overflow-x: hidden; gap: 0 !important; padding-right: 0.3rem; }
.st-key-frontera_feed [data-testid="stButton"] button { justify-content: flex-start; text-align: left;
  padding: 0.1rem 0.2rem; min-height: 0; width: 100%; }
.st-key-frontera_feed [data-testid="stButton"] button > div { justify-content: flex-start; width: 100%; }
.st-key-frontera_feed [data-testid="stButton"] button p { text-align: left; font-size: 0.86rem; line-height: 1.25; font-weight: 600; }
.st-key-frontera_feed [data-testid="stCaptionContainer"] { font-size: 0.74rem; line-height: 1.25;
  padding: 0 0.2rem 0.45rem; border-bottom: 1px solid rgba(128, 128, 128, 0.25); margin-bottom: 0.3rem; }
.st-key-frontera_feed_head p { font-size: 0.8rem; margin: 0; }
@media (max-width: 640px) {
  div:has(> .st-key-frontera_map_and_feed) { order: -1; }
  .st-key-frontera_feed { max-height: 60vh; }
}
</style>"""


#: Streamlit's Markdown turns bare web and e-mail addresses into links after unescaping (GFM autolink
#: literals), so plain() alone leaves "http://host/x" from a data file a live link. An invisible word
#: joiner (U+2060) inside "http://", "www." and before "@" keeps such text as text; it reads the same.
_AUTOLINK = re.compile(r"(?i)(?<=\bhttp)(?=s?://)|(?<=\bwww)(?=\.)|(?=@)")


def literal(text: str) -> str:
    r"""``text`` for a Streamlit Markdown label or caption: every Markdown character escaped, no autolink.

    >>> literal("mail x@y or see www.example").replace("\u2060", "|")
    'mail x|@y or see www|\\.example'
    """
    return plain(_AUTOLINK.sub("\u2060", text))


def _choose(record_id: str) -> None:
    controls.select(record_id, focus=True)


def show_feed(situation: Situation, visible: Mapping[str, pd.DataFrame], selected: str | None) -> None:
    """The newest records of ``visible`` (as :func:`frontera.filters.visible_records` gives them), each a
    button that selects it; the chosen one is highlighted, the rest past the newest are counted."""
    st.markdown(FEED_CSS, unsafe_allow_html=True)
    items, rest = feed_items(visible, situation.sources, situation.place_names())
    shown = len(items) + rest
    with st.container(key=f"{FEED_KEY}_head"):
        st.markdown(
            _("**Feed** · {records}, newest first").format(
                records=ngettext("{n} record", "{n} records", shown).format(n=format_number(shown))
            )
        )
    with st.container(key=FEED_KEY):
        if not items:
            st.caption(_("No record in these dates, layers and filters."))
        for item in items:
            # Data text reaches Streamlit's markdown labels only through literal(): shown as it is.
            st.button(
                literal(item.title or item.record_id),
                key=f"feed_{item.record_id}",
                on_click=_choose,
                args=(item.record_id,),
                type="secondary" if item.record_id == selected else "tertiary",
                width="stretch",
            )
            st.caption(literal(item.meta))
        if rest:
            older = ngettext("{n} older record", "{n} older records", rest).format(n=format_number(rest))
            st.caption(_("and {older}; narrow the dates or the focus to list them here.").format(older=older))
