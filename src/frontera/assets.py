"""Where the map's scripts and style sheets come from (placeholder until vendored assets land).

``configure_map(m, mode)`` points a folium map's ``default_js``/``default_css`` at
Frontera's own copies; ``mode`` is "static" (served by Streamlit from ``static/``)
or "inline" (embedded, for the standalone HTML export).
"""

from __future__ import annotations

import folium

STATIC_PREFIX = "../../app/static"


def configure_map(m: folium.Map, mode: str = "static", static_prefix: str = STATIC_PREFIX) -> folium.Map:
    m.default_js = [("leaflet", f"{static_prefix}/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{static_prefix}/vendor/leaflet/leaflet.css")]
    return m
