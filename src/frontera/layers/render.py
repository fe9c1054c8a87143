"""The map adapter: turns features (:mod:`frontera.features`) into folium objects. The only module that does.

One maker per shape (:data:`MAKERS`); each feature goes into its pane, decoration takes no
click, and text reaches the page only through :class:`SafePopup` and :class:`SafeTooltip`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import folium
from branca.element import MacroElement

from frontera.features import Feature
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.panes import on_pane


def _polygon(f: Feature) -> folium.Polygon:
    rings = f.geometry
    several = not isinstance(rings[0][0][0], (int, float))  # a MultiPolygon's parts: one ring list each
    shape = folium.Polygon(rings[0][0] if several else rings[0], **f.style)
    # Holes and several parts: Leaflet reads the nesting; folium's check takes one ring only.
    shape.locations = rings
    return shape


def _icon(f: Feature) -> folium.Marker:
    return folium.Marker(location=f.geometry, icon=folium.DivIcon(**f.style))


#: Shape -> the folium object drawing it.
MAKERS: dict[str, Callable[[Feature], MacroElement]] = {
    "circle_marker": lambda f: folium.CircleMarker(location=f.geometry, **f.style),
    "circle": lambda f: folium.Circle(location=f.geometry, **f.style),
    "line": lambda f: folium.PolyLine(f.geometry, **f.style),
    "polygon": _polygon,
    "icon": _icon,
}


def folium_layer(f: Feature) -> MacroElement:
    """One feature as a folium layer, in its pane, with its popup and tooltip."""
    layer = MAKERS[f.shape](f)
    if f.days is not None:  # the record's days, for the map's clock (frontera.layers.clock)
        layer.options["fronteraDays"] = list(f.days)  # type: ignore[attr-defined]  # every maker returns a folium Layer
    if f.pane is not None:
        on_pane(layer, f.pane, interactive=f.interactive)
    if f.popup:
        layer.add_child(SafePopup(f.popup))
    if f.tooltip is not None:
        t = f.tooltip
        layer.add_child(SafeTooltip(t.html, t.permanent, t.direction, t.class_name, t.offset))
    return layer


def add_features(group: folium.FeatureGroup, features: Iterable[Feature]) -> int:
    """Add ``features`` to ``group`` in their order; returns how many stand for a record."""
    n = 0
    for f in features:
        folium_layer(f).add_to(group)
        n += f.record_id is not None and f.role in ("marker", "line", "area")
    return n
