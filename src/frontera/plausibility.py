"""Is everything where its town is? The checks ``make geodata`` runs on the bundled geography.

Pure: GeoDataFrames (EPSG:4326) in, a list of problems out; each problem names the
file, the row, the field, the value and the fix. The build stops on any problem,
and ``tests/test_bundled_data.py`` runs the same checks on the committed files.

They catch the mistake a name lookup makes silently: a town of the same name
elsewhere (the Unión Juárez near Tenosique instead of the one by the Tacaná volcano,
Amatenango del Valle instead of Amatenango de la Frontera).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.ops import nearest_points

from frontera.analysis import distance_to_border_km
from frontera.gazetteer import fold

GEOD = Geod(ellps="WGS84")
#: A crossing lies on the border line and at its reference point, to this many km.
CROSSING_MAX_KM = 2.0
#: An official crossing's Mexican town faces the other side: at most this far from the line.
CROSSING_TOWN_MAX_KM = 5.0
#: A record's point may lie its ``uncertainty_km`` plus this margin from the place it names.
RECORD_MARGIN_KM = 2.0
#: A place lies inside its state or department, to this many km (the outlines are simplified).
PLACE_ADMIN_MARGIN_KM = 2.0


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid.

    >>> round(geodesic_km(15.0, -92.0, 16.0, -92.0), 1)
    110.7
    """
    return abs(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


def check_crossings(
    crossings: gpd.GeoDataFrame,
    border: shapely.Geometry,
    reference: Mapping[str, tuple[float, float]],
    file: str = "crossings.geojson",
) -> list[str]:
    """Each crossing within :data:`CROSSING_MAX_KM` of the border line; official ones also of their
    ``reference`` point ``{id: (lat, lon)}`` and with their town within :data:`CROSSING_TOWN_MAX_KM`."""
    problems = []
    line_km = distance_to_border_km(crossings.geometry, border)
    for row, (rec, to_line) in enumerate(zip(crossings.itertuples(), line_km), start=1):
        where = f"{file} row {row} ({rec.id})"
        lat, lon = rec.geometry.y, rec.geometry.x
        if not to_line <= CROSSING_MAX_KM:
            problems.append(
                f"{where}, field 'geometry': got ({lat:.5f}, {lon:.5f}), {to_line:.1f} km from the "
                f"border line; expected at most {CROSSING_MAX_KM} km: place it on the line"
            )
        if rec.kind != "official":
            continue
        if rec.id not in reference:
            problems.append(
                f"{where}, field 'id': got {rec.id!r}, which has no reference point; "
                "add its position to the crossings reference"
            )
            continue
        ref_lat, ref_lon = reference[rec.id]
        off = geodesic_km(lat, lon, ref_lat, ref_lon)
        if off > CROSSING_MAX_KM:
            problems.append(
                f"{where}, field 'geometry': got ({lat:.5f}, {lon:.5f}), {off:.1f} km from its reference "
                f"point ({ref_lat:.5f}, {ref_lon:.5f}); expected at most {CROSSING_MAX_KM} km: "
                "was a town of the same name elsewhere picked?"
            )
        town_km = getattr(rec, "town_to_line_km", None)
        if town_km is not None and not np.isnan(town_km) and town_km > CROSSING_TOWN_MAX_KM:
            problems.append(
                f"{where}, field 'town_to_line_km': got {town_km}, expected at most "
                f"{CROSSING_TOWN_MAX_KM} km: the Mexican town of a crossing lies at the border; "
                "pin the town by its GeoNames id"
            )
    return problems


def check_places(places: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, file: str = "places.geojson") -> list[str]:
    """Each place inside (or within :data:`PLACE_ADMIN_MARGIN_KM` of) the state it names."""
    problems = []
    shapes = dict(zip(admin1["name"], admin1.geometry))
    for row, rec in enumerate(places.itertuples(), start=1):
        where = f"{file} row {row} ({rec.id})"
        area = shapes.get(rec.admin1)
        if area is None:
            problems.append(f"{where}, field 'admin1': got {rec.admin1!r}, expected one of {sorted(shapes)}")
            continue
        if area.contains(rec.geometry):
            continue
        edge = nearest_points(area.boundary, rec.geometry)[0]
        off = geodesic_km(rec.geometry.y, rec.geometry.x, edge.y, edge.x)
        if off > PLACE_ADMIN_MARGIN_KM:
            problems.append(
                f"{where}, field 'geometry': got ({rec.geometry.y:.5f}, {rec.geometry.x:.5f}), "
                f"{off:.0f} km outside {rec.admin1}; expected inside it: was a town of the same "
                "name in another state picked?"
            )
    return problems


def _named_places(rec, places: gpd.GeoDataFrame) -> list:
    """The places whose name a record's title or place note contains (flows: their origins and destination)."""
    ids = [i.strip() for i in f"{rec.get('origin_ids') or ''};{rec.get('destination_id') or ''}".split(";")]
    by_id = places.set_index("id")
    named = [by_id.loc[i] for i in ids if i and i in by_id.index]
    if named:
        return named
    text = fold(f"{rec.get('title') or ''} {rec.get('place_note') or ''}")
    return [p for _, p in by_id.iterrows() if fold(p["name"]) in text]


def check_records(records: gpd.GeoDataFrame, places: gpd.GeoDataFrame, file: str) -> list[str]:
    """Each point record within its uncertainty plus :data:`RECORD_MARGIN_KM` of a place it names;
    each flow's ends at its origin and destination places."""
    problems = []
    for row, (_, rec) in enumerate(records.iterrows(), start=1):
        geom = rec.geometry
        if (
            not isinstance(geom, shapely.Geometry)
            or geom.is_empty
            or geom.geom_type not in ("Point", "LineString", "MultiLineString")
        ):
            continue
        named = _named_places(rec, places)
        if not named:
            continue
        reach = float(rec.get("uncertainty_km") or 0.0) + RECORD_MARGIN_KM
        ends = [shapely.Point(c) for c in shapely.get_coordinates(geom)]
        for end in ends:
            near = min(geodesic_km(end.y, end.x, p.geometry.y, p.geometry.x) for p in named)
            if near > reach:
                names = ", ".join(str(p["name"]) for p in named)
                problems.append(
                    f"{file} row {row} ({rec['id']}), field 'geometry': got a point at "
                    f"({end.y:.5f}, {end.x:.5f}), {near:.0f} km from {names}; expected within "
                    f"{reach:g} km (uncertainty_km + {RECORD_MARGIN_KM:g}): move it to the place "
                    "it names or widen its uncertainty"
                )
    return problems
