"""The two map elements: :class:`FastEventLayer` (events on a canvas) and :class:`HexagonLayer` (server cells).

Both hand a payload of :mod:`frontera.layers.fast.codec` to a factory of the browser code
(``static/frontera/fast-*.js``, loaded in the order of :data:`SCRIPTS`). The header (which
carries source titles and publishers) and the options reach the script through
:func:`frontera.layers.literal.js_value`, so no text from data is read as template or
HTML; the data itself is base64.

The event popup shows the fields of :func:`frontera.popups.record_popup` except the
free-text summary and the distance to the border (too large to ship for every one of
100,000 events; the regular layer shows them for small selections).
"""

from __future__ import annotations

import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from frontera import assets
from frontera.aggregate import CellAggregate
from frontera.i18n import _, current
from frontera.layers.fast.celldays import CellDays, encode_cell_days
from frontera.layers.fast.codec import encode_cells, encode_events
from frontera.layers.fast.schema import SCHEMA_JS
from frontera.layers.literal import js_value
from frontera.layers.style import EVENT_COLOURS, EVENT_FALLBACK_COLOUR
from frontera.model.layers import BY_NAME
from frontera.model.records import DATE_PRECISION_TEXT, DEFAULT_UNCERTAINTY_KM, GEO_PRECISION_TEXT
from frontera.model.view import DENSITY_MODES

#: The browser code, by concern, in load order (each file after the ones it uses).
SCRIPT_FILES: tuple[tuple[str, str], ...] = (
    ("frontera_fast_util", "frontera/fast-util.js"),
    ("frontera_fast_schema", SCHEMA_JS),
    ("frontera_fast_raster", "frontera/fast-raster.js"),
    ("frontera_fast_canvas", "frontera/fast-canvas.js"),
    ("frontera_fast_points", "frontera/fast-points.js"),
    ("frontera_fast_hexagons", "frontera/fast-hexagons.js"),
)
SCRIPTS: list[tuple[str, str]] = [(name, assets.static_url(path)) for name, path in SCRIPT_FILES]


#: How the event layer reports a density chosen with its note's buttons to the page: it "clicks" with this
#: tooltip (the only thing streamlit-folium hands back), ``<prefix><mode>#<time>`` (unique per pick).
DENSITY_PICK_PREFIX = "frontera-density="


def density_pick(tooltip: str | None) -> str | None:
    """The density a clicked tooltip picks (``"frontera-density=points#1732..."`` -> ``"points"``), else None.

    >>> density_pick("frontera-density=heat#1764297600000"), density_pick("C1: a clash")
    ('heat', None)
    """
    if not tooltip or not tooltip.startswith(DENSITY_PICK_PREFIX):
        return None
    mode = tooltip[len(DENSITY_PICK_PREFIX) :].split("#", 1)[0]
    return mode if mode in DENSITY_MODES else None


def check_density(density: str) -> str:
    """``density`` if it is one of :data:`DENSITY_MODES`, else a ``ValueError`` that lists them.

    >>> check_density("heat")
    'heat'
    """
    if density not in DENSITY_MODES:
        raise ValueError(f"density {density!r} is not one of {', '.join(DENSITY_MODES)}")
    return density


def layer_title(name: str) -> str:
    """The layer's title in the session's language (the density note's heading); ``name`` when not a layer."""
    return _(BY_NAME[name].title) if name in BY_NAME else name


def word_texts(events: pd.DataFrame, column: str) -> dict[str, str]:
    """The events' words of ``column`` (kinds, layer names) in the session's language, by the word as stored
    (popups and cells); a word the catalogue does not know (an imported source's own) is shown as written."""
    words = events[column].dropna().astype(str).unique() if column in events else []
    return {w: _(w) for w in words if w and _(w) != w}


def kind_texts(events: pd.DataFrame) -> dict[str, str]:
    """The events' kinds in the session's language (:func:`word_texts` of ``kind``)."""
    return word_texts(events, "kind")


def _style_options() -> dict:
    return {
        "colours": EVENT_COLOURS,
        "fallbackColour": EVENT_FALLBACK_COLOUR,
        "datePrecisionText": {code: _(text) for code, text in DATE_PRECISION_TEXT.items()},
        "geoPrecisionText": {code: _(text) for code, text in GEO_PRECISION_TEXT.items()},
        "defaultUncertaintyKm": DEFAULT_UNCERTAINTY_KM,
        # Popups write days as frontera.popups does (Babel's long date): the browser's Intl, in this locale.
        "dateLocale": _DATE_LOCALE.get(current(), "en-GB"),
    }


