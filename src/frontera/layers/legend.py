"""The legend (a Leaflet control listing exactly what the map draws) and the map's own style sheet."""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from frontera.layers.literal import js_value
from frontera.layers.style import (
    BORDER_COLOUR,
    CROSSING_INFORMAL_COLOUR,
    CROSSING_OFFICIAL_COLOUR,
    EVENT_FALLBACK_COLOUR,
    FLOW_COLOURS,
    OPERATION_COLOURS,
    OPERATION_FALLBACK_COLOUR,
    event_colour,
    event_radius,
    flow_weight,
)
from frontera.model.records import DEFAULT_UNCERTAINTY_KM

MAP_CSS = """
<style>
/* In the app's frame the map is as tall as the frame, whose height the page sets from the window. */
#map_div { height: 100vh !important; }
@media (max-width: 520px) { .leaflet-control-attribution { font-size: 9px; line-height: 1.25; } }
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
.frontera-legend { background: rgba(255,255,255,0.96); padding: 4px 8px; border-radius: 4px;
  font: 11.5px/1.2 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: min(290px, 70vw); }
.frontera-legend summary { cursor: pointer; font-weight: 700; }
.frontera-legend .fr-legend-body { overflow-y: auto; scrollbar-width: thin; scrollbar-gutter: auto; }
.frontera-legend h5 { margin: 4px 0 1px; font-size: 11.5px; line-height: 1.2; }
.frontera-legend .sw { display: inline-block; vertical-align: middle; margin-right: 6px; box-sizing: border-box; }
.frontera-legend .sw-dot, .frontera-legend .sw-hollow, .frontera-legend .sw-place, .frontera-legend .sw-ring,
.frontera-legend .sw-informal { border-radius: 50%; }
.frontera-legend .sw-hollow, .frontera-legend .sw-place { border: 2px solid; background: #fff; }
.frontera-legend .sw-ring { border: 1px dashed; }
.frontera-legend .sw-informal { border: 2px dashed; background: #fff; }
.frontera-legend .sw-area { width: 18px; height: 12px; border: 2px solid; }
.frontera-legend .sw-area-dashed { width: 18px; height: 12px; border: 2px dashed; }
.frontera-legend .sw-diamond { transform: rotate(45deg) scale(0.85); border: 1.5px solid #fff; box-shadow: 0 0 0 1px #374151; }
.frontera-legend .sw-official { border: 2px solid #fff; box-shadow: 0 0 0 1px #0f172a; }
.frontera-legend .row { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.frontera-legend .fr-legend-part { break-inside: avoid; }
.frontera-legend.fr-legend-wide { max-width: min(470px, 60vw); }
.frontera-legend.fr-legend-wide .fr-legend-body { column-count: 2; column-gap: 14px; }
</style>
"""


#: Most event kinds listed one by one; the rest share one row in the fallback colour.
MAX_KINDS = 8
#: Rows are ``[swatch, colour, size, label]``; static/frontera/mapuse.js draws each swatch kind.
Row = list


