"""Events (clashes, incidents): circles sized by fatalities, coloured by kind, with a ring of uncertainty.

An approximate place looks approximate: a dashed ring shows how far the event may
be from the dot (``uncertainty_km``, or the default for its ``geo_precision``).
Unknown fatalities draw a hollow circle, zero a filled one: both stay visible.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from frontera import popups
from frontera.features import EVENTS, RINGS, Feature, Tip, dated
from frontera.features.style import event_radius
from frontera.i18n import _, format_number
from frontera.model.layers import layer as layer_spec
from frontera.model.layers import record_tip
from frontera.model.records import DEFAULT_UNCERTAINTY_KM


def uncertainty_km(rec: dict) -> float:
    value = rec.get("uncertainty_km")
    if value is None or pd.isna(value):
        return DEFAULT_UNCERTAINTY_KM.get(rec.get("geo_precision", ""), 0.0)
    return float(value)


def event_tip(rec: dict) -> str:
    """``"C1: Clash near Amatenango (fatalities not reported)"`` (plain text)."""
    fatalities = rec.get("fatalities")
    if fatalities is None or pd.isna(fatalities):
        deaths = _("fatalities not reported")
    else:
        deaths = _("{n} killed").format(n=format_number(int(fatalities)))
    return record_tip(rec["id"], f"{rec['title']} ({deaths})")


def event_features(events: gpd.GeoDataFrame, layer: str, sources, short: bool = False) -> list[Feature]:
    """Each event of ``layer`` as its ring (when its place is uncertain) and its circle.

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).
    """
    spec = layer_spec(layer)
    sources = popups.source_index(sources)
    out: list[Feature] = []
    for rec in events.to_dict("records"):
        geom = rec["geometry"]
        if geom is None or geom.is_empty:
            continue
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
        colour = spec.colour_of(rec.get(spec.colour_by, ""))
        fatalities = rec.get("fatalities")
        unknown = fatalities is None or pd.isna(fatalities)
        ring = uncertainty_km(rec)
        if ring > 0:  # decoration: takes no click, so it never hides what lies under it
            ring_style = {
                "radius": ring * 1000,
                "color": colour,
                "weight": 1.2,
                "dash_array": "4 4",
                "fill": True,
                "fill_opacity": 0.06,
                "class_name": f"frontera-uncertainty frontera-{layer}-ring",
            }
            out.extend(
                dated([Feature(layer, "circle", (pt.y, pt.x), ring_style, RINGS, interactive=False, role="ring")], rec)
            )
        style = {
            "radius": event_radius(fatalities),
            "color": colour,
            "weight": 2,
            "fill": True,
            "fill_color": "#ffffff" if unknown else colour,
            "fill_opacity": 0.9 if unknown else 0.7,
            "class_name": f"frontera-{spec.css} frontera-event",
        }
        popup = popups.popup_html(rec, sources, short=short, spec=spec)
        tip = Tip(popups.esc(event_tip(rec)))
        marker = Feature(layer, "circle_marker", (pt.y, pt.x), style, EVENTS, True, str(rec["id"]), tip, popup)
        out.extend(dated([marker], rec))  # its days, for the map's clock
    return out