#: The browser locale (Intl) whose long dates match frontera.i18n.format_date's: "16 July 2024", "16 de julio de 2024".
_DATE_LOCALE = {"en": "en-GB", "es": "es"}


class _CanvasPayloadLayer(JSCSSMixin, MacroElement):
    """A layer of the browser code: its factory (``_factory``) gets ``self.payload`` and ``self.options``."""

    _factory = ""
    payload: dict  # set by each subclass's __init__
    options: dict
    default_js: list[tuple[str, str]] = SCRIPTS
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this._factory }}(
            {{ this.header_js }}, "{{ this.payload.data }}", {{ this.options_js }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    @property
    def header_js(self) -> str:
        return js_value(self.payload["header"])

    @property
    def options_js(self) -> str:
        return js_value(self.options)


class FastEventLayer(_CanvasPayloadLayer):
    """Clashes or incidents drawn on one canvas: circles sized by fatalities, coloured by kind.

    Zero and unknown fatalities stay visible (unknown: hollow); when zoomed in to
    ``ring_min_zoom`` a faint dashed ring shows the place's uncertainty. A click
    opens the popup of the events under the cursor (several at one spot page
    through "‹ 1 of 12 ›"). The canvas has the class ``frontera-fastpoints`` and,
    after each draw, ``data-drawn`` = the number of events drawn in view and
    ``data-mode`` = what was drawn (``points``, ``hexagons`` or ``heat``).

    Whether circles or density are drawn is decided in the browser from what is on
    screen (``density="auto"``): when most events in view share crowded screen
    hexagons, the layer draws the hexagons with their counts and says so in its note
    on the map; zooming in or narrowing the dates brings single events back.

    Parameters
    ----------
    events : DataFrame
        Time-bound records (``RECORD_COLUMNS``) with point geometries.
    sources : DataFrame, optional
        ``geodata/sources.csv``; cited sources become links in the popups.
    density : str
        One of :data:`DENSITY_MODES`: ``auto`` (the browser decides), or always
        ``points``, ``hexagons`` or ``heat``.
    """

    _factory = "L.fronteraFastPoints"

    def __init__(
        self,
        events: pd.DataFrame,
        sources: pd.DataFrame | None = None,
        *,
        name: str = "events",
        ring_min_zoom: int = 9,
        pane_z_index: int = 450,
        density: str = "auto",
    ):
        super().__init__()
        self._name = "FastEventLayer"
        self.payload = encode_events(events, sources)
        self.options = {
            **_style_options(),
            "name": name,
            "title": layer_title(name),
            "kindText": kind_texts(events),
            "layerText": word_texts(events, "layer"),
            "ringMinZoom": ring_min_zoom,
            "zIndex": pane_z_index,
            "density": check_density(density),
            "densityPick": DENSITY_PICK_PREFIX,
        }

    @property
    def count(self) -> int:
        """Events shipped (those with a location)."""
        return self.payload["header"]["n"]


class HexagonLayer(_CanvasPayloadLayer):
    """H3 cells shaded by the number of events in each, labelled with counts; a click shows count and fatalities.

    The canvas has the class ``frontera-hexagons`` and ``data-drawn`` = cells drawn. With ``days``
    (:func:`frontera.layers.fast.celldays.cell_days`) the cells follow the map's clock: counts, shades and
    fatalities of the clock's window.
    """

    _factory = "L.fronteraHexagons"

    def __init__(
        self,
        agg: CellAggregate,
        *,
        name: str = "events",
        note: str = "",
        pane_z_index: int = 440,
        days: CellDays | None = None,
    ):
        super().__init__()
        self._name = "HexagonLayer"
        self.payload = encode_cells(agg)
        self.options = {"name": name, "title": layer_title(name), "note": note, "zIndex": pane_z_index}
        if days is not None:  # the sums per day: the cells follow the map's clock
            self.options["days"] = encode_cell_days(days)


def add_scripts(m) -> None:
    """Load the browser code in a map before any layer arrives (a large selection may be swapped in later)."""
    for name, path in SCRIPT_FILES:
        assets.add_script(m, path, name)