def _present(values) -> list[str]:
    """Distinct non-empty values, most frequent first (ties in first-seen order)."""
    counts: dict[str, int] = {}
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "":
            continue
        counts[str(v)] = counts.get(str(v), 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def _drawn(gdf: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if gdf is None or not len(gdf):
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    return gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]


def flow_rows(flows: gpd.GeoDataFrame) -> list[Row]:
    rows = [["line", FLOW_COLOURS.get(s, "#525252"), 4, s] for s in _present(flows["status"])]
    rows += [["line", "#6b7280", flow_weight(n), f"{n:,} people"] for n in (60, 600, 4000)]
    if "disagrees_with" in flows and flows["disagrees_with"].fillna("").astype(str).str.strip().ne("").any():
        rows.append(["dashed", "#6b7280", 3, "second report of the same movement (not added up)"])
    return rows


def event_rows(events: gpd.GeoDataFrame) -> list[Row]:
    kinds = _present(events["kind"]) if "kind" in events else []
    rows = [["dot", event_colour(k), 12, k] for k in kinds[:MAX_KINDS]]
    if len(kinds) > MAX_KINDS:
        rows.append(["dot", EVENT_FALLBACK_COLOUR, 12, f"{len(kinds) - MAX_KINDS} other kinds"])
    rows += [["dot", "#9ca3af", event_radius(n) * 2, f"{n} killed"] for n in (0, 10)]
    if "fatalities" in events and events["fatalities"].isna().any():
        rows.append(["hollow", "#6b7280", 12, "fatalities not reported"])
    uncertain = events["uncertainty_km"].fillna(0).gt(0).any() if "uncertainty_km" in events else False
    if uncertain or ("geo_precision" in events and events["geo_precision"].isin(list(DEFAULT_UNCERTAINTY_KM)).any()):
        rows.append(["ring", "#6b7280", 18, "place uncertain: anywhere in the ring"])
    return rows


def operation_rows(ops: gpd.GeoDataFrame) -> list[Row]:
    areas = ops[ops.geom_type.isin(["Polygon", "MultiPolygon"])]
    points = ops[~ops.geom_type.isin(["Polygon", "MultiPolygon"])]
    rows = [["area", OPERATION_COLOURS.get(s, OPERATION_FALLBACK_COLOUR), 0, s] for s in _present(areas["status"])]
    if len(areas) and "geo_precision" in areas and areas["geo_precision"].eq("illustrative").any():
        rows.append(["area-dashed", "#6b7280", 0, "illustrative extent (not published)"])
    rows += [
        ["diamond", OPERATION_COLOURS.get(s, OPERATION_FALLBACK_COLOUR), 10, f"{s} (at a place, no area)"]
        for s in _present(points["status"])
    ]
    return rows


def legend_sections(
    layers: tuple[str, ...],
    visible: Mapping[str, gpd.GeoDataFrame],
    crossing_kinds: tuple[str, ...] = ("official", "informal"),
) -> list[list]:
    """What the map draws for ``layers``, as ``[title, rows]`` sections (rows: :data:`Row`).

    ``visible`` holds the time-bound records drawn (:func:`frontera.filters.visible_records`);
    only the statuses and kinds present are listed, imported ones included.
    """
    sections = []
    flows = _drawn(visible.get("flows"))
    if "flows" in layers and len(flows):
        sections.append(["Displacement flows (origin → destination)", flow_rows(flows)])
    parts = [_drawn(visible.get(k)) for k in ("clashes", "incidents") if k in layers]
    events = pd.concat(parts) if parts else _drawn(None)
    if len(events):
        sections.append(["Clashes and incidents (size: fatalities)", event_rows(events)])
    ops = _drawn(visible.get("operations"))
    if "operations" in layers and len(ops):
        sections.append(["Security operations (filled when selected)", operation_rows(ops)])
    places = []
    if "crossings" in layers:
        places += (
            [["official", CROSSING_OFFICIAL_COLOUR, 10, "official crossing"]] if "official" in crossing_kinds else []
        )
        places += (
            [["informal", CROSSING_INFORMAL_COLOUR, 12, "informal crossing (approximate)"]]
            if "informal" in crossing_kinds
            else []
        )
    if "places" in layers:
        places.append(["place", "#111827", 9, "place in the reports"])
    if "border" in layers:
        places.append(["line", BORDER_COLOUR, 3, "Mexico–Guatemala border (OpenStreetMap)"])
    if places:
        sections.append(["Places and border", places])
    return sections


class Legend(MacroElement):
    """The legend of what a feature group set draws: a folded control in the top-right corner,
    on the map while its group is (static/frontera/mapuse.js, ``L.fronteraLegend``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.fronteraLegend) { L.fronteraLegend({{ this._parent.get_name() }}, {{ this.data_js }}); }
        {% endmacro %}
        """
    )

    def __init__(self, sections: list[list]):
        super().__init__()
        self._name = "Legend"
        self.sections = sections
        self.data_js = js_value(sections)


def add_map_css(m) -> None:
    m.get_root().header.add_child(Element(MAP_CSS), name="frontera_css")
