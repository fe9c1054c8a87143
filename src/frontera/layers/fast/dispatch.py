"""The dispatch policy: which element draws how many events (folium circles, the canvas, or server hexagons).

- up to :data:`FAST_THRESHOLD` events: one folium circle each (``layers.events``);
- up to :data:`AGGREGATE_THRESHOLD`: every event on the canvas (:class:`FastEventLayer`);
  the browser then chooses circles or density from what is on screen;
- above: the events in (a padded) view when zoomed in to :data:`DETAIL_ZOOM` and few
  enough, otherwise H3 cells summed on the server (:class:`HexagonLayer`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from frontera.i18n import _, format_number
from frontera.layers.fast.celldays import cell_days, event_days
from frontera.layers.fast.codec import lon_lat
from frontera.layers.fast.elements import FastEventLayer, HexagonLayer
from frontera.layers.fast.viewport import Viewport

#: Above this many events a folium circle per event is too slow: one canvas layer instead.
FAST_THRESHOLD = 2_000
#: Above this many events even the compact arrays grow past a few MB: H3 hexagons, unless zoomed in.
AGGREGATE_THRESHOLD = 200_000
#: From this zoom on, the events in view are drawn one by one when they are few enough.
DETAIL_ZOOM = 10


def needs_viewport(n_events: int) -> bool:
    """Whether the page should pass the map's zoom and bounds back (only for aggregates)."""
    return n_events > AGGREGATE_THRESHOLD


def many_events_layer(
    events: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    name: str = "events",
    viewport: Viewport | None = None,
    default_zoom: float = 8.0,
    density: str = "auto",
) -> FastEventLayer | HexagonLayer:
    """The layer for a large selection: every event on a canvas, or hexagons when there are too many.

    Up to :data:`AGGREGATE_THRESHOLD` events are all shipped (the browser pans and zooms
    without asking the server). Above, the events in (a padded) ``viewport`` are shipped
    when the map is zoomed in to :data:`DETAIL_ZOOM` and they are few enough; otherwise
    H3 cells at the resolution for the zoom, summing every event. ``density`` goes to
    :class:`FastEventLayer` (how the browser shows the events it gets).
    """
    from frontera.aggregate import aggregate_cells, cells_for, resolution_for_zoom  # noqa: PLC0415 - h3 only past it

    if len(events) <= AGGREGATE_THRESHOLD:
        return FastEventLayer(events, sources, name=name, density=density)
    lon, lat = lon_lat(events)
    if viewport is not None and viewport.zoom >= DETAIL_ZOOM:
        inside = viewport.padded().contains(lon, lat)
        if inside.sum() <= AGGREGATE_THRESHOLD:
            return FastEventLayer(events[inside], sources, name=name, density=density)
    zoom = viewport.zoom if viewport is not None else default_zoom
    centre_lat = viewport.centre_lat if viewport is not None else 16.0
    fatalities = events["fatalities"].to_numpy(dtype=float, na_value=np.nan)
    res = resolution_for_zoom(zoom, centre_lat)
    cells = cells_for(lon, lat, res)
    agg = aggregate_cells(cells, fatalities, res)
    # The same sums per day, so that the cells follow the map's clock (frontera.layers.fast.celldays).
    index = np.where(cells == 0, -1, np.searchsorted(agg.cells, cells))
    days = cell_days(index, *event_days(events), fatalities)
    return HexagonLayer(
        agg,
        days=days,
        name=name,
        note=_("{n} events: zoom in to level {zoom} or narrow the dates to see them one by one.").format(
            n=format_number(len(events)), zoom=DETAIL_ZOOM
        ),
    )


def settled_viewport(viewport: Viewport | None, previous: Viewport | None = None) -> Viewport | None:
    """What of ``viewport`` the layer of :func:`many_events_layer` depends on; equal for views that get the same layer.

    Zoomed in to :data:`DETAIL_ZOOM`, the view settled on a grid (:meth:`Viewport.settled`): panning
    within it, or the map's first reply at its opening view, gives the same value. Zoomed out, only
    the zoom matters (every event is summed at the H3 resolution for it): the view at that zoom,
    settled on a coarse grid of latitudes (the resolution also depends a little on the latitude).
    Use it both as the cache key and as what the layer is built from, so the key decides the layer.
    ``previous`` (the value given for the last view) is kept while the view stays inside what was
    shipped for it (:meth:`Viewport.padded`), so small moves across the grid's lines change nothing.
    """
    if viewport is None:
        return None
    if viewport.zoom >= DETAIL_ZOOM:
        same_zoom = previous is not None and previous.zoom == round(viewport.zoom)
        if same_zoom and previous is not None and previous.padded().holds(viewport):
            return previous
        return viewport.settled()
    lat = round(viewport.centre_lat / 5) * 5
    return Viewport(float(round(viewport.zoom)), lat, 0.0, lat, 0.0)
