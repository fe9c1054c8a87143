"""The offline basemap: country shapes, states/departments and town labels (placeholder: countries only)."""

from __future__ import annotations

import folium

from frontera.store import Situation


def add_basemap(m: folium.Map, situation: Situation) -> None:
    folium.GeoJson(
        situation.countries.__geo_interface__,
        name="Countries",
        style_function=lambda f: {
            "fillColor": "#f4f1ea" if f["properties"]["iso_a2"] == "MX" else "#eef3f6",
            "color": "#9a9a9a", "weight": 0.6, "fillOpacity": 1.0,
        },
        interactive=False,
        control=False,
    ).add_to(m)
