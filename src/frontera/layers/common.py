"""Small folium elements that treat text as text.

folium's own ``Popup`` and ``Tooltip`` paste their content into a JavaScript
template literal (backticks) and, for popups, through jQuery; a data value with
a backtick or ``${...}`` would run as code. These elements pass the content as
a JSON string instead (Jinja's ``tojson`` also escapes ``<``, ``>`` and ``&``),
and the content itself is built from escaped values (:mod:`frontera.popups`).
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class SafePopup(MacroElement):
    """A popup whose HTML is set from a JSON string (build the HTML with escaped values)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, max_width: int = 360):
        super().__init__()
        self._name = "SafePopup"
        self.html = html
        self.options = {"maxWidth": max_width, "className": "fr-leaflet-popup"}


class SafeTooltip(MacroElement):
    """A tooltip whose HTML is set from a JSON string (escape data values before)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, permanent: bool = False, direction: str = "auto", class_name: str = "",
                 offset: tuple[int, int] = (0, 0)):
        super().__init__()
        self._name = "SafeTooltip"
        self.html = html
        self.options = {"permanent": permanent, "direction": direction, "className": class_name,
                        "offset": list(offset), "sticky": not permanent and direction == "auto"}
