"""Security operations: areas outlined in the colour of their status, labelled land / air and status.

An area is outlined only (four or five translucent fills turned the border into a wash);
it is filled while hovered or selected (``static/frontera/frontera.css``). An operation
given as a point (an imported ACLED "Agreement") gets Frontera's own diamond marker.
Records without a map extent (a meeting) are not drawn: they live in the timeline and
data pages. An illustrative extent has a dashed outline and says so in its popup.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from frontera import popups
from frontera.layers.clock import dated
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.panes import AREAS, BADGES, EVENTS, on_pane
from frontera.layers.style import OPERATION_COLOURS, OPERATION_FALLBACK_COLOUR


def badge_text(rec: dict) -> str:
    """``"LAND + AIR · AGREED"``."""
    domain = (rec.get("domain") or "area").replace(" and ", " + ").upper()
    return f"{domain} · {str(rec.get('status', '')).upper()}"


def label_html(value: object) -> str:
    """A data value as HTML text that no template engine reads either (``{`` ``}`` ``%`` as entities).

    >>> label_html("O9 {{ 7*7 }} <b>")
    'O9 &#123;&#123; 7*7 &#125;&#125; &lt;b&gt;'
    """
    return popups.esc(value).replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;")


def _rings(polygon) -> list[list[tuple[float, float]]]:
    return [[(y, x) for x, y in ring.coords] for ring in (polygon.exterior, *polygon.interiors)]


def area_shape(geom, colour: str, illustrative: bool) -> folium.Polygon:
    """The outline of a Polygon or MultiPolygon (Leaflet takes the nested rings as one layer)."""
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    shape = on_pane(
        folium.Polygon(
            _rings(parts[0])[0],
            color=colour,
            weight=2.2,
            opacity=0.9,
            fill=True,
            fill_color=colour,
            fill_opacity=0,
            dash_array="8 6" if illustrative else None,
            class_name="frontera-operation",
        ),
        AREAS,
    )
    # Holes and several parts: Leaflet reads the nesting; folium's check takes one ring only.
    shape.locations = [_rings(p) for p in parts] if len(parts) > 1 else _rings(parts[0])
    return shape


def point_marker(pt, colour: str) -> folium.Marker:
    """An operation at a point: a diamond in its status colour (never Leaflet's default pin)."""
    return on_pane(
        folium.Marker(
            location=(pt.y, pt.x),
            icon=folium.DivIcon(
                html=f"<div style='background:{colour}'></div>",
                icon_size=(14, 14),
                icon_anchor=(7, 7),
                class_name="frontera-operation-point",
            ),
        ),
        EVENTS,
    )


def badge(rec: dict, anchor, colour: str) -> folium.Marker:
    """The label of an area at a point inside it: ``O1 LAND + AIR · AGREED``."""
    return on_pane(
        folium.Marker(
            location=(anchor.y, anchor.x),
            icon=folium.DivIcon(
                html=f"<span style='border-color:{colour};color:{colour}'>{label_html(rec['id'])} {label_html(badge_text(rec))}</span>",
                class_name="frontera-operation-badge",
                icon_size=(0, 0),
            ),
        ),
        BADGES,
    )


def add_operations(
    group: folium.FeatureGroup, operations: gpd.GeoDataFrame, sources: pd.DataFrame, short: bool = False
) -> int:
    """Draw operation areas (and point operations); returns how many were drawn (records without geometry are skipped).

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).
    """
    sources = popups.source_index(sources)
    records = [r for r in operations.to_dict("records") if r["geometry"] is not None and not r["geometry"].is_empty]
    labels = []
    # Largest areas first, so where areas overlap the smallest lies on top: the one the hover names
    # is the one a click picks (static/frontera/mapuse.js takes the area drawn on top).
    for i in sorted(range(len(records)), key=lambda k: -records[k]["geometry"].area):
        rec = records[i]
        geom = rec["geometry"]
        colour = OPERATION_COLOURS.get(rec.get("status", ""), OPERATION_FALLBACK_COLOUR)
        illustrative = rec.get("geo_precision") == "illustrative"
        html = (
            popups.short_popup(rec, popups.operation_key_rows(rec))
            if short
            else popups.record_popup(rec, sources, popups.operation_rows(rec))
        )
        tip = f"{popups.esc(rec['id'])}: {popups.esc(rec['title'])} — {popups.esc(badge_text(rec))}" + (
            " (illustrative extent)" if illustrative else ""
        )
        shape: folium.Polygon | folium.Marker
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            shape = area_shape(geom, colour, illustrative)
            labels.append((i, badge(rec, geom.representative_point(), colour), html, tip))
        else:
            shape = point_marker(geom if geom.geom_type == "Point" else geom.representative_point(), colour)
        shape.add_child(SafePopup(html))
        shape.add_child(SafeTooltip(tip))
        dated(shape, rec).add_to(group)  # its days, for the clock (frontera.layers.clock)
    # Labels in the records' own order: where labels collide, the first ones stay (mapuse.js).
    for i, label, html, tip in sorted(labels, key=lambda item: item[0]):
        label.add_child(SafePopup(html))
        label.add_child(SafeTooltip(tip))
        dated(label, records[i]).add_to(group)
    return len(records)
