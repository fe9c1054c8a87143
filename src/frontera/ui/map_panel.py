"""The map on the page, the figures above it and the details of a clicked feature below it."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import geopandas as gpd
import streamlit as st

from frontera import settings
from frontera.details import record_details
from frontera.errors import FronteraError
from frontera.filters import Metrics
from frontera.i18n import _, current, format_date, format_number
from frontera.layers.clock import clock_groups
from frontera.layers.fast import Viewport, needs_viewport
from frontera.layers.fast.dispatch import settled_viewport
from frontera.layers.fast.elements import density_pick
from frontera.layers.guard import split_drawable
from frontera.layers.picked import picked_place_groups
from frontera.mapview import (
    MapOptions,
    build_base_map,
    build_layers,
    legend_group,
)
from frontera.model.layers import BY_NAME as LAYER_BY_NAME
from frontera.model.layers import LAYERS, drawn_with, feeding, record_id_from_tip
from frontera.model.view import View
from frontera.storage.geopackage import Situation
from frontera.ui import controls, prepared
from frontera.ui.data import situation_key
from frontera.ui.folium_cache import LayerPart, st_folium_cached
from frontera.ui.text import plain

_MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: The page around the map: a compact strip of figures, and a map as tall as the window allows
#: (its frame's height is set by CSS from the viewport; the server cannot know it). On a phone
#: the map and its details come first. Constant text: no data in it.
PAGE_CSS = f"""<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 3.9rem; padding-bottom: 2rem; }}
[data-testid="stMainBlockContainer"] h1 {{ font-size: 1.55rem; padding: 0 0 0.1rem; }}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: 0.45rem; }}
.st-key-frontera_figures [data-testid="stMetric"] {{ padding: 0; }}
.st-key-frontera_figures [data-testid="stMetricLabel"] {{ min-height: 0; }}
.st-key-frontera_figures [data-testid="stMetricLabel"] p {{ font-size: 0.8rem; }}
.st-key-frontera_figures [data-testid="stMetricValue"] {{ font-size: 1.3rem; line-height: 1.3; }}
.st-key-frontera_map {_MAP_FRAME} {{
  height: clamp(360px, calc(100vh - 235px), 1100px) !important; }}
