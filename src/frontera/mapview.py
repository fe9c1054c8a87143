"""Build the situation map (a folium.Map) from prepared data and a view. The only module that composes layers.

Pure: no files, no network. Assets (Leaflet's scripts) are pointed at Frontera's
own copies by :mod:`frontera.assets`; tiles are off unless a tile setting is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd

from frontera import assets
from frontera.analysis import distance_to_border_km, side_of_border, with_spatial_facts
from frontera.filters import visible_records
from frontera.layers.basemap import add_basemap
from frontera.layers.events import add_events
from frontera.layers.fast import FAST_THRESHOLD, Viewport
from frontera.layers.fast.elements import add_scripts as add_fast_scripts
from frontera.layers.flows import add_flows
from frontera.layers.guard import Undrawn, draw_guarded
from frontera.layers.legend import Legend, add_map_css, legend_sections
from frontera.layers.operations import add_operations
from frontera.layers.panes import MapUse
from frontera.layers.places import add_border, add_crossings, add_places
from frontera.model.records import LAYERS, split_ids
from frontera.model.view import View
from frontera.settings import TileSetting
from frontera.storage.geopackage import Situation

#: Opening view: the Amatenango–Cuilco stretch of the border.
HOME_CENTER = (15.45, -92.03)
HOME_ZOOM = 11
#: The whole Chiapas–Guatemala border stays reachable (south-west, north-east corners).
MAX_BOUNDS = ((13.0, -96.0), (20.0, -87.0))

LAYER_TITLES = {
    "border": "Border",
    "operations": "Security operations",
    "flows": "Displacement flows",
    "clashes": "Clashes",
    "incidents": "Incidents",
    "crossings": "Border crossings",
    "places": "Places",
}


@dataclass(frozen=True)
class MapOptions:
    asset_mode: str = "static"  # "static" (served by Streamlit) or "inline" (standalone HTML)
    tiles: TileSetting | None = None  # background tiles the user configured (frontera.settings); none by default
    center: tuple[float, float] = HOME_CENTER
    zoom: int = HOME_ZOOM
    height: int = 640


def flow_ends_text(flows: gpd.GeoDataFrame, situation: Situation) -> dict[str, str]:
    """Per flow: each end's place, distance to the border and country, e.g. "Amatenango … 0.6 km (MX)"."""
    if not len(flows):
        return {}
    places = situation.places.set_index("id")
    ids = sorted(
        {i for v in list(flows["origin_ids"]) + list(flows["destination_id"]) for i in split_ids(v)} & set(places.index)
    )
    pts = gpd.GeoSeries([places.loc[i, "geometry"] for i in ids], crs="EPSG:4326")
    km = dict(zip(ids, distance_to_border_km(pts, situation.border_line)))
    side = dict(zip(ids, side_of_border(pts, situation.countries)))
    out = {}
    for rec in flows.itertuples():

        def describe(v):
            return "; ".join(
                f"{places.loc[i, 'name']}: {km[i]:.1f} km from the border, in {'Mexico' if side[i] == 'MX' else 'Guatemala' if side[i] == 'GT' else side[i]}"
                for i in split_ids(v)
                if i in km
            )

        out[rec.id] = f"from {describe(rec.origin_ids)} → to {describe(rec.destination_id)}"
    return out


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
        control_scale=True,
        max_bounds=True,
        min_lat=MAX_BOUNDS[0][0],
        max_lat=MAX_BOUNDS[1][0],
        min_lon=MAX_BOUNDS[0][1],
        max_lon=MAX_BOUNDS[1][1],
        zoom_control=True,
    )
    assets.configure_map(m, options.asset_mode)
    # Loaded with the base map: a large selection may arrive later as a swapped-in layer.
    add_fast_scripts(m)
    assets.add_script(m, "frontera/mapuse.js")
    add_map_css(m)
    m.add_child(MapUse())
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


def _layer_adder(layer: str, situation: Situation, viewport: Viewport | None, short: bool, density: str):
    """``add(group, records)`` for a time-bound layer."""
    if layer == "operations":
        return lambda group, recs: add_operations(group, recs, situation.sources, short=short)
    if layer == "flows":
        names = situation.place_names()
        return lambda group, recs: add_flows(
            group, recs, names, situation.sources, flow_ends_text(recs, situation), short=short
        )
    return lambda group, recs: add_events(group, recs, layer, situation.sources, viewport, short=short, density=density)


def build_layers(
    situation: Situation,
    view: View,
    viewport: Viewport | None = None,
    visible: dict[str, gpd.GeoDataFrame] | None = None,
    short_popups: bool = False,
    legend: bool = True,
) -> MapLayers:
    """One feature group per layer the view shows, in drawing order, holding what it shows,
    and last (unless ``legend=False``) a group holding the legend of exactly that.

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
    for layer in LAYERS:
        if layer not in view.layers:
            continue

        def new_group(title: str = LAYER_TITLES[layer]) -> folium.FeatureGroup:
            return folium.FeatureGroup(name=title, show=True, control=False)

        if layer in visible:
            group, notes = draw_guarded(
                _layer_adder(layer, situation, viewport, short_popups, view.density), visible[layer], layer, new_group
            )
            undrawn += notes
        else:
            group = new_group()
            if layer == "border":
                add_border(group, situation.border)
            elif layer == "crossings":
                add_crossings(group, situation.crossings)
            elif layer == "places":
                add_places(group, situation.places, situation.border_line)
        groups.append(group)
    if legend:
        groups.append(legend_group(situation, view, visible))
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
