"""The legend (a Leaflet control listing exactly what the map draws) and the map's own style sheet."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from frontera.features.style import (
    BORDER_COLOUR,
    CROSSING_INFORMAL_COLOUR,
    CROSSING_OFFICIAL_COLOUR,
    event_radius,
    flow_weight,
)
from frontera.i18n import _, format_number
from frontera.layers.literal import js_value
from frontera.layers.points import all_points
from frontera.model.layers import REGISTRY, Layer
from frontera.model.records import DEFAULT_UNCERTAINTY_KM
from frontera.popups import vocabulary

MAP_CSS = """
<style>
/* In the app's frame the map is as tall as the frame, whose height the page sets from the window. */
#map_div { height: 100vh !important; }
@media (max-width: 520px) { .leaflet-control-attribution { font-size: 9px; line-height: 1.25; }
  .frontera-label-key { font-size: 11px !important; } }
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
    # Counted per distinct value (pd.factorize keeps first-seen order): 125,000 events in milliseconds.
    codes, uniques = pd.factorize(values)
    per_value = np.bincount(codes[codes >= 0], minlength=len(uniques))
    counts: dict[str, int] = {}
    for v, n in zip(uniques, per_value.tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "":
            continue
        counts[str(v)] = counts.get(str(v), 0) + n
    return sorted(counts, key=lambda k: -counts[k])


def _vocab(value: str) -> str:
    """A status or kind as the legend names it: the session's language for Frontera's own values."""
    return str(vocabulary(value))


def _drawn(gdf: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if gdf is None or not len(gdf):
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    if all_points(gdf):  # every record a point (coordinates read once per frame): none missing or empty
        return gdf
    drawn = (gdf.geometry.notna() & ~gdf.geometry.is_empty).to_numpy()
    return gdf if drawn.all() else gdf[drawn]  # no copy of every record when all are drawn


def flow_rows(flows: gpd.GeoDataFrame, spec: Layer) -> list[Row]:
    rows = [["line", spec.colour_of(s), 4, _vocab(s)] for s in _present(flows["status"])]
    rows += [["line", "#6b7280", flow_weight(n), _("{n} people").format(n=format_number(n))] for n in (60, 600, 4000)]
    if "disagrees_with" in flows and flows["disagrees_with"].fillna("").astype(str).str.strip().ne("").any():
        rows.append(["dashed", "#6b7280", 3, _("second report of the same movement (not added up)")])
    return rows


def event_rows(events: gpd.GeoDataFrame, spec: Layer) -> list[Row]:
    kinds = _present(events["kind"]) if "kind" in events else []
    rows = [["dot", spec.colour_of(k), 12, _vocab(k)] for k in kinds[:MAX_KINDS]]
    if len(kinds) > MAX_KINDS:
        rows.append(
            ["dot", spec.fallback_colour, 12, _("{n} other kinds").format(n=format_number(len(kinds) - MAX_KINDS))]
        )
    rows += [["dot", "#9ca3af", event_radius(n) * 2, _("{n} killed").format(n=format_number(n))] for n in (0, 10)]
    if "fatalities" in events and events["fatalities"].isna().any():
        rows.append(["hollow", "#6b7280", 12, _("fatalities not reported")])
    uncertain = events["uncertainty_km"].fillna(0).gt(0).any() if "uncertainty_km" in events else False
    if uncertain or ("geo_precision" in events and events["geo_precision"].isin(list(DEFAULT_UNCERTAINTY_KM)).any()):
        rows.append(["ring", "#6b7280", 18, _("place uncertain: anywhere in the ring")])
    return rows


def operation_rows(ops: gpd.GeoDataFrame, spec: Layer) -> list[Row]:
    areas = ops[ops.geom_type.isin(["Polygon", "MultiPolygon"])]
    points = ops[~ops.geom_type.isin(["Polygon", "MultiPolygon"])]
    rows = [["area", spec.colour_of(s), 0, _vocab(s)] for s in _present(areas["status"])]
    if len(areas) and "geo_precision" in areas and areas["geo_precision"].eq("illustrative").any():
        rows.append(["area-dashed", "#6b7280", 0, _("illustrative extent (not published)")])
    rows += [
        ["diamond", spec.colour_of(s), 10, _("{status} (at a place, no area)").format(status=_vocab(s))]
        for s in _present(points["status"])
    ]
    return rows


def crossing_rows(kinds: tuple[str, ...]) -> list[Row]:
    rows = [["official", CROSSING_OFFICIAL_COLOUR, 10, _("official crossing")]] if "official" in kinds else []
    if "informal" in kinds:
        rows.append(["informal", CROSSING_INFORMAL_COLOUR, 12, _("informal crossing (approximate)")])
    return rows


#: Legend rows builder (:attr:`frontera.model.layers.LegendEntry.rows`) of the records a section draws.
DATED_ROWS: dict[str, Callable[[gpd.GeoDataFrame, Layer], list[Row]]] = {
    "arrows": flow_rows,
    "circles": event_rows,
    "areas": operation_rows,
}
#: Legend rows of an undated layer, given the crossing kinds present.
STATIC_ROWS: dict[str, Callable[[tuple[str, ...]], list[Row]]] = {
    "crossing_marks": crossing_rows,
    "dots": lambda kinds: [["place", "#111827", 9, _("place in the reports")]],
    "line": lambda kinds: [["line", BORDER_COLOUR, 3, _("Mexico–Guatemala border (OpenStreetMap)")]],
}


def _section_rows(members: list[Layer], visible: Mapping[str, gpd.GeoDataFrame], kinds: tuple[str, ...]) -> list[Row]:
    """The rows of one legend section: its dated layers' drawn records, then its undated layers' rows."""
    rows: list[Row] = []
    dated = [spec for spec in members if spec.dated]
    if dated:
        drawn = pd.concat([_drawn(visible.get(spec.name)) for spec in dated])
        rows += DATED_ROWS[dated[0].legend.rows](drawn, dated[0]) if len(drawn) else []
    for spec in members:
        rows += [] if spec.dated else STATIC_ROWS[spec.legend.rows](kinds)
    return rows


def legend_sections(
    layers: tuple[str, ...],
    visible: Mapping[str, gpd.GeoDataFrame],
    crossing_kinds: tuple[str, ...] = ("official", "informal"),
) -> list[list]:
    """What the map draws for ``layers``, as ``[title, rows]`` sections (rows: :data:`Row`).

    ``visible`` holds the time-bound records drawn (:func:`frontera.filters.visible_records`);
    only the statuses and kinds present are listed, imported ones included. Each layer's section
    and its place in the legend come from the registry (:mod:`frontera.model.layers`).
    """
    sections: dict[str, list[Layer]] = {}
    for spec in sorted((s for s in REGISTRY if s.name in layers), key=lambda s: s.legend.rank):
        sections.setdefault(spec.legend.section, []).append(spec)
    out = []
    for title, members in sections.items():
        rows = _section_rows(members, visible, crossing_kinds)
        if rows:
            out.append([_(title), rows])
    return out


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
