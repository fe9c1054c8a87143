"""Security operations: translucent areas coloured by status, labelled land / air and status.

Records without a map extent (a meeting) are not drawn: they live in the timeline
and data pages. An illustrative extent has a dashed outline and says so in its popup.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from frontera import popups
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.style import OPERATION_COLOURS


def badge_text(rec: dict) -> str:
    """``"LAND + AIR · AGREED"``."""
    domain = (rec.get("domain") or "area").replace(" and ", " + ").upper()
    return f"{domain} · {str(rec.get('status', '')).upper()}"


def add_operations(group: folium.FeatureGroup, operations: gpd.GeoDataFrame, sources: pd.DataFrame) -> int:
    """Draw operation areas; returns how many were drawn (records without geometry are skipped)."""
    sources = popups.source_index(sources)
    drawn = 0
    for rec in operations.to_dict("records"):
        geom = rec["geometry"]
        if geom is None or geom.is_empty:
            continue
        colour = OPERATION_COLOURS.get(rec.get("status", ""), "#525252")
        illustrative = rec.get("geo_precision") == "illustrative"
        html = popups.record_popup(rec, sources, popups.operation_rows(rec))
        layer = folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": geom.__geo_interface__},
            style_function=lambda _f, c=colour, d=illustrative: {
                "color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.12,
                "dashArray": "8 6" if d else None, "className": "frontera-operation",
            },
            highlight_function=lambda _f: {"fillOpacity": 0.25},
            control=False,
        )
        layer.add_child(SafePopup(html))
        tip = (f"{popups.esc(rec['id'])}: {popups.esc(rec['title'])} — {popups.esc(badge_text(rec))}"
               + (" (illustrative extent)" if illustrative else ""))
        layer.add_child(SafeTooltip(tip))
        layer.add_to(group)
        anchor = geom.representative_point()
        badge = folium.Marker(
            location=(anchor.y, anchor.x),
            icon=folium.DivIcon(
                html=f"<span style='border-color:{colour};color:{colour}'>{popups.esc(rec['id'])} {popups.esc(badge_text(rec))}</span>",
                class_name="frontera-operation-badge", icon_size=(0, 0),
            ),
        )
        badge.add_child(SafePopup(html))
        badge.add_child(SafeTooltip(tip))
        badge.add_to(group)
        drawn += 1
    return drawn
