"""Displacement-flow tables: names and coordinates resolved on the map, HXL, rejections with reasons."""

import shapely
from import_helpers import by_id, fixture_bytes, plan_for, situation

from frontera.importers.flows import find_columns
from frontera.importers.sniff import read_table
from frontera.model.validate import check_records


def test_hxl_row_maps_columns_whatever_the_headers_say():
    table = read_table("flows_hxl.csv", fixture_bytes("flows_hxl.csv"))
    assert table.first_row == 3
    cols = find_columns(table)
    assert (cols["origin"], cols["destination"], cols["people"], cols["date_start"]) == (
        "lugar_origen",
        "lugar_destino",
        "personas",
        "desde",
    )


def test_flows_resolve_to_places_with_line_geometry():
    plan = plan_for("flows_hxl.csv")
    assert plan.rejected == []
    f1 = by_id(plan, "T1:1")
    assert (f1["origin_ids"], f1["destination_id"], f1["people"], f1["status"]) == (
        "amatenango",
        "cuilco",
        400,
        "displaced",
    )
    assert f1["date_precision"] == "range" and str(f1["date_end"].date()) == "2024-08-02"
    assert list(f1["geometry"].coords) == [(-92.11711, 15.43466), (-91.96667, 15.4)]
    back = by_id(plan, "T1:2")  # "Amatenango de la Frontera, Chiapas": the state narrows the name
    assert (back["origin_ids"], back["destination_id"], back["status"]) == ("cuilco", "amatenango", "returned")
    assert by_id(plan, "T1:3")["people"] == 4187  # "4,187"
    assert check_records(plan.records, file="flows.csv").problems == []  # every kept record obeys every rule


def test_gazetteer_towns_get_geonames_ids():
    text = "origin,destination,people,date,source\nMotozintla,Cuilco,12,2024-07-20,field report\n"
    rec = plan_for("towns.csv", text.encode()).records.iloc[0]
    assert rec["origin_ids"] == "geonames:3522926" and rec["destination_id"] == "cuilco"
    assert "Motozintla — Chiapas" in rec["place_note"] and rec["source_ids"] == "field report"


def test_state_narrows_a_name_that_two_towns_share():
    text = "origin,destination,people,date,source\nComalapa,Cuilco,1,2024-07-20,x\nComalapa, Chiapas,Cuilco,1,2024-07-20,x\n"
    text = text.replace("Comalapa, Chiapas", '"Comalapa, Chiapas"')
    plan = plan_for("twins.csv", text.encode())
    (p,) = plan.rejected
    assert p.row == 2 and "several have that name: Comalapa — Guatemala / Comalapa — Chiapas" in p.expected
    assert plan.records.iloc[0]["origin_ids"] == "geonames:3527542"


def test_ambiguous_and_unknown_names_list_candidates_never_guess():
    plan = plan_for("flows_bad.csv")
    msgs = {p.row: str(p) for p in plan.rejected}
    assert msgs[2].startswith("flows_bad.csv row 2, field 'origin': got 'Amatenango', expected a place on the map")
    assert "Amatenango de la Frontera — Chiapas" in msgs[2] and "Amatenango del Valle — Chiapas" in msgs[2]
    assert "got 'Atlantis'" in msgs[7] and "no place has that name" in msgs[7]
    assert len(plan.records) == 0


def test_bad_rows_each_get_a_reason():
    msgs = {p.row: str(p) for p in plan_for("flows_bad.csv").rejected}
    assert msgs[3] == "flows_bad.csv row 3, field 'people': got '-4', expected a whole number >= 0"
    assert msgs[4] == "flows_bad.csv row 4, field 'people': got 'many', expected a whole number >= 0"
    assert "field 'date_start': got '2024-13-45'" in msgs[5]
    assert msgs[6] == (
        "flows_bad.csv row 6, field 'date_end': got '2024-07-23', "
        "expected a date on or after date_start 2024-08-02; swap them or fix one"
    )
    assert "expected a unique id (row 7 has it too)" in msgs[8]
    assert "a destination different from the origin" in msgs[9]
    assert "field 'source': got ''" in msgs[10]


