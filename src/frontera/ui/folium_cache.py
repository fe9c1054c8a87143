"""streamlit-folium's ``st_folium`` with the map's two halves rendered once per content, cached at the edge.

``st_folium`` builds nothing itself but renders the whole folium map to JavaScript on
every run: about 0.3 s for the base map (basemap, labels, legend) and the view's
layers, which a layer toggle paid again and again (2-3 s on a busy machine). Here the
base map is rendered once per *base key* (the data and the map options) and each
layer once per its own key (the data, the layer and the view's parts that change it),
all plain values; so ticking a layer off costs nothing and ticking it back on costs
one lookup. The component gets the very same arguments ``st_folium`` would send, so
the browser side (and a click's answer) is unchanged.

Mirrors ``streamlit_folium.st_folium`` 0.27.4 (pinned in pyproject.toml), split in two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

# Rendering gives folium elements new ids; one render at a time keeps the cached map consistent.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderedBase:
    """A base map rendered as ``st_folium`` renders it: its script, header, html and the assets it needs."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: object
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    folium_map: folium.Map  # in its rendered state: the layers are rendered against it


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    def walk(element):
        if isinstance(element, (branca.colormap.ColorMap, folium.elements.JSCSSMixin)):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    css: list[str] = []
    js: list[str] = []
    for element in walk(m):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render_base(m: folium.Map) -> RenderedBase:
    """Render ``m`` the way ``st_folium`` does (same calls, same order)."""
    with _RENDER_LOCK:
        m.get_root().render()
        m.render()
        html, header, script = sf._get_html(m), sf._get_header(m), sf._get_map_string(m)
        sw, ne = m.get_bounds()
        css, js = _links(m)
        return RenderedBase(
            script=script,
            header=header,
            html=html,
            map_id=sf.get_full_id(m),
            bounds={"_southWest": {"lat": sw[0], "lng": sw[1]}, "_northEast": {"lat": ne[0], "lng": ne[1]}},
            zoom=m.options.get("zoom"),
            css_links=css,
            js_links=js,
            folium_map=m,
        )


@dataclass(frozen=True)
class LayerPart:
    """One layer of the map: what names its content (``key``), a stable ``index`` (its place in the
    drawing order: it names the feature group) and how to build its feature groups."""

    key: Hashable
    index: int
    build: Callable[[], list[folium.FeatureGroup]]


def render_layer(base: RenderedBase, groups: list[folium.FeatureGroup], index: int) -> str:
    """The feature groups' script, as ``st_folium(feature_group_to_add=groups)`` sends it, numbered from
    ``100 * index`` so that layers rendered apart never share a name."""
    with _RENDER_LOCK:
        return "".join(
            sf._get_feature_group_string(g, map=base.folium_map, idx=100 * index + i) for i, g in enumerate(groups)
        )


@st.cache_resource(max_entries=4, show_spinner=False)
def _cached_base(base_key: Hashable, _build: Callable[[], folium.Map]) -> RenderedBase:
    return render_base(_build())


# Bounded: at scale one layer's script is megabytes (100k events: about 2 MB).
@st.cache_resource(max_entries=32, show_spinner=False)
def _cached_layer(
    base_key: Hashable,
    part_key: Hashable,
    index: int,
    _base: RenderedBase,
    _build: Callable[[], list[folium.FeatureGroup]],
) -> str:
    return render_layer(_base, _build(), index)


def st_folium_cached(
    base_key: Hashable,
    build_base: Callable[[], folium.Map],
    parts: Iterable[LayerPart],
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict | None:
    """Like ``st_folium(build_base(), key=key, height=height, use_container_width=True,
    feature_group_to_add=[the parts' groups], returned_objects=..., center=..., zoom=...)``, but the base
    and each part are built and rendered only when their key (plain values: what they show) is new."""
    base = _cached_base(base_key, build_base)
    layers = "".join(_cached_layer(base_key, part.key, part.index, base, part.build) for part in parts)
    returned = list(returned_objects)
    defaults = dict.fromkeys(returned)
    defaults.update({k: v for k, v in (("bounds", base.bounds), ("zoom", base.zoom)) if k in returned})
    hash_key = sf.generate_js_hash(base.script, key, False)

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=zoom,
        center=center,
        feature_group=layers,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=_on_change,
        wrap_longitude=False,
    )
