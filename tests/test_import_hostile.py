"""Hostile content (issue 8): mixed encodings, ids of bundled records, geometries a layer cannot draw,
NaN coordinates, FIFOs, CRSs that are not on the earth. Each is refused with the file, row, field,
value and fix; never a traceback, never a silent conversion."""

import json
import os
import subprocess

import geopandas as gpd
import pytest
import shapely
from cli_run import frontera
from import_helpers import situation

from frontera.importers import bundled_record_ids, limits, parse_file
from frontera.model.records import LAYER_GEOMETRY_TYPES
from frontera.storage import geopackage as store

FLOWS = "origin,destination,people,date,source\n"


def parse(name: str, data: bytes):
    s = situation()
    return parse_file(name, data, import_id="H", places=s.places, towns=s.towns, admin1=s.admin1)


def messages(parsed) -> list[str]:
    return [str(p) for p in parsed.rejected]


# --- encodings ---------------------------------------------------------------------------------------


def test_one_stray_latin1_byte_in_utf8_is_refused_with_row_and_offset():
    head = (FLOWS + "Tila,Yajalón,3,2024-06-04,Cártel\n").encode("utf-8")
    stray = b"Tila,Yajal\xf3n,4,2024-06-05,x\n"
    parsed = parse("mixed.csv", head + stray + "Tila,Yajalón,5,2024-06-06,y\n".encode())
    assert parsed.kind == "unreadable file" and len(parsed.records) == 0
    offset = len(head) + len(b"Tila,Yajal")
    assert messages(parsed) == [
        f"mixed.csv row 3, field '(encoding)': got \"byte 0xF3 at byte offset {offset:,} (in 'Tila,Yajal\ufffdn,4,"
        "2024-06-05,x')\", expected UTF-8 throughout: the rest of the file is UTF-8 but this byte is not "
        "(Latin-1/Windows-1252?); correct that character, or open the file in a spreadsheet and save it again "
        "as 'CSV UTF-8'"
    ]


def test_stray_byte_before_any_utf8_letter_is_still_mixed():
    data = (FLOWS + "Tila,Yajal\xf3n,4,2024-06-05,x\n").encode("latin-1") + "Tila,Yajalón,5,2024-06-06,y\n".encode()
    assert messages(parse("mixed2.csv", data))[0].startswith("mixed2.csv row 2, field '(encoding)': got \"byte 0xF3")


def test_whole_latin1_file_is_read_with_a_note_and_bom_is_read():
    parsed = parse("latin.csv", (FLOWS + "Tila,Yajalón,3,2024-06-04,Cártel\n").encode("cp1252"))
    assert parsed.rejected == [] and "latin.csv: read as Windows-1252 (not UTF-8)" in parsed.notes
    assert parsed.records.iloc[0]["source_ids"] == "Cártel"
    parsed = parse("bom.csv", b"\xef\xbb\xbf" + (FLOWS + "Tila,Yajalón,3,2024-06-04,Cártel\n").encode())
    assert parsed.rejected == [] and parsed.records.iloc[0]["source_ids"] == "Cártel" and not parsed.notes[:-1]


def test_mixed_encoding_in_geojson():
    doc = '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"title": "Cártel'
    data = doc.encode() + b' \xe9"}, "geometry": null}]}'
    (problem,) = parse("m.geojson", data).rejected
    assert (problem.row, problem.field) == (1, "(encoding)") and problem.value.startswith("byte 0xE9 at byte offset 96")


# --- ids of bundled records ------------------------------------------------------------------------


def test_bundled_ids_are_read_from_the_bundled_files():
    expected = set()
    for layer in ("flows", "clashes", "incidents", "operations"):
        doc = json.loads((store.geodata_dir() / f"{layer}.geojson").read_text())
        expected |= {f["properties"]["id"] for f in doc["features"]}
    assert bundled_record_ids() == expected and {"C1", "F1", "O2"} <= expected


def test_acled_ids_equal_to_bundled_ids_are_refused():
    ids = sorted(bundled_record_ids())[:3]
    rows = "".join(f"{i},2024-06-04,Battles,15.43,-92.11\n" for i in [*ids, "MEX1"])
    parsed = parse("acled.csv", ("event_id_cnty,event_date,event_type,latitude,longitude\n" + rows).encode())
    assert list(parsed.records["id"]) == ["MEX1"]
    assert [(p.row, p.field, p.value) for p in parsed.rejected] == [
        (n + 2, "event_id_cnty", i) for n, i in enumerate(ids)
    ]
    assert "not the id of one of Frontera's bundled records" in parsed.rejected[0].expected


