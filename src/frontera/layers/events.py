"""Events (clashes, incidents) on the map: one folium circle each, or the canvas layer for many.

What each event looks like is :func:`frontera.features.events.event_features`; this module only
decides how to draw them (folium features, or :mod:`frontera.layers.fast` past a few thousand).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from frontera.features.events import event_features, uncertainty_km
from frontera.layers.fast import (
    FAST_THRESHOLD,
    FastEventLayer,
    Viewport,
    many_events_layer,
)
from frontera.layers.render import add_features

__all__ = ["add_events", "uncertainty_km"]


def add_events(
    group: folium.FeatureGroup,
    events: gpd.GeoDataFrame,
    layer: str,
    sources: pd.DataFrame,
    viewport: Viewport | None = None,
    short: bool = False,
    density: str = "auto",
) -> int:
    """Draw the events of ``layer`` into ``group``. Returns the number of circles drawn.

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
    return add_features(group, event_features(events, layer, sources, short=short))
