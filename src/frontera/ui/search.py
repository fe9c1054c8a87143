"""Gazetteer search in the sidebar: type part of a name, pick a place, the map centres on it."""

from __future__ import annotations

import streamlit as st

from frontera import gazetteer
from frontera.gazetteer import Place
from frontera.store import Situation, geodata_dir
from frontera.ui.text import plain

QUERY_KEY = "place_query"
PICK_KEY = "place_pick"
MAX_RESULTS = 12


@st.cache_resource(max_entries=2, show_spinner=False)
def _gazetteer(geodata: str, _situation: Situation) -> list[Place]:
    # Keyed by the bundled data's folder (towns, places and states come only from there);
    # the situation itself is passed unhashed.
    return gazetteer.build_gazetteer(_situation.towns, _situation.places, _situation.admin1)


def place_search(situation: Situation) -> tuple[float, float, str] | None:
    """Sidebar search; returns ``(lat, lon, label)`` of the place picked, or None."""
    places = _gazetteer(str(geodata_dir()), situation)
    query = st.sidebar.text_input(
        "Find a place", key=QUERY_KEY, placeholder="e.g. Amatenango",
        help="Towns (GeoNames) and the places of the situation; accents and case do not matter.",
    )
    if not query.strip():
        return None
    hits = gazetteer.search(places, query, limit=MAX_RESULTS)
    if not hits:
        st.sidebar.caption(f"No place matches {plain(repr(query.strip()))}.")
        return None
    labels = [p.label for p in hits]
    # Two towns of one name in one state: tell them apart by their position.
    labels = [f"{label} ({p.lat:.2f}, {p.lon:.2f})" if labels.count(label) > 1 else label
              for label, p in zip(labels, hits)]
    # Radio options are read as markdown: names are shown as plain text.
    picked = st.sidebar.radio(f"{len(hits)} place{'s' if len(hits) > 1 else ''} found", labels,
                              index=None, key=PICK_KEY, format_func=plain)
    if picked is None or picked not in labels:
        return None
    place = hits[labels.index(picked)]
    return place.lat, place.lon, place.label
