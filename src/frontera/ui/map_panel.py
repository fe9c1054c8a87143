"""The map on the page, the figures above it and the details of a clicked feature below it."""

from __future__ import annotations

import re

import streamlit as st
from streamlit_folium import st_folium

from frontera import popups, settings
from frontera.errors import FronteraError
from frontera.filters import Metrics
from frontera.mapview import MapOptions, build_map
from frontera.store import Situation
from frontera.view import View

_ID_IN_TOOLTIP = re.compile(r"^([^:<>]{1,120}):\s")


def show_metrics(m: Metrics) -> None:
    cols = st.columns([2.2, 1, 1, 1, 1])
    cols[0].metric("People reported displaced", m.displaced_text,
                   help="Per report; reports that disagree are shown side by side, never added up.")
    cols[1].metric("Fatalities", f"{m.fatalities:,}", help="Clashes and incidents in the range; unknown counts as 0.")
    cols[2].metric("Clashes", m.clashes)
    cols[3].metric("Incidents", m.incidents)
    cols[4].metric("Operations", m.operations)
    if m.displaced_reports:
        st.caption(f"People reported displaced, per report: {m.displaced_detail}.")


def map_options() -> MapOptions:
    """Options from the deployment's settings; a bad tiles setting is reported, and the map drawn without tiles."""
    try:
        return MapOptions(tiles=settings.tiles())
    except FronteraError as exc:
        st.warning(f"Background tiles are off: {exc}", icon="⚠️")
        return MapOptions()


def show_map(sit: Situation, view: View, options: MapOptions, focus: tuple[float, float] | None = None) -> str | None:
    """Draw the map; return the id of the feature last clicked, if any. ``focus`` re-centres it (lat, lon)."""
    fmap = build_map(sit, view, options)
    # Only the clicked feature's tooltip comes back: panning and zooming do not rerun the script.
    # A gazetteer pick moves the map through center/zoom, without rebuilding it.
    out = st_folium(
        fmap, key="situation_map", height=options.height, use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        center=focus, zoom=12 if focus else None,
    )
    return clicked_id((out or {}).get("last_object_clicked_tooltip"))


def clicked_id(tooltip: str | None) -> str | None:
    """The record id a clicked feature's tooltip starts with (``"F1: 400 people …"`` -> ``"F1"``)."""
    match = _ID_IN_TOOLTIP.match(tooltip or "")
    return match.group(1) if match else None


def show_details(sit: Situation, record_id: str | None) -> None:
    if not record_id:
        st.caption("Click a feature on the map to read its details here.")
        return
    names = sit.place_names()
    for gdf in sit.records.values():
        hit = gdf[gdf["id"] == record_id]
        if len(hit):
            rec = hit.iloc[0].to_dict()
            by_id = {r["id"]: r for r in gdf.to_dict("records")}
            st.subheader(f"Details: {rec['id']}")
            # Built from escaped values only (frontera.popups): no data value is read as HTML.
            st.markdown(popups.detail_html(rec, sit.sources, names, by_id), unsafe_allow_html=True)
            return
