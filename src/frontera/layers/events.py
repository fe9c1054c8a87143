"""Clashes and incidents: circles sized by fatalities, coloured by kind, with a ring of uncertainty.

An approximate place looks approximate: a dashed ring shows how far the event may
be from the dot (``uncertainty_km``, or the default for its ``geo_precision``).
Unknown fatalities draw a hollow circle, zero a filled one: both stay visible.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from frontera import popups
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.fast import (
    FAST_THRESHOLD,
    FastEventLayer,
    Viewport,
    many_events_layer,
)
from frontera.layers.panes import EVENTS, RINGS, on_pane
from frontera.layers.style import event_colour, event_radius
from frontera.model.records import DEFAULT_UNCERTAINTY_KM

#: CSS class stem per layer: ``frontera-clash``, ``frontera-incident``.
SINGULAR = {"clashes": "clash", "incidents": "incident"}


def uncertainty_km(rec: dict) -> float:
    value = rec.get("uncertainty_km")
    if value is None or pd.isna(value):
        return DEFAULT_UNCERTAINTY_KM.get(rec.get("geo_precision", ""), 0.0)
    return float(value)


def add_events(
    group: folium.FeatureGroup,
    events: gpd.GeoDataFrame,
    layer: str,
    sources: pd.DataFrame,
    viewport: Viewport | None = None,
    short: bool = False,
    density: str = "auto",
) -> int:
    """Draw clashes or incidents (``layer``) into ``group``. Returns the number of circles drawn.

    ``short``: popups say what, when, where and the key figure only (the page shows the rest under the map).

    ``viewport`` (zoom and bounds the map last showed) matters only past
    ``AGGREGATE_THRESHOLD`` events, where it decides between hexagons and the events in view.
    ``density`` (``frontera.model.view.DENSITY_MODES``) is how the canvas layer shows them; hexagons
    or heat put even a small selection on the canvas layer.
    """
    # Issue 5, fast at scale: past a few thousand events a folium circle each stalls the page;
    # one canvas layer draws them from compact arrays (and H3 hexagons past 200,000).
    if len(events) > FAST_THRESHOLD or (density in ("hexagons", "heat") and len(events)):
        fast = many_events_layer(events, sources, name=layer, viewport=viewport, density=density).add_to(group)
        return fast.count if isinstance(fast, FastEventLayer) else 0
    sources = popups.source_index(sources)
    drawn = 0
    for rec in events.to_dict("records"):
        geom = rec["geometry"]
        if geom is None or geom.is_empty:
            continue
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
        colour = event_colour(rec.get("kind", ""))
        fatalities = rec.get("fatalities")
        unknown = fatalities is None or pd.isna(fatalities)
        ring = uncertainty_km(rec)
        if ring > 0:  # decoration: takes no click, so it never hides what lies under it
            on_pane(
                folium.Circle(
                    location=(pt.y, pt.x),
                    radius=ring * 1000,
                    color=colour,
                    weight=1.2,
                    dash_array="4 4",
                    fill=True,
                    fill_opacity=0.06,
                    class_name=f"frontera-uncertainty frontera-{layer}-ring",
                ),
                RINGS,
                interactive=False,
            ).add_to(group)
        marker = on_pane(
            folium.CircleMarker(
                location=(pt.y, pt.x),
                radius=event_radius(fatalities),
                color=colour,
                weight=2,
                fill=True,
                fill_color="#ffffff" if unknown else colour,
                fill_opacity=0.9 if unknown else 0.7,
                class_name=f"frontera-{SINGULAR.get(layer, 'event')} frontera-event",
            ),
            EVENTS,
        )
        html = (
            popups.short_popup(rec, popups.event_key_rows(rec))
            if short
            else popups.record_popup(rec, sources, popups.event_rows(rec))
        )
        deaths = "fatalities not reported" if unknown else f"{int(fatalities)} killed"
        marker.add_child(SafePopup(html))
        marker.add_child(SafeTooltip(f"{popups.esc(rec['id'])}: {popups.esc(rec['title'])} ({deaths})"))
        marker.add_to(group)
        drawn += 1
    return drawn
