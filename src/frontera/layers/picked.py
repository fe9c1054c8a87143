"""The place picked in "Find a place": a ring and its name, so the eye finds it after the map moves."""

from __future__ import annotations

import folium

from frontera.layers.common import SafeTooltip
from frontera.popups import template_safe_html

RING = (
    "<div style='width:22px;height:22px;box-sizing:border-box;border-radius:50%;"
    "border:3px solid #2563eb;background:rgba(37,99,235,0.15)'></div>"
)


def picked_place_group(lat: float, lon: float, label: str) -> folium.FeatureGroup:
    """A feature group with one non-interactive marker at the picked place, labelled with its name.

    Not interactive: it never takes a click meant for the record or town beneath it.
    """
    group = folium.FeatureGroup(name="Picked place", control=False)
    marker = folium.Marker(
        location=(lat, lon),
        interactive=False,
        z_index_offset=1000,
        icon=folium.DivIcon(html=RING, class_name="frontera-picked", icon_size=(22, 22), icon_anchor=(11, 11)),
    )
    marker.add_child(
        SafeTooltip(
            template_safe_html(label),
            permanent=True,
            direction="top",
            offset=(0, -12),
            class_name="frontera-label frontera-picked-label",
        )
    )
    marker.add_to(group)
    return group


def picked_place_groups(focus: tuple | None) -> list[folium.FeatureGroup]:
    """``[]`` when nothing is picked; else the marker's group for ``focus`` = (lat, lon[, name])."""
    if not focus:
        return []
    return [picked_place_group(focus[0], focus[1], focus[2] if len(focus) > 2 else "")]
