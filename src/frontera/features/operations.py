"""Security operations: areas outlined in the colour of their status, labelled land / air and status.

An area is outlined only (four or five translucent fills turned the border into a wash);
it is filled while hovered or selected (``static/frontera/frontera.css``). An operation
given as a point (an imported ACLED "Agreement") gets Frontera's own diamond marker.
Records without a map extent (a meeting) are not drawn: they live in the timeline and
data pages. An illustrative extent has a dashed outline and says so in its popup.
"""

from __future__ import annotations

import geopandas as gpd

from frontera import popups
from frontera.features import AREAS, BADGES, EVENTS, Feature, Tip, dated
from frontera.i18n import _
from frontera.model.layers import drawn_with, record_tip
from frontera.model.layers import layer as layer_spec


def badge_text(rec: dict) -> str:
    """``"LAND + AIR · AGREED"``."""
    domain = str(popups.vocabulary(rec.get("domain") or _("area"))).replace(_(" and "), " + ").upper()
    return f"{domain} · {str(popups.vocabulary(rec.get('status', ''))).upper()}"


def _rings(polygon) -> list[list[tuple[float, float]]]:
    return [[(y, x) for x, y in ring.coords] for ring in (polygon.exterior, *polygon.interiors)]


def area_rings(geom) -> list:
    """A Polygon's rings, or a MultiPolygon's parts' rings (Leaflet takes the nested rings as one layer)."""
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    return [_rings(p) for p in parts] if len(parts) > 1 else _rings(parts[0])


def operation_tip(rec: dict) -> str:
    """``"O1: Joint operation — LAND + AIR · AGREED (illustrative extent)"`` (plain text)."""
    tip = record_tip(rec["id"], f"{rec['title']} — {badge_text(rec)}")
    return tip + (_(" (illustrative extent)") if rec.get("geo_precision") == "illustrative" else "")


def _shape(layer: str, rec: dict, colour: str, tip: Tip, popup: str) -> list[Feature]:
    """An area's outline and its badge, or a point operation's diamond."""
    geom, rid = rec["geometry"], str(rec["id"])
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        outline = {
            "color": colour,
            "weight": 2.2,
            "opacity": 0.9,
            "fill": True,
            "fill_color": colour,
            "fill_opacity": 0,
            "dash_array": "8 6" if rec.get("geo_precision") == "illustrative" else None,
            "class_name": "frontera-operation",
        }
        anchor = geom.representative_point()
        label = f"{popups.template_safe_html(rec['id'])} {popups.template_safe_html(badge_text(rec))}"
        badge = {
            "html": f"<span style='border-color:{colour};color:{colour}'>{label}</span>",
            "class_name": "frontera-operation-badge",
            "icon_size": (0, 0),
        }
        return dated(
            [
                Feature(layer, "polygon", area_rings(geom), outline, AREAS, True, rid, tip, popup, role="area"),
                Feature(layer, "icon", (anchor.y, anchor.x), badge, BADGES, True, rid, tip, popup, role="badge"),
            ],
            rec,
        )
    pt = geom if geom.geom_type == "Point" else geom.representative_point()
    diamond = {
        "html": f"<div style='background:{colour}'></div>",
        "icon_size": (14, 14),
        "icon_anchor": (7, 7),
        "class_name": "frontera-operation-point",
    }
    return dated([Feature(layer, "icon", (pt.y, pt.x), diamond, EVENTS, True, rid, tip, popup)], rec)


def operation_features(operations: gpd.GeoDataFrame, sources, short: bool = False, layer: str = "") -> list[Feature]:
    """Operation areas (outlined; their badges after them) and point operations; records without geometry
    are skipped.

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).
    """
    spec = layer_spec(layer) if layer else drawn_with("areas")[0]
    sources = popups.source_index(sources)
    records = [r for r in operations.to_dict("records") if r["geometry"] is not None and not r["geometry"].is_empty]
    shapes: list[Feature] = []
    badges: list[tuple[int, Feature]] = []
    # Largest areas first, so where areas overlap the smallest lies on top: the one the hover names
    # is the one a click picks (static/frontera/mapuse.js takes the area drawn on top).
    for i in sorted(range(len(records)), key=lambda k: -records[k]["geometry"].area):
        rec = records[i]
        colour = spec.colour_of(rec.get(spec.colour_by, ""))
        popup = popups.popup_html(rec, sources, short=short, spec=spec)
        shape, *badge = _shape(spec.name, rec, colour, Tip(popups.esc(operation_tip(rec))), popup)
        shapes.append(shape)
        badges += [(i, b) for b in badge]
    # Labels in the records' own order: where labels collide, the first ones stay (mapuse.js).
    return shapes + [b for _, b in sorted(badges, key=lambda item: item[0])]