@media (max-width: 640px) {{
  div:has(> .st-key-frontera_map), div:has(> .st-key-frontera_details) {{ order: -1; }}
  .st-key-frontera_map {_MAP_FRAME} {{ height: clamp(320px, 72vh, 700px) !important; }}
  .st-key-frontera_figures [data-testid="stColumn"] {{
    min-width: calc(25% - 0.75rem) !important; flex: 1 1 calc(25% - 0.75rem) !important; width: auto !important; }}
  .st-key-frontera_figures [data-testid="stColumn"]:first-child {{ min-width: 100% !important; }}
  [data-testid="stMainBlockContainer"] h1 {{ font-size: 1.25rem; }}
}}
</style>"""


def show_metrics(m: Metrics) -> None:
    """The figures, as a compact strip above the map (also sets the page's layout, see PAGE_CSS)."""
    st.markdown(PAGE_CSS, unsafe_allow_html=True)  # constant CSS, no data (st.html would add an stHtml block)
    with st.container(key="frontera_figures"):
        _metric_strip(m)


def _metric_strip(m: Metrics) -> None:
    counted = feeding("count")
    cols = st.columns([2.2, 1] + [1] * len(counted))
    cols[0].metric(
        _("People reported displaced"),
        displaced_text(m),
        help=_("Per report; reports that disagree are shown side by side, never added up."),
    )
    fed = _(" and ").join(_(spec.title) for spec in feeding("fatalities"))
    cols[1].metric(
        _("Fatalities"),
        format_number(m.fatalities),
        help=_("{layers} in the range; unknown counts as 0.").format(layers=fed[:1].upper() + fed[1:]),
    )
    for col, spec in zip(cols[2:], counted):
        col.metric(_(spec.short_title), format_number(m.count(spec.name)))
    if m.displaced_reports:
        st.caption(plain(_("People reported displaced, per report: {detail}.").format(detail=displaced_detail(m))))


def displaced_text(m: Metrics) -> str:
    """The displaced figure in the session's language: ``"400 or 600 · 4,187"``, ``"400 o 600 · 4.187"``."""
    if not m.displaced_reports:
        return format_number(0)
    return " · ".join(_(" or ").join(format_number(r.people) for r in g) for g in m.report_groups())


def displaced_detail(m: Metrics) -> str:
    """Each report with its record, e.g. ``"400 (F1) or 600 (F2): reports disagree, not added up · 4,187 (F4)"``."""
    parts = []
    for g in m.report_groups():
        text = _(" or ").join(f"{format_number(r.people)} ({r.record_id})" for r in g)
        parts.append(text + (_(": reports disagree, not added up") if len(g) > 1 else ""))
    return " · ".join(parts)


def view_caption(view: View) -> str:
    """What the map shows, in one line: ``Showing 3 August 2024 to 1 May 2025 · layers: Clashes, Incidents``."""
    window = _("{start} to {end}").format(start=format_date(view.window.start), end=format_date(view.window.end))
    layers = ", ".join(_(LAYER_BY_NAME[name].title) for name in view.layers) or _("none")
    text = _("Showing {window} · layers: {layers}").format(window=window, layers=layers)
    if view.focus.active:
        text += _(" · focus: {focus}").format(focus=view.focus.describe())
    return text


def map_options() -> MapOptions:
    """Options from the deployment's settings; a bad tiles setting is reported, and the map drawn without tiles."""
    try:
        return MapOptions(tiles=settings.tiles())
    except FronteraError as exc:
        st.warning(_("Background tiles are off: {why}").format(why=plain(exc)), icon="⚠️")
        return MapOptions()


_MAP_KEY = "situation_map"
_DENSITY_PICK_KEY = "frontera_density_pick"  # the last density pick taken from the map (each is taken once)
_LAYER_VIEW_KEY = "frontera_layer_view"  # the view the large-selection layer was last built for


def show_map(
    sit: Situation,
    view: View,
    options: MapOptions,
    visible: dict[str, gpd.GeoDataFrame],
    focus: tuple[float, float] | tuple[float, float, str] | None = None,
) -> str | None:
    """Draw ``visible`` (the view's records, as filters.visible_records gives them) on the map; return the
    id of the feature last clicked, if any. ``focus`` re-centres the map (lat, lon[, name]) and marks it."""
    # Only the clicked feature's tooltip comes back, so panning and zooming do not rerun the
    # script. Past AGGREGATE_THRESHOLD events the map shows hexagons until zoomed in: then the
    # zoom and bounds must come back too, and the rebuilt map opens where the person was.
    returned = ["last_object_clicked_tooltip"]
    viewport = None
    if needs_viewport(sum(len(visible.get(spec.name, [])) for spec in drawn_with("circles"))):
        returned += ["zoom", "bounds"]
        viewport, options = _viewport_and_options(options, focus)
    # The base map does not change with the sidebar: the layers go in as feature groups, so
    # ticking a layer or changing the dates swaps them without reloading the map or moving it.
    # A gazetteer pick moves it through center/zoom, likewise without a reload.
    data_key = (situation_key(), current())  # the language too: titles, legend, popups and prose are in it
    prepared.remember_selection(data_key, sit, visible)  # coordinates read once per data version, not per window
    _warn_undrawn(visible)
    # The base map and each layer are rendered once per content (frontera.ui.folium_cache): a toggle
    # costs a cache lookup. A layer's key: the data, the layer, and every part of the view but the layers.
    # Short popups on the map; the full record (sources included) shows once, under the map.
    rest = tuple(sorted((k, v) for k, v in view.to_query().items() if k not in ("layers", "selected")))
    parts = [
        LayerPart(
            _layer_key(data_key, layer, rest, viewport),
            LAYERS.index(layer),
            partial(
                _layer_groups,
                sit,
                replace(view, layers=(layer,)),
                viewport,
                {k: v for k, v in visible.items() if k == layer},
            ),
        )
        for layer in view.layers
    ]
    parts += [
        LayerPart((data_key, "legend", view.layers, rest), len(LAYERS), partial(_legend_groups, sit, view, visible)),
        LayerPart(("clock", view.window), len(LAYERS) + 2, partial(clock_groups, view.window)),  # plays the dates
    ]
    if focus:
        parts.append(LayerPart(("picked", tuple(focus)), len(LAYERS) + 1, partial(picked_place_groups, focus)))
    with st.container(key="frontera_map"):
        out = st_folium_cached(
            (data_key, options),
            partial(build_base_map, sit, options),
            parts,
            key=_MAP_KEY,
            height=options.height,
            returned_objects=returned,
            center=focus[:2] if focus else None,
            zoom=12 if focus else None,
        )
    _apply_density_pick(view, (st.session_state.get(_MAP_KEY) or {}).get("last_object_clicked_tooltip"))
    return clicked_id((out or {}).get("last_object_clicked_tooltip"))


def _layer_key(data_key: tuple, layer: str, rest: tuple, viewport: Viewport | None) -> tuple:
    """What names a layer's drawing: the data, the layer and, for a dated layer, every part of the view but
    the layers (an undated one, the border, places or crossings, draws the same whatever the dates or view)."""
    return (data_key, layer, rest, viewport) if LAYER_BY_NAME[layer].dated else (data_key, layer)


def _warn_undrawn(visible: dict[str, gpd.GeoDataFrame]) -> None:
    """A record that cannot be drawn never takes the map down: build_layers leaves it off, it is named here."""
    for layer, records in visible.items():
        for note in split_drawable(records, layer)[1]:
            st.warning(plain(note.message()), icon="⚠️")


def _apply_density_pick(view: View, tooltip: str | None) -> None:
    """A density chosen with the buttons on the map becomes the view's (sidebar and URL follow), once per pick.

    The pick is what the map handed back (st_folium_cached keeps it under ``_MAP_KEY``, as the viewport)."""
    mode = density_pick(tooltip)
    if mode is None or tooltip == st.session_state.get(_DENSITY_PICK_KEY):
        return
    st.session_state[_DENSITY_PICK_KEY] = tooltip
    if mode != view.density:
        controls.set_view(replace(view, density=mode))
        st.rerun()


def _viewport_and_options(
    options: MapOptions, focus: tuple[float, float] | tuple[float, float, str] | None
) -> tuple[Viewport | None, MapOptions]:
    """The view the large-selection layer is built for, settled (``dispatch.settled_viewport``), and the options.

    Before the map's first reply, the view it opens at. The base map (whose rebuild reloads the map's
    frame) is reopened where the person was only when they moved it elsewhere: the first reply, at the
    opening view, rebuilds nothing and, settling on the same view, reuses the layer already sent.
    """
    reply = Viewport.from_st_folium(st.session_state.get(_MAP_KEY))
    if reply is None:
        centre, zoom = (focus[:2], 12) if focus else (options.center, options.zoom)
        reply = Viewport.around(centre, zoom, height_px=options.height)
    elif focus is None and reply.moved_from(options.center, options.zoom):
        options = replace(options, center=(reply.centre_lat, (reply.west + reply.east) / 2), zoom=round(reply.zoom))
    viewport = settled_viewport(reply, st.session_state.get(_LAYER_VIEW_KEY))
    st.session_state[_LAYER_VIEW_KEY] = viewport
    return viewport, options


def _legend_groups(sit: Situation, view: View, visible: dict[str, gpd.GeoDataFrame]) -> list:
    """The legend of what the view draws, as a part of its own (one legend, whatever the layers)."""
    return [legend_group(sit, view, visible)]


def _layer_groups(sit: Situation, view: View, viewport: Viewport | None, visible: dict[str, gpd.GeoDataFrame]) -> list:
    """One layer's feature groups, with short popups, without the legend (a part of its own)."""
    return build_layers(sit, view, viewport, visible, short_popups=True, legend=False).groups


def clicked_id(tooltip: str | None) -> str | None:
    """The record id a clicked feature's tooltip starts with (``"F1: 400 people …"`` -> ``"F1"``)."""
    return record_id_from_tip(tooltip)


def show_details(sit: Situation, record_id: str | None) -> None:
    """The full record last clicked on the map (the map's popup is short), right under the map."""
    with st.container(key="frontera_details"):
        _details(sit, record_id)


def _details(sit: Situation, record_id: str | None) -> None:
    if not record_id:
        st.caption(_("Click a feature on the map to read its details here."))
        return
    details = record_details(sit, record_id)
    if details is not None:
        st.subheader(_("Details: {record}").format(record=plain(details.record_id)))
        # Built from escaped values only (frontera.popups); st.html also reads no markdown, so
        # "![x](http://…)" in a data value stays text instead of becoming an image request.
        st.html(details.html)
