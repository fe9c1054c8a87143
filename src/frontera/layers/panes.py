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


class MapUse(MacroElement):
    """Creates the panes and starts ``L.fronteraMapUse`` on the map (static/frontera/mapuse.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.fronteraMapUse) { L.fronteraMapUse({{ this._parent.get_name() }}, {{ this.options|tojson }}); }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MapUse"
        self.options = {"panes": [[name, z, name in PASSIVE_PANES] for name, z in PANES.items()]}
