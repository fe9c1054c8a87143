"""Tens of thousands of events on one canvas: compact arrays in, circles or density drawn in the browser.

One folium ``CircleMarker`` per event costs a Leaflet object, a DOM popup and a kilobyte
of HTML each; past a few thousand events the page stalls. This package ships events as
columns instead, by concern:

- :mod:`.schema`: the payload's columns, types, order and version, declared once (the
  browser's copy, ``static/frontera/fast-schema.js``, is generated from it);
- :mod:`.codec`: packing events and H3 cells into that payload;
- :mod:`.celldays`: the H3 cells' sums per day, so that server hexagons follow the map's clock;
- :mod:`.elements`: the two map elements, :class:`FastEventLayer` and :class:`HexagonLayer`;
- :mod:`.viewport`: :class:`Viewport`, what the map shows as streamlit-folium returns it;
- :mod:`.dispatch`: which element for how many events (:func:`many_events_layer`).

The browser side, by concern: ``fast-util.js`` (escaping, decoding, projection),
``fast-schema.js``, ``fast-raster.js`` (sprites, pixels, screen hexagons, heat),
``fast-canvas.js`` (the canvas layer base), ``fast-points.js`` (events, their popups and
the density note) and ``fast-hexagons.js`` (server cells).
"""

from frontera.layers.fast.codec import NO_DAY, NO_UNCERTAINTY, encode_cells, encode_events, lon_lat
from frontera.layers.fast.dispatch import (
    AGGREGATE_THRESHOLD,
    DETAIL_ZOOM,
    FAST_THRESHOLD,
    many_events_layer,
    needs_viewport,
)
from frontera.layers.fast.elements import SCRIPT_FILES, FastEventLayer, HexagonLayer, check_density
from frontera.layers.fast.schema import PAYLOAD_VERSION, TEXT_FIELDS
from frontera.layers.fast.viewport import Viewport

__all__ = [
    "AGGREGATE_THRESHOLD",
    "DETAIL_ZOOM",
    "FAST_THRESHOLD",
    "NO_DAY",
    "NO_UNCERTAINTY",
    "PAYLOAD_VERSION",
    "SCRIPT_FILES",
    "TEXT_FIELDS",
    "FastEventLayer",
    "HexagonLayer",
    "Viewport",
    "check_density",
    "encode_cells",
    "encode_events",
    "lon_lat",
    "many_events_layer",
    "needs_viewport",
]
