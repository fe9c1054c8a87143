"""Spatial facts about records: geodesic distance to the border, nearest official crossing.

Pure functions on GeoDataFrames in EPSG:4326. The nearest point on the border is
found with shapely in a metric projection (UTM 15N covers the whole border); the
distance itself is geodesic (pyproj, WGS84 ellipsoid).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
METRIC_CRS = "EPSG:32615"


def representative_points(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """A point per geometry: itself for points, the destination end for flows, a point inside for areas."""
    out: list = []
    for g in geoms:
        if g is None or g.is_empty:
            out.append(None)
        elif g.geom_type == "Point":
            out.append(g)
        elif g.geom_type in ("LineString", "MultiLineString"):
            first = g.geoms[0] if g.geom_type == "MultiLineString" else g
            out.append(shapely.Point(first.coords[-1]))
        else:
            out.append(g.representative_point())
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs)


def distance_to_border_km(points: gpd.GeoSeries, border: shapely.Geometry) -> np.ndarray:
    """Geodesic distance in km from each point to the nearest point of ``border`` (NaN for empty)."""
    pts = points.to_crs(METRIC_CRS)
    border_m = gpd.GeoSeries([border], crs=points.crs).to_crs(METRIC_CRS).iloc[0]
    valid = ~(pts.isna() | pts.is_empty).to_numpy()
    out = np.full(len(points), np.nan)
    if not valid.any():
        return out
    shapely.prepare(border_m)
    nearest_m = shapely.shortest_line(pts.values[valid], border_m)
    ends = gpd.GeoSeries(shapely.get_point(nearest_m, -1), crs=METRIC_CRS).to_crs(points.crs)
    src = points.values[valid]
    _, _, metres = GEOD.inv(shapely.get_x(src), shapely.get_y(src), ends.x.to_numpy(), ends.y.to_numpy())
    out[valid] = np.asarray(metres) / 1000.0
    return out


def nearest_crossing(points: gpd.GeoSeries, crossings: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the name of the nearest official crossing and its geodesic distance in km."""
    official = crossings[crossings["kind"] == "official"]
    names = official["name"].to_numpy()
    cx = official.geometry.x.to_numpy()
    cy = official.geometry.y.to_numpy()
    n = len(points)
    valid = ~(points.isna() | points.is_empty).to_numpy()
    best_name = np.full(n, None, dtype=object)
    best_km = np.full(n, np.nan)
    if not valid.any() or len(names) == 0:
        return best_name, best_km
    px = shapely.get_x(points.values[valid])
    py = shapely.get_y(points.values[valid])
    dists = np.empty((len(px), len(names)))
    for j in range(len(names)):  # a handful of crossings; vectorised over the points
        _, _, m = GEOD.inv(px, py, np.full_like(px, cx[j]), np.full_like(py, cy[j]))
        dists[:, j] = m
    idx = dists.argmin(axis=1)
    best_name[valid] = names[idx]
    best_km[valid] = dists[np.arange(len(px)), idx] / 1000.0
    return best_name, best_km


def with_spatial_facts(
    records: gpd.GeoDataFrame, border: shapely.Geometry, crossings: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """``records`` with ``border_km``, ``nearest_crossing`` and ``nearest_crossing_km`` columns added."""
    out = records.copy()
    pts = representative_points(out.geometry)
    out["border_km"] = np.round(distance_to_border_km(pts, border), 2)
    name, km = nearest_crossing(pts, crossings)
    out["nearest_crossing"] = name
    out["nearest_crossing_km"] = np.round(km, 1)
    return out


def side_of_border(points: gpd.GeoSeries, countries: gpd.GeoDataFrame) -> np.ndarray:
    """ISO alpha-2 code of the country each point is in ("" when in none)."""
    joined = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points), countries[["iso_a2", "geometry"]], how="left", predicate="within"
    )
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["iso_a2"].fillna("").to_numpy()


def enrich(situation):
    """The situation with spatial facts (border distance, nearest crossing) on every time-bound record."""
    import dataclasses  # noqa: PLC0415

    records = {
        layer: with_spatial_facts(gdf, situation.border_line, situation.crossings)
        for layer, gdf in situation.records.items()
    }
    return dataclasses.replace(situation, records=records)
