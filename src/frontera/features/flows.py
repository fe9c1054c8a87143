"""Displacement flows: curved arrows from origin to destination, width by people.

Two reports of the same movement (``disagrees_with``) are drawn side by side on
differently bent curves and never merged; each popup says that they disagree.
"""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely.geometry import LineString

from frontera import popups
from frontera.analysis import distance_to_border_km, side_of_border
from frontera.features import ARROWS, FLOWS, Feature, Tip, country_name, dated
from frontera.features.style import arrow_size, flow_weight
from frontera.i18n import _, format_number
from frontera.model.layers import drawn_with, record_tip
from frontera.model.layers import layer as layer_spec
from frontera.model.records import split_ids
from frontera.model.situation import Situation

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


def arrowhead_html(angle: float, size: int, colour: str) -> str:
    """A triangle of ``size`` px pointing ``angle`` degrees clockwise from up, its tip at the icon's anchor."""
    return (
        f"<div style='width:0;height:0;border-left:{size // 2}px solid transparent;"
        f"border-right:{size // 2}px solid transparent;border-bottom:{size}px solid {colour};"
        f"transform:translate(-50%,0) rotate({angle:.1f}deg);transform-origin:50% 0'></div>"
    )


def flow_tip(rec: dict, origin: str, destination: str, disagreement: str) -> str:
    """``"F1: 400 people, Amatenango de la Frontera → Cuilco"`` (plain text)."""
    people = _("unknown") if pd.isna(rec["people"]) else format_number(int(rec["people"]))
    tip = record_tip(
        rec["id"],
        _("{people} people, {origin} → {destination}").format(people=people, origin=origin, destination=destination),
    )
    return tip + _(" (reports disagree)") if disagreement else tip


def flow_ends_text(flows: gpd.GeoDataFrame, situation: Situation) -> dict[str, str]:
    """Per flow: each end's place, distance to the border and country, e.g. "Amatenango … 0.6 km (MX)"."""
    if not len(flows):
        return {}
    places = situation.places.set_index("id")
    ids = sorted(
        {i for v in list(flows["origin_ids"]) + list(flows["destination_id"]) for i in split_ids(v)} & set(places.index)
    )
    pts = gpd.GeoSeries([places.loc[i, "geometry"] for i in ids], crs="EPSG:4326")
    km = dict(zip(ids, distance_to_border_km(pts, situation.border_line)))
    side = dict(zip(ids, side_of_border(pts, situation.countries)))

    def describe(v: object) -> str:
        return "; ".join(
            _("{place}: {km} km from the border, in {country}").format(
                place=places.loc[i, "name"], km=format_number(km[i], decimals=1), country=country_name(side[i])
            )
            for i in split_ids(v)
            if i in km
        )

    return {
        rec.id: _("from {origin} → to {destination}").format(
            origin=describe(rec.origin_ids), destination=describe(rec.destination_id)
        )
        for rec in flows.itertuples()
    }


def _arrow_features(layer: str, rec: dict, bend: float, seg, colour: str, weight: float, tip: Tip, popup: str):
    """The casing, line and arrowhead of one arrow of a flow."""
    pts = curve(seg.coords[0], seg.coords[-1], bend)
    latlons = [(lat, lon) for lon, lat in pts]
    rid = str(rec["id"])
    # A pale casing under the line keeps it readable over operation areas and labels.
    casing = {"color": "#ffffff", "weight": weight + 3, "opacity": 0.8, "class_name": "frontera-flow-casing"}
    line = {
        "color": colour,
        "weight": weight,
        "opacity": 0.9,
        "dash_array": "10 6" if rec.get("disagrees_with") and bend > 0.2 else None,
        "class_name": f"frontera-flow frontera-flow-{css_id(rec['id'])}",
    }
    angle = screen_bearing(pts[-2], pts[-1])
    head = {
        "html": arrowhead_html(angle, arrow_size(weight), colour),
        "class_name": "frontera-arrowhead",
        "icon_size": (0, 0),
    }
    return dated(
        [
            Feature(layer, "line", latlons, casing, FLOWS, interactive=False, role="casing"),
            Feature(layer, "line", latlons, line, FLOWS, True, rid, tip, popup, role="line"),
            # a click on the arrowhead names the flow, like its line
            Feature(layer, "icon", (pts[-1][1], pts[-1][0]), head, ARROWS, True, rid, tip, popup, role="head"),
        ],
        rec,
    )


def flow_features(
    flows: gpd.GeoDataFrame,
    place_names: dict[str, str],
    sources,
    ends_text: dict[str, str] | None = None,
    short: bool = False,
    layer: str = "",
) -> list[Feature]:
    """Each flow as a curve (on a pale casing) with an arrowhead at its destination, one per origin.

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).
    """
    spec = layer_spec(layer) if layer else drawn_with("arrows")[0]
    by_id = {r["id"]: r for r in flows.to_dict("records")}
    sources = popups.source_index(sources)
    out: list[Feature] = []
    for rec, arrow_bends in zip(flows.to_dict("records"), bends(flows)):
        colour = spec.colour_of(rec.get(spec.colour_by, ""))
        weight = flow_weight(rec["people"])
        ctx = popups.Context(place_names, by_id, (ends_text or {}).get(rec["id"], ""))
        origin, destination = ctx.route(rec)
        html = popups.popup_html(rec, sources, ctx, short=short, spec=spec)
        tip = Tip(popups.esc(flow_tip(rec, origin, destination, ctx.disagreement(rec))))
        for seg, bend in zip(_segments(rec["geometry"]), arrow_bends + [0.12] * 8):
            out += _arrow_features(spec.name, rec, bend, seg, colour, weight, tip, html)
    return out