def test_no_import_format_keeps_a_bundled_id():
    bundled = bundled_record_ids()
    flow_table = (FLOWS.replace("origin", "id,origin") + "F1,Tila,Yajalón,3,2024-06-04,x\n").encode()
    native_csv = (
        b"layer,id,title,date_start,date_precision,geo_precision,source_ids,lat,lon\n"
        b"clashes,C1,Mine,2024-07-01,day,town,me,15.43,-92.11\n"
    )
    for name, data in (("flows.csv", flow_table), ("native.csv", native_csv)):
        parsed = parse(name, data)
        assert len(parsed.records) == 1, messages(parsed)
        assert not set(parsed.records["id"]) & bundled, (name, list(parsed.records["id"]))


# --- geometry types per layer, NaN coordinates ----------------------------------------------------


def feature(layer: str, rid: str, geometry: dict | None) -> dict:
    props = {
        "layer": layer,
        "id": rid,
        "title": "t",
        "date_start": "2024-07-01",
        "date_precision": "day",
        "geo_precision": "town",
        "source_ids": "me",
        "dataset": "mine",
    }
    if layer == "flows":
        props.update(status="displaced", origin_ids="tila", destination_id="yajalon")
    if layer == "operations":
        props.update(status="agreed")
    return {"type": "Feature", "properties": props, "geometry": geometry}


SQUARE = {"type": "Polygon", "coordinates": [[[-92.2, 15.3], [-92.0, 15.3], [-92.0, 15.5], [-92.2, 15.3]]]}
LINE = {"type": "LineString", "coordinates": [[-92.2, 15.3], [-92.0, 15.5]]}
POINT = {"type": "Point", "coordinates": [-92.1, 15.4]}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_geometry_types_are_checked_per_layer_in_geojson():
    data = geojson(
        feature("flows", "a", SQUARE),
        feature("flows", "b", {"type": "GeometryCollection", "geometries": [LINE]}),
        feature("flows", "c", LINE),
        feature("clashes", "d", LINE),
        feature("operations", "e", SQUARE),
        feature("clashes", "f", POINT),
        feature("operations", "g", POINT),
    )
    parsed = parse("g.geojson", data)
    assert sorted(parsed.records["id"]) == ["c", "e", "f", "g"]
    got = {(p.row, p.field): (p.value, p.expected) for p in parsed.rejected}
    assert set(got) == {(1, "geometry"), (2, "geometry"), (4, "geometry")}
    assert got[(1, "geometry")][0].startswith("POLYGON ((-92.2 15.3")
    assert got[(1, "geometry")][1].startswith("a LineString or MultiLineString for the layer 'flows'")
    assert got[(2, "geometry")][0].startswith("GEOMETRYCOLLECTION (LINESTRING")
    assert got[(4, "geometry")][1].startswith("a Point for the layer 'clashes'")
    for layer, recs in parsed.records.groupby("layer"):
        assert set(recs.geometry.geom_type) <= set(LAYER_GEOMETRY_TYPES[layer])


def test_geometry_types_in_native_csv_and_geopackage(tmp_path):
    csv = (
        b"layer,id,title,date_start,date_precision,geo_precision,source_ids,status,origin_ids,destination_id,"
        b"geometry_wkt\nflows,F9,t,2024-07-01,day,town,me,displaced,tila,yajalon,"
        b'"POLYGON ((-92.2 15.3, -92 15.3, -92 15.5, -92.2 15.3))"\n'
    )
    (problem,) = parse("n.csv", csv).rejected
    assert (problem.row, problem.field) == (2, "geometry") and "LineString or MultiLineString" in problem.expected
    frame = gpd.GeoDataFrame(
        [feature("flows", "p", None)["properties"]], geometry=[shapely.geometry.shape(SQUARE)], crs="EPSG:4326"
    )
    path = tmp_path / "flows.gpkg"
    frame.to_file(path, layer="flows", driver="GPKG")
    (problem,) = parse("flows.gpkg", path.read_bytes()).rejected
    assert (problem.row, problem.field) == (1, "geometry") and problem.value.startswith("POLYGON")


