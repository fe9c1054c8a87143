"""What leaves Frontera: the records a view shows, in the documented export contract.

Every exported feature carries ``layer``, ``id``, ``title``, ``date_start``,
``date_end``, ``date_precision``, ``geo_precision``, ``source_ids`` and
``source_urls``, and where they apply ``people``, ``fatalities``, ``injured``,
``status``, ``origin`` and ``destination`` (place names). See README, "Export
contract". Pure: these functions build bytes; ``store`` writes them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from frontera.csv_formulas import neutralise
from frontera.filters import visible_records
from frontera.model.layers import STATIC_LAYERS
from frontera.model.layers import layer as layer_spec
from frontera.model.records import DESCRIPTIVE_COLUMNS, IDENTITY_COLUMNS, split_ids
from frontera.model.view import View
from frontera.storage.geopackage import CRS, Situation

#: The export contract, in column order.
CONTRACT_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "source_urls",
    "people",
    "fatalities",
    "injured",
    "status",
    "origin",
    "destination",
)
#: Extra columns exported after the contract (may grow; scripts should not rely on their order).
EXTRA_COLUMNS: tuple[str, ...] = (*DESCRIPTIVE_COLUMNS, "origin_ids", "destination_id", "dataset")


def _place_names(ids: object, names: dict[str, str]) -> str:
    return "; ".join(names.get(i, i) for i in split_ids(ids))


def _source_urls(ids: object, urls: dict[str, str]) -> str:
    return " ".join(urls[i] for i in split_ids(ids) if i in urls)


def _static_layer(situation: Situation, layer: str) -> gpd.GeoDataFrame:
    src = getattr(situation, layer_spec(layer).frame)  # the registry names the situation's frame
    out = gpd.GeoDataFrame(geometry=src.geometry.values, crs=CRS)
    out["layer"] = layer
    out["id"] = src["id"].astype(str).values
    out["title"] = src["name"].astype(str).values
    out["geo_precision"] = src["geo_precision"].values if "geo_precision" in src else "town"
    out["source_ids"] = src["source_ids"].values
    for extra in ("kind", "note", "role", "country", "admin1", "mx_town", "gt_side"):
        if extra in src:
            out[extra] = src[extra].values
    return out


def export_frame(situation: Situation, view: View) -> gpd.GeoDataFrame:
    """One GeoDataFrame of everything the view shows, in the export contract."""
    names = situation.place_names()
    urls = dict(zip(situation.sources["source_id"], situation.sources["url"]))
    frames = []
    for recs in visible_records(situation, view).values():
        if not len(recs):
            continue
        f = recs.copy()
        f["origin"] = [_place_names(v, names) for v in f["origin_ids"]]
        f["destination"] = [_place_names(v, names) for v in f["destination_id"]]
        frames.append(f)
    for layer in STATIC_LAYERS:
        if layer in view.layers:
            frames.append(_static_layer(situation, layer))
    if not frames:
        out = gpd.GeoDataFrame({c: [] for c in CONTRACT_COLUMNS}, geometry=gpd.GeoSeries([], crs=CRS))
    else:
        out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)
    out["source_urls"] = [_source_urls(v, urls) for v in out.get("source_ids", pd.Series(dtype=object))]
    for col in (*CONTRACT_COLUMNS, *EXTRA_COLUMNS):
        if col not in out:
            out[col] = None
    for col in ("date_start", "date_end"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d").where(out[col].notna(), None)
    rest = [c for c in out.columns if c not in CONTRACT_COLUMNS and c not in EXTRA_COLUMNS and c != "geometry"]
    return out[[*CONTRACT_COLUMNS, *EXTRA_COLUMNS, *rest, "geometry"]]


def to_geojson(frame: gpd.GeoDataFrame) -> str:
    """RFC 7946 FeatureCollection text."""
    return frame.to_json(na="null", show_bbox=False, drop_id=True, ensure_ascii=False)


#: HXL hashtags for the export's columns (``to_csv(frame, hxl=True)``); others get ``#meta+<name>``.
HXL_TAGS: dict[str, str] = {
    "layer": "#meta+layer",
    "id": "#id",
    "title": "#description+title",
    "date_start": "#date+start",
    "date_end": "#date+end",
    "date_precision": "#meta+date_precision",
    "geo_precision": "#geo+precision",
    "source_ids": "#meta+source",
    "source_urls": "#meta+url",
    "people": "#affected+displaced",
    "fatalities": "#affected+killed",
    "injured": "#affected+injured",
    "status": "#status",
    "origin": "#adm2+name+origin",
    "destination": "#adm2+name+dest",
    "origin_ids": "#adm2+code+origin",
    "destination_id": "#adm2+code+dest",
    "kind": "#event+type",
    "actors": "#org+name",
    "summary": "#description",
    "lon": "#geo+lon",
    "lat": "#geo+lat",
    "geometry_wkt": "#geo+wkt",
}


def hxl_tag(column: str) -> str:
    return HXL_TAGS.get(column, "#meta+" + "".join(c if c.isalnum() else "_" for c in column.lower()))


def to_csv(frame: gpd.GeoDataFrame, hxl: bool = False) -> str:
    """CSV with the geometry as WKT in a ``geometry_wkt`` column and ``lon``/``lat`` of a representative point.

    Text cells that a spreadsheet would run as a formula (``= + - @``, also full-width and
    behind invisible characters) or that start with ``'`` or a control character get one
    leading ``'`` (:mod:`frontera.csv_formulas`; Frontera's importer takes exactly that one
    off again); with ``hxl=True`` an HXL hashtag row follows the header. Lines end in CRLF.
    """
    from frontera.analysis import representative_points  # noqa: PLC0415

    table = pd.DataFrame(frame.drop(columns="geometry"))
    for col in table.columns:
        if table[col].dtype == object or pd.api.types.is_string_dtype(table[col]):
            table[col] = table[col].map(neutralise)
    pts = representative_points(frame.geometry)
    table["lon"] = [round(p.x, 6) if p is not None else None for p in pts]
    table["lat"] = [round(p.y, 6) if p is not None else None for p in pts]
    table["geometry_wkt"] = [g.wkt if g is not None and not g.is_empty else "" for g in frame.geometry]
    if hxl:
        tags = pd.DataFrame([[hxl_tag(c) for c in table.columns]], columns=table.columns)
        table = pd.concat([tags, table.astype(object)], ignore_index=True)
    # CRLF (RFC 4180): Python's csv module quotes a cell holding a line-terminator character, and
    # with "\n" alone a bare "\r" went out unquoted: spreadsheets start a new row there, so a
    # value "x\r=cmd" put an unmarked formula at the start of a row.
    return table.to_csv(index=False, lineterminator="\r\n")


def to_gpkg_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """A GeoPackage (one table per layer, EPSG:4326) as bytes: opens in QGIS, imports back into Frontera."""
    from frontera.storage import geopackage as store  # noqa: PLC0415

    layers = list(dict.fromkeys(frame["layer"].astype(str))) if len(frame) else []
    if not layers:
        return store.gpkg_to_bytes({"records": frame.iloc[:0]})
    tables = {}
    for layer in layers:
        part = frame[frame["layer"].astype(str) == layer]
        part = part.dropna(axis=1, how="all").copy() if layer in STATIC_LAYERS else part.copy()
        for col in part.columns:
            if col != "geometry" and part[col].dtype == object:
                part[col] = part[col].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
        tables[layer] = gpd.GeoDataFrame(part, geometry="geometry", crs=CRS)
    return store.gpkg_to_bytes(tables)
