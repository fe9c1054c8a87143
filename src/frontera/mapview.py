"""Build the situation map (a folium.Map) from prepared data and a view. The only module that composes layers.

Pure: no files, no network. Assets (Leaflet's scripts) are pointed at Frontera's
own copies by :mod:`frontera.assets`; tiles are off unless a tile setting is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import folium
import geopandas as gpd

from frontera import assets
from frontera.analysis import with_spatial_facts
from frontera.features.flows import flow_ends_text, flow_features
from frontera.features.operations import operation_features
from frontera.features.places import border_features, crossing_features, place_features
from frontera.filters import visible_records
from frontera.i18n import _
from frontera.layers.basemap import add_basemap
from frontera.layers.clock import clock_group
from frontera.layers.events import add_events
from frontera.layers.fast import FAST_THRESHOLD, Viewport
from frontera.layers.fast.elements import add_scripts as add_fast_scripts
from frontera.layers.guard import Undrawn, draw_guarded
from frontera.layers.legend import Legend, add_map_css, legend_sections
from frontera.layers.panes import MapUse
from frontera.layers.render import add_features
from frontera.model.layers import BY_NAME, LAYERS, Layer
from frontera.model.view import View
from frontera.settings import TileSetting
from frontera.storage.geopackage import Situation

#: Opening view: the Amatenango–Cuilco stretch of the border (west of their midpoint, so that Amatenango's
#: label, written left of its dot, stays inside a 665-pixel map column at 1280x720).
HOME_CENTER = (15.45, -92.05)
HOME_ZOOM = 11
#: On a narrow map (a phone) the opening view shows both towns and their labels at one zoom step out:
#: Amatenango de la Frontera and Cuilco (GeoNames, geodata/places.geojson).
NARROW_HOME = {"below": 520, "zoom": HOME_ZOOM - 1, "west": [15.43466, -92.11711], "east": [15.4, -91.96667]}
#: The whole Chiapas–Guatemala border stays reachable (south-west, north-east corners).
MAX_BOUNDS = ((13.0, -96.0), (20.0, -87.0))


@dataclass(frozen=True)
class MapOptions:
    asset_mode: str = "static"  # "static" (served by Streamlit) or "inline" (standalone HTML)
    tiles: TileSetting | None = None  # background tiles the user configured (frontera.settings); none by default
    center: tuple[float, float] = HOME_CENTER
    zoom: int = HOME_ZOOM
    height: int = 640


def with_spatial_facts_if_small(records: gpd.GeoDataFrame, situation: Situation) -> gpd.GeoDataFrame:
    """Records with border distance and nearest crossing, when few enough to get a popup each."""
    if not len(records) or len(records) > FAST_THRESHOLD or "border_km" in records:
        return records
    return with_spatial_facts(records, situation.border_line, situation.crossings)


def build_base_map(situation: Situation, options: MapOptions = MapOptions()) -> folium.Map:
    """The map without the view's layers: assets, style, panes and picking, tiles if configured, basemap.

    It depends on nothing the person changes in the sidebar, so in the app it stays put
    (same script, same position) while the layers are swapped in and out.
    """
    m = folium.Map(
        location=options.center,
        zoom_start=options.zoom,
        tiles=None,
        min_zoom=5,
        max_zoom=18,
        control_scale=False,  # the scale comes with MapUse: metric, plus miles in English only
        max_bounds=True,
        min_lat=MAX_BOUNDS[0][0],
        max_lat=MAX_BOUNDS[1][0],
        min_lon=MAX_BOUNDS[0][1],
        max_lon=MAX_BOUNDS[1][1],
        zoom_control=True,
        font_size="0.75rem",  # Leaflet's own size for the attribution and the scale (folium's default is 1rem)
    )
    assets.configure_map(m, options.asset_mode)
    # Loaded with the base map: a large selection may arrive later as a swapped-in layer.
    add_fast_scripts(m)
    assets.add_script(m, "frontera/mapuse.js")
    assets.add_script(m, "frontera/clock.js")  # plays the dates (frontera.layers.clock)
    assets.add_script(m, "frontera/clock.css")
    add_map_css(m)
    m.add_child(MapUse(NARROW_HOME if (options.center, options.zoom) == (HOME_CENTER, HOME_ZOOM) else None))
    if options.tiles is not None:
        folium.TileLayer(
            tiles=options.tiles.url,
            attr=options.tiles.attribution,
            name="Tiles",
            max_zoom=options.tiles.max_zoom,
            control=False,
        ).add_to(m)
    add_basemap(m, situation)
    return m


@dataclass(frozen=True)
class MapLayers:
    """The view's feature groups, in drawing order (the legend last), and the records left off the map."""

    groups: list[folium.FeatureGroup]
    undrawn: list[Undrawn]


