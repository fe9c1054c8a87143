"""One clock for every dated layer: play, pause and step through the view's dates in the browser.

The clock (``static/frontera/clock.js``, ``L.fronteraClock``) is a control on the map: play,
pause, step by a day or a week, as a moving window (the last day or week) or cumulatively
(from the range's first day), with the date it stands at written on the map. It needs no
server run: every record drawn carries its days, and the clock hides what lies outside.

- Records drawn one by one (flows, operations, events under the canvas threshold) carry
  ``[first day, last day or None]`` as the Leaflet option ``fronteraDays`` (set from :attr:`frontera.features.Feature.days`);
  the clock takes a layer off the map while outside its days, so neither a click nor a
  hover finds it.
- The canvas layer (``static/frontera/fast-points.js``) has the days in its arrays; the
  clock hands it a filter through its one hook, ``setDayFilter(keep)``.

The rule is :func:`frontera.model.dates.overlaps`: a record is shown when its days overlap
the clock's (both ends included), and one with no end is still going on.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from frontera.features import day_number
from frontera.layers.literal import js_value
from frontera.model.dates import DateWindow


class Clock(MacroElement):
    """The clock's control, on the map while its feature group is (``L.fronteraClock``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.fronteraClock) { L.fronteraClock({{ this._parent.get_name() }}, {{ this.options_js }}); }
        {% endmacro %}
        """
    )

    def __init__(self, window: DateWindow):
        super().__init__()
        self._name = "Clock"
        self.options = {"start": day_number(window.start), "end": day_number(window.end)}
        self.options_js = js_value(self.options)


def clock_group(window: DateWindow) -> folium.FeatureGroup:
    """A feature group holding the clock for ``window`` (the view's dates)."""
    group = folium.FeatureGroup(name="Clock", show=True, control=False)
    group.add_child(Clock(window))
    return group


def clock_groups(window: DateWindow) -> list[folium.FeatureGroup]:
    """:func:`clock_group` as a list, the form the app's cached map parts take."""
    return [clock_group(window)]