def test_nan_coordinates_are_not_called_self_intersections():
    text = geojson(
        feature("clashes", "a", {"type": "Point", "coordinates": [float("nan"), float("nan")]}),
        feature("flows", "b", {"type": "LineString", "coordinates": [[-92.2, 15.3], [float("nan"), 15.5]]}),
    )
    parsed = parse("nan.geojson", text)
    assert len(parsed.records) == 0 and len(parsed.rejected) == 2
    for p in parsed.rejected:
        assert p.field == "geometry" and "NaN or infinite coordinates" in p.expected, str(p)
        assert "self-intersection" not in str(p)
    csv = (
        b"layer,id,title,date_start,date_precision,geo_precision,source_ids,geometry_wkt\n"
        b"clashes,N1,t,2024-07-01,day,town,me,POINT (nan nan)\n"
    )
    (problem,) = parse("nan.csv", csv).rejected
    assert problem.row == 2 and problem.value == "POINT (NaN NaN)" and "NaN or infinite" in problem.expected


# --- the CLI: FIFOs, folders, CRSs that are not on the earth ---------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return frontera(*args, timeout=60)


def test_fifo_and_folder_are_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = run_cli("import", str(fifo), "--dry-run")  # nothing ever writes to the pipe: a read would hang
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{fifo}: is a named pipe (FIFO), not a file; save the data into a file" in proc.stderr
    proc = run_cli("import", str(tmp_path), "--dry-run")
    assert proc.returncode == 2 and f"{tmp_path}: is a folder, not a file" in proc.stderr


def test_engineering_crs_names_the_crs_and_the_fix(tmp_path):
    wkt = (
        'ENGCRS["Local site grid",EDATUM["Site"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],'
        'AXIS["y",north,LENGTHUNIT["metre",1]]]'
    )
    frame = gpd.GeoDataFrame([feature("clashes", "E1", None)["properties"]], geometry=[shapely.Point(10, 20)], crs=wkt)
    path = tmp_path / "site.gpkg"
    frame.to_file(path, layer="clashes", driver="GPKG")
    proc = run_cli("import", str(path), "--dry-run")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr + proc.stdout
    assert "please report" not in proc.stderr + proc.stdout
    assert (
        "site.gpkg, field '(crs of table clashes)': got 'Local site grid (an engineering/local CRS, not on the "
        "earth)', expected a table in a coordinate system with an EPSG code (EPSG:4326, WGS 84, is best); "
        "reproject it in QGIS"
    ) in proc.stdout


# --- limits of GeoJSON and GeoPackage (small files, limits lowered) --------------------------------


def test_geojson_and_geopackage_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    data = geojson(*[feature("clashes", f"c{i}", POINT) for i in range(4)])
    assert messages(parse("many.geojson", data)) == [
        "many.geojson, field 'features': got '4 features', expected at most 3 features; split the file into smaller files"
    ]
    frame = gpd.GeoDataFrame(
        [feature("clashes", f"c{i}", None)["properties"] for i in range(4)],
        geometry=[shapely.Point(-92.1, 15.4)] * 4,
        crs="EPSG:4326",
    )
    path = tmp_path / "many.gpkg"
    frame.to_file(path, layer="clashes", driver="GPKG")
    assert messages(parse("many.gpkg", path.read_bytes())) == [
        "many.gpkg, field '(table clashes)': got 'more than 3 features', expected at most 3 features and "
        f"{limits.MAX_CELLS:,} cells in all tables; split the file into smaller files"
    ]
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 10)
    assert "JSON values', expected at most 10 JSON values" in messages(parse("v.geojson", data))[0]


@pytest.mark.parametrize("name", ["damaged.gpkg"])
def test_damaged_geopackage(name):
    data = b"SQLite format 3\x00" + b"\x00" * 200
    (problem,) = parse(name, data).rejected
    assert (problem.file, problem.field) == (name, "(file)") and problem.value.startswith("a damaged GeoPackage (")
    assert "open it in QGIS and save it again" in problem.expected


def test_the_rules_know_what_each_layer_draws():
    from frontera.model.validate import check_records

    flows = situation().records["flows"].copy()
    flows.loc[0, "geometry"] = shapely.geometry.shape(SQUARE)
    (problem,) = check_records(flows, file="flows.geojson").problems
    assert (problem.row, problem.field) == (1, "geometry") and problem.value.startswith("POLYGON")
    assert problem.expected == "a LineString or MultiLineString for the layer 'flows' (it is drawn as one)"
    assert problem.fix == "convert or split the geometry, e.g. in QGIS"