@dataclass(frozen=True)
class Draw:
    """What drawing one layer needs: the layer, the situation and how the view shows it."""

    spec: Layer
    situation: Situation
    viewport: Viewport | None = None
    short: bool = False
    density: str = "auto"


def _events(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    sources = d.situation.sources
    return add_events(group, records, d.spec.name, sources, d.viewport, short=d.short, density=d.density)


def _flows(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    ends = {} if d.short else flow_ends_text(records, d.situation)  # a short popup leaves the ends out
    names, sources = d.situation.place_names(), d.situation.sources
    return add_features(group, flow_features(records, names, sources, ends, short=d.short, layer=d.spec.name))


def _operations(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    return add_features(group, operation_features(records, d.situation.sources, short=d.short, layer=d.spec.name))


def _places(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    return add_features(group, place_features(d.spec, records, d.situation.border_line))


def _crossings(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    return add_features(group, crossing_features(d.spec, records))


def _border(d: Draw, group: folium.FeatureGroup, records: gpd.GeoDataFrame) -> object:
    return add_features(group, border_features(d.spec, records))


#: Draw kind (:attr:`frontera.model.layers.Layer.draw`) -> ``draw(d, group, records)``.
DRAW: dict[str, Callable[[Draw, folium.FeatureGroup, gpd.GeoDataFrame], object]] = {
    "circles": _events,
    "arrows": _flows,
    "areas": _operations,
    "dots": _places,
    "crossing_marks": _crossings,
    "line": _border,
}


def build_layers(
    situation: Situation,
    view: View,
    viewport: Viewport | None = None,
    visible: dict[str, gpd.GeoDataFrame] | None = None,
    short_popups: bool = False,
    legend: bool = True,
) -> MapLayers:
    """One feature group per layer the view shows, in drawing order, holding what it shows,
    and last (unless ``legend=False``) a group holding the legend of exactly that and one holding the clock.

    Records drawn one by one get their distance to the border and nearest crossing,
    computed here for just those records; large selections go to the canvas layer, whose
    popups leave those out. ``viewport`` (the zoom and bounds the map last showed) is used
    only for selections too large to send whole. ``visible`` is what
    :func:`frontera.filters.visible_records` gives for the view, when the caller has it already.
    ``short_popups``: popups say what, when, where and the key figure, for a page that shows
    the full record under the map (a standalone map keeps the full popups).
    A record that cannot be drawn is left off and named in ``undrawn``; the rest is drawn.
    """
    if visible is None:
        visible = visible_records(situation, view)
    visible = {layer: with_spatial_facts_if_small(recs, situation) for layer, recs in visible.items()}
    groups, undrawn = [], []
    for name in LAYERS:
        if name not in view.layers:
            continue
        spec = BY_NAME[name]
        d = Draw(spec, situation, viewport, short_popups, view.density)

        def new_group(title: str = _(spec.title)) -> folium.FeatureGroup:
            return folium.FeatureGroup(name=title, show=True, control=False)

        if name in visible:
            group, notes = draw_guarded(partial(DRAW[spec.draw], d), visible[name], name, new_group)
            undrawn += notes
        else:
            group = new_group()
            if not spec.dated:
                DRAW[spec.draw](d, group, getattr(situation, spec.frame))
        groups.append(group)
    if legend:
        groups.append(legend_group(situation, view, visible))
        groups.append(clock_group(view.window))
    return MapLayers(groups, undrawn)


def legend_group(situation: Situation, view: View, visible: dict[str, gpd.GeoDataFrame]) -> folium.FeatureGroup:
    """A feature group holding the legend of exactly what ``visible`` draws (imported kinds included)."""
    legend = folium.FeatureGroup(name="Legend", show=True, control=False)
    kinds = tuple(situation.crossings["kind"].unique()) if len(situation.crossings) else ()
    legend.add_child(Legend(legend_sections(view.layers, visible, kinds)))
    return legend


def build_layer_groups(
    situation: Situation,
    view: View,
    viewport: Viewport | None = None,
    visible: dict[str, gpd.GeoDataFrame] | None = None,
    short_popups: bool = False,
) -> list[folium.FeatureGroup]:
    """The feature groups of :func:`build_layers` (records that cannot be drawn left off)."""
    return build_layers(situation, view, viewport, visible, short_popups).groups


def build_map(
    situation: Situation, view: View, options: MapOptions = MapOptions(), viewport: Viewport | None = None
) -> folium.Map:
    """The whole folium map of what ``view`` shows (base and layers in one), e.g. for a standalone file."""
    m = build_base_map(situation, options)
    for group in build_layers(situation, view, viewport).groups:
        group.add_to(m)
    return m
