"""Click to details: the record a click picked, its spatial facts and its full text. Pure.

The page only shows what :func:`record_details` returns; the record's id comes from the map
through :func:`frontera.model.layers.record_id_from_tip`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from frontera import popups
from frontera.analysis import with_spatial_facts
from frontera.features.flows import flow_ends_text
from frontera.model.layers import BY_NAME, Layer
from frontera.model.situation import Situation


@dataclass(frozen=True)
class Found:
    """A record found by id: its layer, the record (one row) and its layer's records."""

    spec: Layer
    record: gpd.GeoDataFrame
    layer_records: gpd.GeoDataFrame


@dataclass(frozen=True)
class Details:
    """What the page shows under the map for a record: its id and layer, and its full text as HTML
    (built from escaped values only, :mod:`frontera.popups`)."""

    record_id: str
    layer: str
    html: str


def find_record(situation: Situation, record_id: str | None) -> Found | None:
    """The time-bound record with ``record_id`` (the first, in record order), or None."""
    if not record_id:
        return None
    for name, records in situation.records.items():
        hit = records[records["id"] == record_id]
        if len(hit):
            return Found(BY_NAME[name], hit.iloc[[0]], records)
    return None


def record_point(situation: Situation, record_id: str | None) -> tuple[float, float] | None:
    """Where the record is (lat, lon: a point on it), for the map to centre on; None without a place."""
    found = find_record(situation, record_id)
    geometry = found.record.geometry.iloc[0] if found else None
    if geometry is None or geometry.is_empty:
        return None
    point = geometry.representative_point()
    return point.y, point.x


def record_details(situation: Situation, record_id: str | None) -> Details | None:
    """The full record ``record_id``: its distance to the border and nearest crossing, a flow's ends, its
    sources; None when no record has that id."""
    found = find_record(situation, record_id)
    if found is None:
        return None
    rec = with_spatial_facts(found.record, situation.border_line, situation.crossings).iloc[0].to_dict()
    by_id = {r["id"]: r for r in found.layer_records.to_dict("records")}
    needs_ends = any(f.fmt == "ends" for f in found.spec.detail_fields)
    ends = flow_ends_text(found.record, situation).get(rec["id"], "") if needs_ends else ""
    ctx = popups.Context(situation.place_names(), by_id, ends)
    html = popups.popup_html(rec, situation.sources, ctx, spec=found.spec)
    return Details(str(rec["id"]), found.spec.name, html)
