"""Places of the situation (always-labelled towns), the border crossings and the border line."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from frontera import popups
from frontera.analysis import distance_to_border_km
from frontera.features import PLACES, RINGS, Feature, Tip, country_name
from frontera.features.style import BORDER_COLOUR, CROSSING_INFORMAL_COLOUR, CROSSING_OFFICIAL_COLOUR
from frontera.i18n import N_, _, format_number
from frontera.model.layers import Layer

#: How the fields of places and crossings are written (:class:`frontera.model.layers.Field` ``fmt``).
STATIC_FORMATS: dict[str, popups.Formatter] = {
    "text": lambda rec, key, ctx: popups.esc(rec.get(key, "")),
    "country_admin1": lambda rec, key, ctx: popups.esc(f"{country_name(rec[key])}, {rec['admin1']}"),
    "border_km": lambda rec, key, ctx: popups.esc(
        _("{km} km from the Mexico–Guatemala border").format(km=format_number(rec[key], decimals=1))
    ),
    "coordinates": lambda rec, key, ctx: popups.esc(
        f"{rec[key].y:.5f}, {rec[key].x:.5f} ({rec.get('gazetteer', 'GeoNames')})"
    ),
    "crossing_kind": lambda rec, key, ctx: (
        _("official crossing") if rec[key] == "official" else _("informal crossing (no published coordinates)")
    ),
    "mx_side": lambda rec, key, ctx: popups.esc(f"{rec['mx_town']} ({rec['mx_municipality']})"),
    "gt_side": lambda rec, key, ctx: popups.esc(f"{rec['gt_side']} ({rec['gt_department']})"),
    "town_to_line": lambda rec, key, ctx: (
        format_number(rec[key], decimals=2) + " km"
        if rec.get("kind") == "official" and rec.get(key) is not None
        else ""
    ),
}
#: The note of a crossing without published coordinates.
INFORMAL_NOTE = N_("Approximate: marked near Amatenango de la Frontera, precision of several kilometres.")


def _popup(spec: Layer, rec: Mapping, note: str = "") -> str:
    return popups.fields_popup(rec["name"], rec, spec.detail_fields, STATIC_FORMATS, note)


def place_features(spec: Layer, places: gpd.GeoDataFrame, border_line) -> list[Feature]:
    """Each place as a white dot, labelled (always, for the key places)."""
    km = distance_to_border_km(places.geometry, border_line)
    out = []
    for rec, d in zip(places.to_dict("records"), km):
        pt = rec["geometry"]
        style = {
            "radius": 4.5,
            "color": "#111827",
            "weight": 1.5,
            "fill": True,
            "fill_color": "#ffffff",
            "fill_opacity": 1,
            "class_name": f"frontera-{spec.css}",
        }
        always = bool(rec.get("always_label"))
        label = "frontera-label frontera-label-key" if always else "frontera-label"
        tip = Tip(popups.esc(rec["name"]), permanent=always, direction="right", class_name=label, offset=(6, 0))
        popup = _popup(spec, {**rec, "border_km": d})
        out.append(Feature(spec.name, "circle_marker", (pt.y, pt.x), style, PLACES, tooltip=tip, popup=popup))
    return out


def _crossing_marker(spec: Layer, rec: Mapping, official: bool) -> Feature:
    pt = rec["geometry"]
    popup = _popup(spec, rec, "" if official else _(INFORMAL_NOTE))
    tip = Tip(popups.esc(rec["name"]))
    if official:
        icon = {
            "html": f"<div style='background:{CROSSING_OFFICIAL_COLOUR}'></div>",
            "class_name": f"frontera-{spec.css} frontera-{spec.css}-official",
            "icon_size": (12, 12),
            "icon_anchor": (6, 6),
        }
        return Feature(spec.name, "icon", (pt.y, pt.x), icon, PLACES, tooltip=tip, popup=popup)
    style = {
        "radius": 7,
        "color": CROSSING_INFORMAL_COLOUR,
        "weight": 2.5,
        "dash_array": "3 3",
        "fill": True,
        "fill_color": "#ffffff",
        "fill_opacity": 0.8,
        "class_name": f"frontera-{spec.css} frontera-{spec.css}-informal",
    }
    return Feature(spec.name, "circle_marker", (pt.y, pt.x), style, PLACES, tooltip=tip, popup=popup)


def crossing_features(spec: Layer, crossings: gpd.GeoDataFrame) -> list[Feature]:
    """Official crossings as squares; informal ones (no published coordinates) as a dashed dot in a ring."""
    out = []
    for rec in crossings.to_dict("records"):
        official = rec["kind"] == "official"
        if not official:
            pt = rec["geometry"]
            ring = {
                "radius": float(rec.get("uncertainty_km") or 5) * 1000,
                "color": CROSSING_INFORMAL_COLOUR,
                "weight": 1.5,
                "dash_array": "3 5",
                "fill": True,
                "fill_opacity": 0.05,
                "class_name": f"frontera-uncertainty frontera-{spec.css}-ring",
            }
            out.append(Feature(spec.name, "circle", (pt.y, pt.x), ring, RINGS, interactive=False, role="ring"))
        out.append(_crossing_marker(spec, rec, official))
    return out


def border_features(spec: Layer, border: gpd.GeoDataFrame) -> list[Feature]:
    """The border line, named with its source (in Leaflet's default pane, as it always was)."""
    rec = border.iloc[0]
    style = {"color": BORDER_COLOUR, "weight": 2.5, "opacity": 0.9, "class_name": f"frontera-{spec.css}"}
    tip = Tip(popups.esc(f"{rec['name']} ({rec['attribution']})"))
    latlons = [(lat, lon) for lon, lat in rec.geometry.coords]
    return [Feature(spec.name, "line", latlons, style, None, tooltip=tip, role="line")]
