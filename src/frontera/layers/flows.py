"""Displacement flows: curved arrows from origin to destination, width by people.

Two reports of the same movement (``disagrees_with``) are drawn side by side on
differently bent curves and never merged; each popup says that they disagree.
"""

from __future__ import annotations

import math
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely.geometry import LineString

from frontera import popups
from frontera.layers.clock import dated
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.panes import ARROWS, FLOWS, on_pane
from frontera.layers.style import FLOW_COLOURS, arrow_size, flow_weight
from frontera.model.records import split_ids

_TO_MERC = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_TO_LONLAT = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def curve(start: tuple[float, float], end: tuple[float, float], bend: float, n: int = 24) -> list[tuple[float, float]]:
    """Points (lon, lat) of a quadratic curve from ``start`` to ``end``; ``bend`` is the offset / length.

    Computed in Web Mercator so the curve looks the same on the map at any latitude.
    """
    (x0, y0), (x1, y1) = _TO_MERC.transform(*start), _TO_MERC.transform(*end)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx - dy * bend, my + dx * bend  # control point, to the left of the direction of travel
    t = np.linspace(0.0, 1.0, n)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    lon, lat = _TO_LONLAT.transform(xs, ys)
    return list(zip(lon, lat))


def screen_bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Clockwise angle in degrees from screen-up of the segment a -> b (lon, lat), as drawn in Web Mercator."""
    (x0, y0), (x1, y1) = _TO_MERC.transform(*a), _TO_MERC.transform(*b)
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


def bends(flows: gpd.GeoDataFrame) -> list[list[float]]:
    """Per flow, a bend per arrow (origin), so that arrows from the same origin to the same
    destination do not overlap; an arrow the other way bends to the other side by itself."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for rec in flows.itertuples():
        per_arrow = []
        for origin in split_ids(rec.origin_ids):
            key = (origin, rec.destination_id)
            k = seen.get(key, 0)
            seen[key] = k + 1
            per_arrow.append(0.12 + 0.14 * k)
        out.append(per_arrow)
    return out


def _segments(geom) -> list[LineString]:
    if geom is None or geom.is_empty:
        return []
    return list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom]


def css_id(record_id: object) -> str:
    """A record id made safe for a CSS class name (letters, digits, ``_`` and ``-`` only).

    >>> css_id("acled-2024:12 {x}")
    'acled-2024_12__x_'
    """
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(record_id))


def arrowhead(tip: tuple[float, float], angle: float, size: int, colour: str) -> folium.Marker:
    """A triangle whose tip is at ``tip`` (lat, lon), pointing ``angle`` degrees clockwise from up."""
    return on_pane(
        folium.Marker(
            location=tip,
            icon=folium.DivIcon(
                html=(
                    f"<div style='width:0;height:0;border-left:{size // 2}px solid transparent;"
                    f"border-right:{size // 2}px solid transparent;border-bottom:{size}px solid {colour};"
                    f"transform:translate(-50%,0) rotate({angle:.1f}deg);transform-origin:50% 0'></div>"
                ),
                class_name="frontera-arrowhead",
                icon_size=(0, 0),
            ),
        ),
        ARROWS,
    )


def _flow_tip(rec: dict, origin: str, destination: str, disagreement: str) -> str:
    people = "unknown" if pd.isna(rec["people"]) else f"{int(rec['people']):,}"
    tip = f"{popups.esc(rec['id'])}: {people} people, {popups.esc(origin)} → {popups.esc(destination)}"
    return tip + " (reports disagree)" if disagreement else tip


def add_flows(
    group: folium.FeatureGroup,
    flows: gpd.GeoDataFrame,
    place_names: dict[str, str],
    sources,
    ends_text: dict[str, str] | None = None,
    short: bool = False,
) -> int:
    """Draw each flow as a curve with an arrowhead at its destination. Returns the number of arrows drawn.

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).
    """
    by_id = {r["id"]: r for r in flows.to_dict("records")}
    sources = popups.source_index(sources)
    drawn = 0
    for rec, arrow_bends in zip(flows.to_dict("records"), bends(flows)):
        colour = FLOW_COLOURS.get(rec["status"], "#525252")
        weight = flow_weight(rec["people"])
        origin = "; ".join(place_names.get(i, i) for i in split_ids(rec["origin_ids"]))
        destination = "; ".join(place_names.get(i, i) for i in split_ids(rec["destination_id"]))
        disagreement = popups.disagreement_text(rec, by_id)
        if short:
            html = popups.short_popup(rec, popups.flow_key_rows(rec, origin, destination, disagreement))
        else:
            ends = (ends_text or {}).get(rec["id"], "")
            html = popups.record_popup(rec, sources, popups.flow_rows(rec, origin, destination, disagreement, ends))
        tip = _flow_tip(rec, origin, destination, disagreement)
        for seg, bend in zip(_segments(rec["geometry"]), arrow_bends + [0.12] * 8):
            pts = curve(seg.coords[0], seg.coords[-1], bend)
            latlons = [(lat, lon) for lon, lat in pts]
            # A pale casing under the line keeps it readable over operation areas and labels.
            casing = on_pane(
                folium.PolyLine(
                    latlons, color="#ffffff", weight=weight + 3, opacity=0.8, class_name="frontera-flow-casing"
                ),
                FLOWS,
                interactive=False,
            )
            dated(casing, rec).add_to(group)  # its days, for the clock (frontera.layers.clock)
            line = on_pane(
                folium.PolyLine(
                    latlons,
                    color=colour,
                    weight=weight,
                    opacity=0.9,
                    dash_array="10 6" if rec.get("disagrees_with") and bend > 0.2 else None,
                    class_name=f"frontera-flow frontera-flow-{css_id(rec['id'])}",
                ),
                FLOWS,
            )
            line.add_child(SafePopup(html))
            line.add_child(SafeTooltip(tip))
            dated(line, rec).add_to(group)
            head = arrowhead((pts[-1][1], pts[-1][0]), screen_bearing(pts[-2], pts[-1]), arrow_size(weight), colour)
            head.add_child(SafePopup(html))
            head.add_child(SafeTooltip(tip))  # a click on the arrowhead names the flow, like its line
            dated(head, rec).add_to(group)
            drawn += 1
    return drawn
