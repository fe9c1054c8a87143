"""Small folium elements that treat text as text.

folium's own ``Popup`` and ``Tooltip`` paste their content into a JavaScript
template literal (backticks) and, for popups, through jQuery; a data value with
a backtick or ``${...}`` would run as code, and ``Popup`` renders its content as a
Jinja template once more. These elements pass the content as a string literal made
by :func:`frontera.layers.literal.js_string` (no ``{ } % # < > &`` survives it), and
the content itself is built from escaped values (:mod:`frontera.popups`). No other
element of Frontera carries text from data.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from frontera.layers.literal import js_string, js_value


class _TextElement(MacroElement):
    """An element whose ``html`` and ``options`` reach the script only as encoded literals."""

    html: str
    options: dict

    @property
    def html_js(self) -> str:
        return js_string(self.html)

    @property
    def options_js(self) -> str:
        return js_value(self.options)


class SafePopup(_TextElement):
    """A popup whose HTML is set from a JSON string (build the HTML with escaped values)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, max_width: int = 360):
        super().__init__()
        self._name = "SafePopup"
        self.html = html
        self.options = {"maxWidth": max_width, "className": "fr-leaflet-popup"}


class SafeTooltip(_TextElement):
    """A tooltip whose HTML is set from a JSON string (escape data values before)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.html_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html: str,
        permanent: bool = False,
        direction: str = "auto",
        class_name: str = "",
        offset: tuple[int, int] = (0, 0),
    ):
        super().__init__()
        self._name = "SafeTooltip"
        self.html = html
        self.options = {
            "permanent": permanent,
            "direction": direction,
            "className": class_name,
            "offset": list(offset),
            "sticky": not permanent and direction == "auto",
        }