def test_coordinates_latin1_and_semicolons():
    plan = plan_for("flows_latin1_semicolon.csv")
    assert plan.rejected == []
    rec = by_id(plan, "T1:a")
    assert (rec["origin_ids"], rec["destination_id"], rec["people"]) == ("amatenango", "cuilco", 207)
    assert rec["summary"] == "Familias en Cuilco, según la Cancillería"
    assert any("Windows-1252" in n for n in plan.parsed.notes) and any("';'" in n for n in plan.parsed.notes)


def test_coordinates_far_from_any_place_are_rejected():
    text = "origin_lat,origin_lon,destination_lat,destination_lon,people,date,source\n15.0,-91.5,15.4,-91.96667,3,2024-07-01,x\n"
    (p,) = plan_for("far.csv", text.encode()).rejected
    assert p.field == "origin_lat/origin_lon" and "within 5 km of a place on the map (nearest:" in p.expected


def test_utf8_bom_header_is_read():
    plan = plan_for("flows_utf8_bom.csv")
    assert plan.rejected == [] and plan.records.iloc[0]["destination_id"] == "yajalon"


def test_several_origins_draw_a_multiline():
    text = "origin,destination,people,date,source\nAmatenango de la Frontera; Mazapa de Madero,Cuilco,600,2024-07-16,mega-2024-07\n"
    rec = plan_for("f2.csv", text.encode()).records.iloc[0]
    assert rec["origin_ids"] == "amatenango; mazapa" and isinstance(rec["geometry"], shapely.MultiLineString)


def test_flow_from_frontera_comalapa_to_la_mesilla_imports():
    """Names analysts use: GeoNames' other name of Comalapa, and the Guatemalan town at a crossing."""
    text = "origin,destination,people,date,source\nFrontera Comalapa,La Mesilla,35,2024-07-25,field report\n"
    plan = plan_for("comalapa.csv", text.encode())
    assert plan.rejected == []
    rec = plan.records.iloc[0]
    assert (rec["origin_ids"], rec["destination_id"]) == ("geonames:3527542", "border:cuauhtemoc-la-mesilla")
    assert "Frontera Comalapa (Comalapa) — Chiapas, México" in rec["place_note"]
    assert "La Mesilla — Huehuetenango, Guatemala" in rec["place_note"]
    crossing = situation().crossings.set_index("id").loc["cuauhtemoc-la-mesilla", "geometry"]
    assert list(rec["geometry"].coords)[-1] == (crossing.x, crossing.y)
    assert situation().place_names()["border:cuauhtemoc-la-mesilla"] == "La Mesilla"


def test_other_names_resolve_only_when_they_name_one_place_and_never_a_country():
    import geopandas as gpd
    from shapely.geometry import Point

    from frontera.importers.places import PlaceResolver

    towns = gpd.GeoDataFrame(
        {
            "geonameid": [1, 2, 3],
            "name": ["Guatemala City", "Comalapa", "Amatenango del Valle"],
            "country": ["GT", "MX", "MX"],
            "population": [900000, 18000, 4600],
            "alt_names": ["Ciudad de Guatemala; Guatemala", "Frontera Comalapa", "Amatenango"],
        },
        geometry=[Point(-90.51, 14.64), Point(-92.14, 15.66), Point(-92.43, 16.53)],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {"id": ["amatenango"], "name": ["Amatenango de la Frontera"], "country": ["MX"], "admin1": ["Chiapas"]},
        geometry=[Point(-92.117, 15.435)],
        crs="EPSG:4326",
    )
    resolver = PlaceResolver(places, towns)
    assert resolver.by_name("Ciudad de Guatemala").id == "geonames:1"
    assert resolver.by_name("frontera comalapa").id == "geonames:2"
    assert isinstance(resolver.by_name("Guatemala"), str)  # a country, not its capital
    assert "Amatenango de la Frontera" in resolver.by_name("Amatenango")  # a short form of two places: ask
