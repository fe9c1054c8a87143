"""Gazetteer search in the sidebar: type part of a name or a record id, pick one, the map centres on it."""

from __future__ import annotations

import streamlit as st

from frontera import gazetteer
from frontera.gazetteer import Place
from frontera.i18n import _, format_number, ngettext
from frontera.storage.geopackage import Situation, geodata_dir
from frontera.ui import controls
from frontera.ui.text import plain

QUERY_KEY = "place_query"
PICK_KEY = "place_pick"
_HITS_KEY = "_place_hits"  # the options shown -> their entries, for the pick's callback
MAX_RESULTS = 12


def _select_picked_record() -> None:
    """A record picked (C1, an imported id) becomes the view's selection: its details show under the map.

    A callback, so it happens once, when the pick changes: a later click on the map still wins.
    """
    hit = st.session_state.get(_HITS_KEY, {}).get(st.session_state.get(PICK_KEY))
    if hit is not None and hit.kind == "record" and hit.id:
        controls.select(hit.id)


@st.cache_resource(max_entries=2, show_spinner=False)
def _gazetteer(geodata: str, _situation: Situation) -> list[Place]:
    # Keyed by the bundled data's folder (towns, places, crossings and states come only from there);
    # the situation itself is passed unhashed.
    return gazetteer.build_gazetteer(_situation.towns, _situation.places, _situation.admin1, _situation.crossings)


def place_search(situation: Situation) -> tuple[float, float, str] | None:
    """Sidebar search; returns ``(lat, lon, name)`` of the place or record picked, or None."""
    places = _gazetteer(str(geodata_dir()), situation)
    query = st.sidebar.text_input(
        _("Find a place"),
        key=QUERY_KEY,
        placeholder=_("e.g. Amatenango, La Mesilla, C1"),
        help=_(
            "Towns (GeoNames, also by their other names), the towns at the border crossings, the crossings, "
            "the places of the situation and record ids (C1, F2…); accents and case do not matter."
        ),
    )
    if not query.strip():
        return None
    # Records (imported ones too) come from the situation as it is now: never cached with the towns.
    hits = gazetteer.find(places, situation.records, query, limit=MAX_RESULTS)
    if not hits:
        st.sidebar.caption(_("No place or record matches {query}.").format(query=plain(repr(query.strip()))))
        return None
    labels = [p.label for p in hits]
    # Two towns of one name in one state: tell them apart by their position.
    labels = [
        f"{label} ({p.lat:.2f}, {p.lon:.2f})" if labels.count(label) > 1 else label for label, p in zip(labels, hits)
    ]
    # Radio options read markdown; record titles come from imported files: shown literally.
    shown = [plain(label) for label in labels]
    st.session_state[_HITS_KEY] = dict(zip(shown, hits))
    picked = st.sidebar.radio(
        ngettext("{n} match", "{n} matches", len(hits)).format(n=format_number(len(hits))),
        shown,
        index=None,
        key=PICK_KEY,
        on_change=_select_picked_record,
    )
    if picked is None or picked not in shown:
        return None
    place = hits[shown.index(picked)]
    return place.lat, place.lon, f"{place.alias} ({place.name})" if place.alias else place.name
