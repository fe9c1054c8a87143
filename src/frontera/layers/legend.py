"""The legend (a Leaflet control explaining every symbol) and the map's own style sheet."""

from __future__ import annotations

from branca.element import Element, MacroElement
from jinja2 import Template

from frontera.layers.style import (
    BORDER_COLOUR,
    CROSSING_INFORMAL_COLOUR,
    CROSSING_OFFICIAL_COLOUR,
    EVENT_COLOURS,
    FLOW_COLOURS,
    OPERATION_COLOURS,
    event_radius,
    flow_weight,
)

MAP_CSS = """
<style>
.frontera-label { background: rgba(255,255,255,0.85); border: 0; box-shadow: none; padding: 0 4px;
  font: 12px/1.3 system-ui, sans-serif; color: #111827; }
.frontera-label-key { font-weight: 700; font-size: 13px; }
.frontera-label:before { display: none; }
.frontera-crossing-official div { width: 12px; height: 12px; border: 2px solid #fff; box-sizing: border-box;
  box-shadow: 0 0 0 1px #0f172a; }
.frontera-operation-badge span { display: inline-block; white-space: nowrap; transform: translate(-50%, -50%);
  background: rgba(255,255,255,0.88); border: 1px solid; border-radius: 3px; padding: 0 4px;
  font: 600 10px/1.5 system-ui, sans-serif; }
.fr-popup { font: 13px/1.4 system-ui, sans-serif; max-width: 340px; }
.fr-popup h4 { margin: 0 0 2px; font-size: 14px; }
.fr-popup .fr-meta { margin: 0 0 6px; color: #6b7280; font-size: 11px; }
.fr-popup table { border-collapse: collapse; }
.fr-popup th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0; color: #374151; white-space: nowrap; }
.fr-popup td { padding: 1px 0; }
.fr-popup .fr-h { margin: 6px 0 0; font-weight: 600; }
.fr-popup ul.fr-sources { margin: 2px 0 0; padding-left: 16px; }
.fr-popup .fr-sid { color: #6b7280; font-size: 11px; }
.frontera-legend { background: rgba(255,255,255,0.95); padding: 6px 8px; border-radius: 4px;
  font: 12px/1.35 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-height: 60vh; overflow: auto; }
.frontera-legend summary { cursor: pointer; }
.frontera-legend h5 { margin: 4px 0 2px; font-size: 12px; }
.frontera-legend .sw { display: inline-block; vertical-align: middle; margin-right: 6px; }
.frontera-legend .row { white-space: nowrap; }
</style>
"""


def _row(swatch: str, text: str) -> str:
    return f"<div class='row'>{swatch}{text}</div>"


def legend_html(layers: tuple[str, ...]) -> str:
    """Static HTML (no data values) explaining the symbols of the layers shown."""
    parts = []
    if "flows" in layers:
        parts.append("<h5>Displacement flows (arrow: origin → destination)</h5>")
        for status, colour in FLOW_COLOURS.items():
            parts.append(_row(f"<span class='sw' style='width:26px;height:4px;background:{colour}'></span>", status))
        for n in (60, 600, 4000):
            w = flow_weight(n)
            parts.append(_row(f"<span class='sw' style='width:26px;height:{w}px;background:#6b7280'></span>",
                              f"{n:,} people"))
        parts.append(_row("<span class='sw' style='width:26px;border-top:3px dashed #6b7280'></span>",
                          "second report of the same movement (figures disagree; not added up)"))
    if "clashes" in layers or "incidents" in layers:
        parts.append("<h5>Clashes and incidents (size: fatalities)</h5>")
        for kind in ("armed clash", "attack", "road accident involving migrants"):
            c = EVENT_COLOURS[kind]
            parts.append(_row(f"<span class='sw' style='width:12px;height:12px;border-radius:50%;background:{c}'></span>", kind))
        for n in (0, 10):
            r = event_radius(n) * 2
            parts.append(_row(f"<span class='sw' style='width:{r}px;height:{r}px;border-radius:50%;background:#9ca3af'></span>",
                              f"{n} killed"))
        parts.append(_row("<span class='sw' style='width:12px;height:12px;border-radius:50%;border:2px solid #6b7280;background:#fff'></span>",
                          "fatalities not reported"))
        parts.append(_row("<span class='sw' style='width:20px;height:20px;border-radius:50%;border:1px dashed #6b7280'></span>",
                          "place uncertain: may be anywhere in the ring"))
    if "operations" in layers:
        parts.append("<h5>Security operations (areas)</h5>")
        for status, colour in OPERATION_COLOURS.items():
            parts.append(_row(f"<span class='sw' style='width:18px;height:12px;background:{colour}33;border:2px solid {colour}'></span>", status))
        parts.append(_row("<span class='sw' style='width:18px;height:12px;border:2px dashed #6b7280'></span>",
                          "illustrative extent (not published)"))
        parts.append(_row("", "labels: LAND / AIR · status"))
    if "crossings" in layers:
        parts.append("<h5>Border crossings</h5>")
        parts.append(_row(f"<span class='sw' style='width:10px;height:10px;background:{CROSSING_OFFICIAL_COLOUR};border:2px solid #fff;box-shadow:0 0 0 1px {CROSSING_OFFICIAL_COLOUR}'></span>", "official crossing"))
        parts.append(_row(f"<span class='sw' style='width:12px;height:12px;border-radius:50%;border:2px dashed {CROSSING_INFORMAL_COLOUR}'></span>", "informal crossing (approximate)"))
    if "border" in layers:
        parts.append(_row(f"<span class='sw' style='width:26px;height:3px;background:{BORDER_COLOUR}'></span>",
                          "Mexico–Guatemala border (OpenStreetMap)"))
    if "places" in layers:
        parts.append(_row("<span class='sw' style='width:9px;height:9px;border-radius:50%;border:2px solid #111827;background:#fff'></span>",
                          "place in the reports"))
    return "<details class='frontera-legend-box'><summary><b>Legend</b></summary>" + "".join(parts) + "</details>"


class Legend(MacroElement):
    """A legend control in the top-right corner, folded until clicked so it never hides the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "topright"});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "frontera-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layers: tuple[str, ...]):
        super().__init__()
        self._name = "Legend"
        self.html = legend_html(layers)


def add_map_css(m) -> None:
    m.get_root().header.add_child(Element(MAP_CSS), name="frontera_css")
