"""Where each kind of feature lies, and the map's behaviour in use (static/frontera/mapuse.js).

Leaflet draws vector layers of one pane into one SVG, in the order they were added,
so a town added after a clash used to lie on top of it and take its clicks. Each kind
of feature gets its own pane instead, stacked by what a person most needs to reach:
events above flows, flows above places, everything above operation areas; the
uncertainty rings take no clicks at all. A click picks in the same order (mapuse.js),
so what the hover names is what the click opens.

:class:`MapUse` (added once, with the base map) creates the panes and starts
``L.fronteraMapUse``: a click picks the features near it (a short "Also here" list
when several share the spot), popups fit the map, attribution links open outside
the map's frame, and place and operation labels that would overlap are hidden.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from frontera.features import AREAS, ARROWS, BADGES, EVENTS, FLOWS, PANES, PASSIVE_PANES, PLACES, RINGS
from frontera.i18n import N_, _, current, vega_locale
from frontera.layers.literal import js_value

__all__ = [
    "AREAS",
    "ARROWS",
    "BADGES",
    "EVENTS",
    "FLOWS",
    "PANES",
    "PASSIVE_PANES",
    "PLACES",
    "RINGS",
    "MapUse",
    "on_pane",
]


def set_option(layer, name: str, value: object) -> None:
    """Set a Leaflet option on a folium vector layer or marker as it is rendered (folium keeps unknown ones out)."""
    layer.options[name] = value


def on_pane(layer, pane: str, interactive: bool = True):
    """Put a folium vector layer or marker in ``pane``; ``interactive=False`` makes it decoration.

    folium's vector classes drop options they do not know (``pane``, ``interactive``),
    so they are set on the rendered options here. Returns ``layer``.
    """
    if pane not in PANES:
        raise ValueError(f"pane {pane!r} is not one of {sorted(PANES)}")
    set_option(layer, "pane", pane)
    if not interactive:
        set_option(layer, "interactive", False)
    return layer


#: What static/frontera/mapuse.js writes in the browser ("Also here", the kinds it lists, the legend's frame),
#: by its English text; ``{n}`` is a count the script fills in.
BROWSER_TEXTS: tuple[str, ...] = (
    N_("Event"),
    N_("Operation"),
    N_("Crossing"),
    N_("Place"),
    N_("Flow"),
    N_("Operation area"),
    N_("Clash"),
    N_("Incident"),
    N_("Also here ({n})"),
    N_("(no name)"),
    N_("{n} more: zoom in to separate them."),
    N_(" · {n} more here: click to list them"),
    N_("Legend"),
    N_("Nothing drawn: tick a layer."),
    # static/frontera/fast-points.js: the density note and the popups of events and cells
    N_("{n} event in this cell"),
    N_("{n} events in this cell"),
    N_(" (not reported for {n})"),
    N_("Dates"),
    N_("Zoom in or narrow the dates to see the events one by one."),
    N_("When"),
    N_("Kind"),
    N_("Fatalities"),
    N_("Injured"),
    N_("Actors"),
    N_("Where"),
    N_("Sources"),
    N_("not reported"),
    N_("{start} – ongoing"),
    N_("within about {km} km"),
    N_("{n} in view, one circle each"),
    N_("{n} in view, shown as density: events per hexagon"),
    N_("{n} in view, shown as a heat surface (density of events)"),
    N_("Rings of place uncertainty hidden: too many overlap here; zoom in to see them."),
    N_("Fatalities in these cells: {n}"),
    N_(" (not reported for {n} events)"),
    N_("; click a cell for its own."),
    N_("Too many overlap to show one by one: zoom in or narrow the dates to see single events."),
    N_("Zoom in or narrow the dates to see fewer events; choose points to see each one."),
    N_("{k} of {n} events here"),
    N_("previous"),
    N_("next"),
    N_("fewer → more events"),
    N_(" (max {n})"),
    # the density note's buttons (their data-density attribute stays the mode's code)
    N_("auto"),
    N_("points"),
    N_("hexagons"),
    N_("heat"),
    # static/frontera/fast-hexagons.js: a server cell's popup
    N_("Area"),
    N_("(no kind)"),
    N_("H3 cell {cell} (resolution {n})"),
    # static/frontera/clock.js: the map's clock
    N_("Play"),
    N_("Pause"),
    N_("Step back"),
    N_("Step forward"),
    N_("week"),
    N_("day"),
    N_("Step by"),
    N_("window"),
    N_("cumulative"),
    N_("Show"),
    N_("Show the whole range"),
    N_("Date"),
    N_("All dates"),
    N_("showing {range}"),
    N_("{range}: ▶ to play"),
    N_("Hexagons step by week"),
)


def browser_texts() -> dict[str, str]:
    """The browser's texts in the session's language, by their English text (mapuse.js ``say``)."""
    return {text: _(text) for text in BROWSER_TEXTS}


class MapUse(MacroElement):
    """Creates the panes and starts ``L.fronteraMapUse`` on the map (static/frontera/mapuse.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.fronteraMapUse) { L.fronteraMapUse({{ this._parent.get_name() }}, {{ this.options_js }}); }
        {% endmacro %}
        """
    )

    def __init__(self, narrow: dict | None = None):
        super().__init__()
        self._name = "MapUse"
        self.options = {
            # On a narrow map (a phone) the opening view is zoomed out one step and placed so that both ends of
            # the story and their labels fit: {"below": px, "zoom": z, "west": [lat, lon], "east": [lat, lon]}.
            "narrow": narrow,
            "panes": [[name, z, name in PASSIVE_PANES] for name, z in PANES.items()],
            "text": browser_texts(),
            "thousands": vega_locale()["number"]["thousands"],  # 4,187 / 4.187, as Babel writes numbers
            "scale": {"imperial": current() == "en"},  # the region measures in km; miles for English readers
            "dateLocale": {"es": "es"}.get(current(), "en-GB"),  # days as Babel writes them: 23 Jul 2024 / 23 jul 2024
        }
        self.options_js = js_value(self.options)  # the texts are translations: into the script only as JSON
