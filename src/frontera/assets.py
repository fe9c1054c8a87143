"""Where the map's scripts and style sheets come from: Frontera's own copies, never a CDN.

folium elements declare what they load as data (``default_js``/``default_css``,
lists of ``(name, url)``) and point at public CDNs. :func:`configure_map` points
a map at Frontera's vendored copies instead, in one of two modes:

- ``"static"``: URLs under ``static/`` as Streamlit serves it
  (``server.enableStaticServing``). The default prefix ``../../app/static`` is
  relative to streamlit-folium's component frame
  (``<base>/component/streamlit_folium.st_folium/index.html``), so it also works
  under ``--server.baseUrlPath``.
- ``"inline"``: the files' contents embedded in the page (images in style sheets
  as ``data:`` URIs), for the standalone HTML export that opens from a USB stick.

The rewrite happens when the map is rendered, so elements added after
``configure_map`` (layers, plugins) are covered too. An element that needs a file
Frontera does not ship, or a branca colormap (streamlit-folium loads d3 from a
CDN for those), raises :class:`AssetError` naming it: nothing falls back to the
network.

A layer that needs one of our own scripts declares it like folium does::

    class TownLabels(JSCSSMixin):
        default_js = [("frontera_labels", assets.static_url("frontera/labels.js"))]

or adds it to a map with :func:`add_script`.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import branca.colormap
import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from frontera.errors import AssetError
from frontera.layers.literal import LiteralText
from frontera.paths import static_dir

STATIC_DIR = static_dir()
#: Prefix of static URLs as seen from streamlit-folium's component frame.
STATIC_PREFIX = "../../app/static"
MODES = ("static", "inline")

#: What every Frontera map loads, in order: Leaflet, then the fixes that must follow it (marker images, focus).
MAP_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("frontera_icon_path", "frontera/icon-path.js"),
    ("frontera_leaflet_focus", "frontera/leaflet-focus.js"),
)
MAP_CSS: tuple[tuple[str, str], ...] = (
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("frontera_basemap_css", "frontera/frontera.css"),
)

#: CDN URLs that folium elements Frontera uses declare -> our vendored copy (path under static/).
CDN_COPIES: dict[str, str] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "vendor/leaflet/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "vendor/leaflet/leaflet.css",
    "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js": "vendor/leaflet-textpath/leaflet.textpath.js",
}

_FINALIZER_NAME = "frontera_offline_assets"
_STATIC_MARK = "/app/static/"
_CSS_URL = re.compile(r"""url\((['"]?)([^'")]+)\1\)""")
_SOURCE_MAP = re.compile(r"^\s*/[/*][#@] sourceMappingURL=.*$", re.MULTILINE)
_EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", re.IGNORECASE
)


def static_url(relpath: str, prefix: str = STATIC_PREFIX) -> str:
    """URL of a file under ``static/`` as the map's frame sees it.

    >>> static_url("frontera/labels.js")
    '../../app/static/frontera/labels.js'
    """
    return f"{prefix.rstrip('/')}/{relpath.lstrip('/')}"


def static_path(relpath: str) -> Path:
    """The file behind a path under ``static/``; :class:`AssetError` when it is missing."""
    path = STATIC_DIR / relpath
    if not path.is_file():
        raise AssetError(
            f"static asset {relpath!r} is missing: expected the file {path}; "
            "see static/vendor/README.md for how the vendored files are made"
        )
    return path


def vendored_relpath(url: str) -> str | None:
    """The path under ``static/`` that stands for ``url``, or None when Frontera ships no copy.

    >>> vendored_relpath("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    'vendor/leaflet/leaflet.js'
    >>> vendored_relpath("../../app/static/frontera/labels.js")
    'frontera/labels.js'
    >>> vendored_relpath("https://example.org/x.js") is None
    True
    """
    if url in CDN_COPIES:
        return CDN_COPIES[url]
    if _STATIC_MARK in url:
        return url.split(_STATIC_MARK, 1)[1]
    if url.startswith(("app/static/", "static/")):
        return url.split("static/", 1)[1]
    return None


def inline_js(relpath: str) -> Element:
    """A ``<script>`` element holding the file's code (no source-map comment, no early ``</script>``)."""
    code = _SOURCE_MAP.sub("", static_path(relpath).read_text(encoding="utf-8")).replace("</script", "<\\/script")
    return LiteralText(f"<script>/* {relpath} */\n{code}\n</script>")


def inline_css(relpath: str) -> Element:
    """A ``<style>`` element holding the style sheet, its relative ``url(...)`` images as data URIs."""
    path = static_path(relpath)

    def embed(match: re.Match) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if target.startswith(("http:", "https:", "//")):
            raise AssetError(f"{relpath} refers to {target!r} on the network; ship that file under static/")
        file = (path.parent / target.split("?")[0].split("#")[0]).resolve()
        if not file.is_file():
            raise AssetError(f"{relpath} refers to {target!r}, expected the file {file}")
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f'url("data:{mime};base64,{base64.b64encode(file.read_bytes()).decode("ascii")}")'

    css = _SOURCE_MAP.sub("", _CSS_URL.sub(embed, path.read_text(encoding="utf-8")))
    return LiteralText(f"<style>/* {relpath} */\n{css}\n</style>")


def _inline_icon_fix() -> Element:
    """Inline mode's marker-image fix: the default marker images as data URIs."""

    def uri(name: str) -> str:
        data = static_path(f"vendor/leaflet/images/{name}").read_bytes()
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    return LiteralText(
        "<script>/* frontera: Leaflet's default marker images, embedded */\n"
        "L.Icon.Default.imagePath = '';\n"
        f"L.Icon.Default.mergeOptions({{iconUrl: '{uri('marker-icon.png')}', "
        f"iconRetinaUrl: '{uri('marker-icon-2x.png')}', shadowUrl: '{uri('marker-shadow.png')}'}});\n"
        "</script>"
    )


def walk(element: Element) -> Iterator[Element]:
    """``element`` and everything below it, parents first."""
    yield element
    for child in list(element._children.values()):
        yield from walk(child)


class OfflineAssets(MacroElement):
    """Rewrites every element's ``default_js``/``default_css`` when the map is rendered."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self, mode: str, static_prefix: str):
        super().__init__()
        self._name = "OfflineAssets"
        self.mode = mode
        self.static_prefix = static_prefix

    def _relpath(self, element: Element, url: str) -> str:
        rel = vendored_relpath(url)
        if rel is None:
            raise AssetError(
                f"{type(element).__name__} wants {url!r}, which Frontera does not ship: vendor it under "
                "static/vendor/ (from its npm package, with its licence) and map the URL in "
                "frontera.assets.CDN_COPIES, or do without that element"
            )
        static_path(rel)  # fail now, not in the browser
        return rel

    def resolve(self, figure: Figure, element: Element) -> None:
        """Point one element's declared files at our copies (static) or embed them (inline)."""
        if isinstance(element, branca.colormap.ColorMap):
            raise AssetError(
                f"branca colormap {element.get_name()!r} makes streamlit-folium load d3 from a CDN; "
                "draw the legend as HTML instead"
            )
        if not isinstance(element, JSCSSMixin):
            return
        js = [(name, self._relpath(element, url)) for name, url in element.default_js]
        css = [(name, self._relpath(element, url)) for name, url in element.default_css]
        if self.mode == "static":
            element.default_js = [(name, static_url(rel, self.static_prefix)) for name, rel in js]
            element.default_css = [(name, static_url(rel, self.static_prefix)) for name, rel in css]
            return
        for name, rel in js:
            figure.header.add_child(inline_js(rel), name=name)
        for name, rel in css:
            figure.header.add_child(inline_css(rel), name=name)
        element.default_js, element.default_css = [], []

    def render(self, **kwargs):  # as MacroElement.render: returns nothing
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise AssetError("the map must sit in a folium Figure before it is rendered")
        for element in walk(figure):
            self.resolve(figure, element)
        super().render(**kwargs)


def configure_map(m: folium.Map, mode: str = "static", static_prefix: str = STATIC_PREFIX) -> folium.Map:
    """Make ``m`` load Leaflet and every plugin from Frontera's own files; call it again to switch mode.

    >>> m = configure_map(folium.Map(tiles=None))
    >>> m.default_js[0]
    ('leaflet', '../../app/static/vendor/leaflet/leaflet.js')
    """
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not one of {MODES}")
    figure = m.get_root()
    if not isinstance(figure, Figure):
        figure = Figure()
        figure.add_child(m)
    if mode == "static":
        m.default_js = [(name, static_url(rel, static_prefix)) for name, rel in MAP_JS]
        m.default_css = [(name, static_url(rel, static_prefix)) for name, rel in MAP_CSS]
    else:
        # The map adds its own links before its children render, so embed its files now.
        for name, rel in MAP_JS:
            figure.header.add_child(_inline_icon_fix() if name == "frontera_icon_path" else inline_js(rel), name=name)
        for name, rel in MAP_CSS:
            figure.header.add_child(inline_css(rel), name=name)
        m.default_js, m.default_css = [], []
    finalizer = OfflineAssets(mode, static_prefix)
    finalizer._parent = m
    # First child, so it runs before any other element of the map renders its links.
    others = [(k, v) for k, v in m._children.items() if k != _FINALIZER_NAME]
    m._children = OrderedDict([(_FINALIZER_NAME, finalizer), *others])
    return m


class ScriptAsset(JSCSSMixin):
    """A script or style sheet of ours that the map loads, with nothing drawn."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self, name: str, relpath: str):
        super().__init__()
        self._name = "ScriptAsset"
        static_path(relpath)
        target = "default_css" if relpath.endswith(".css") else "default_js"
        setattr(self, target, [(name, static_url(relpath))])
        setattr(self, "default_js" if target == "default_css" else "default_css", [])


def add_script(m: folium.Map, relpath: str, name: str | None = None) -> ScriptAsset:
    """Load ``static/<relpath>`` (a .js or .css file of ours) in the map, in either mode.

    Scripts load in the order they are added, after Leaflet.
    """
    asset = ScriptAsset(name or "frontera_" + re.sub(r"\W", "_", relpath), relpath)
    m.add_child(asset)
    return asset


def external_urls(html: str) -> list[str]:
    """Network URLs that a page would load by itself (script, style sheet, image, frame sources).

    Links a person may click (``<a href>``) are not requests and are not listed.

    >>> external_urls('<script src="https://cdn.example/x.js"></script><a href="https://osm.org">OSM</a>')
    ['https://cdn.example/x.js']
    """
    return _EXTERNAL.findall(html)
