"""The record rules (frontera/model/rules.py) and the one engine that checks them (frontera/model/validate.py)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from frontera.model.rules import RULE, RULES
from frontera.model.validate import check_records

CONTEXT = {"source_ids": {"s1", "s2"}, "place_ids": {"p1", "p2"}}
SQUARE = Polygon([(-92.2, 15.3), (-92.0, 15.3), (-92.0, 15.5), (-92.2, 15.5)])
BOWTIE = Polygon([(-92.2, 15.3), (-92.0, 15.5), (-92.0, 15.3), (-92.2, 15.5)])


def clean() -> gpd.GeoDataFrame:
    """A flow, a clash and an operation that obey every rule (cells as a file gives them: text)."""
    common = {"title": "t", "date_precision": "day", "geo_precision": "town", "source_ids": "s1"}
    rows = [
        {
            **common,
            "layer": "flows",
            "id": "F1",
            "date_start": "2024-07-01",
            "date_end": "2024-07-03",
            "people": "10",
            "status": "displaced",
            "origin_ids": "p1",
            "destination_id": "p2",
        },
        {
            **common,
            "layer": "clashes",
            "id": "C1",
            "date_start": "2024-07-02",
            "fatalities": "2",
            "injured": "1",
            "uncertainty_km": "2.5",
            "source_ids": "s1; s2",
        },
        {**common, "layer": "operations", "id": "O1", "date_start": "2024-07-05", "status": "agreed", "domain": "land"},
    ]
    frame = pd.DataFrame(rows, dtype=object)
    return gpd.GeoDataFrame(
        frame, geometry=[LineString([(-92.2, 15.3), (-92.0, 15.5)]), Point(-92.1, 15.4), SQUARE], crs="EPSG:4326"
    )


#: rule -> (row position, cells to change, how the bad value is quoted (a prefix for geometry text)).
CASES: dict[str, tuple[int, dict, object]] = {
    "geometry-present": (1, {"geometry": None}, "empty"),
    "geometry-finite": (1, {"geometry": Point(np.nan, np.nan)}, "POINT (NaN NaN)"),
    "geometry-type": (0, {"geometry": SQUARE}, "POLYGON ((-92.2 15.3, -92 15.3"),
    "geometry-valid": (2, {"geometry": BOWTIE}, "POLYGON ((-92.2 15.3, -92 15.5"),
    "region": (1, {"geometry": Point(2.35, 48.85)}, "(2.35, 48.85, 2.35, 48.85)"),
    "region-shown": (1, {"geometry": Point(-99.13, 19.43)}, "(-99.13, 19.43, -99.13, 19.43)"),
    "layer": (1, {"layer": "battles"}, "battles"),
    "id-required": (1, {"id": " "}, " "),
    "id-length": (1, {"id": "x" * 121}, "x" * 40 + "…"),
    "id-unique": (2, {"id": "F1"}, "F1"),
    "title-required": (0, {"title": ""}, ""),
    "title-length": (0, {"title": "y" * 301}, "y" * 40 + "…"),
    "date-precision": (1, {"date_precision": "often"}, "often"),
    "geo-precision": (1, {"geo_precision": "street"}, "street"),
    "sources-required": (1, {"source_ids": "  "}, ""),
    "sources-known": (1, {"source_ids": "s1; nobody-2024"}, "nobody-2024"),
    "date-start-required": (2, {"date_start": None}, ""),
    "date-start": (1, {"date_start": "2024-13-45"}, "2024-13-45"),
    "date-end": (0, {"date_end": "someday"}, "someday"),
    "date-order": (0, {"date_end": "2024-06-01"}, "2024-06-01"),
    "people-count": (0, {"people": "many"}, "many"),
    "fatalities-count": (1, {"fatalities": -1}, -1),
    "injured-count": (1, {"injured": "2.5"}, "2.5"),
    "uncertainty": (1, {"uncertainty_km": "600"}, "600"),
    "flow-status": (0, {"status": "fled"}, "fled"),
    "operation-status": (2, {"status": ""}, ""),
    "operation-domain": (2, {"domain": "sea"}, "sea"),
    "flow-ends": (0, {"destination_id": ""}, "p1 → "),
    "flow-ends-known": (0, {"origin_ids": "p1; atlantis"}, "atlantis"),
}
#: What a person reads where the rule's text names a fact of the row.
FILLED = {
    "id-unique": "a unique id (row 1 has it too)",
    "date-order": "a date on or after date_start 2024-07-01",
    "geometry-type": "a LineString or MultiLineString for the layer 'flows' (it is drawn as one)",
}


def test_every_rule_has_a_case_here():
    assert set(CASES) == {r.name for r in RULES}


def test_a_clean_frame_gives_no_problem():
    checked = check_records(clean(), file="t.geojson", context=CONTEXT)
    assert checked.problems == [] and checked.warnings == [] and not checked.bad.any()


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_fires_and_names_row_field_value_and_fix(name):
    rule = RULE[name]
    pos, cells, shown = CASES[name]
    frame = clean()
    for col, value in cells.items():
        frame.at[pos, col] = value
    checked = check_records(frame, file="t.geojson", context=CONTEXT)
    found, other = (checked.warnings, checked.problems) if rule.warn else (checked.problems, checked.warnings)
    assert other == []
    (p,) = found
    assert (p.file, p.row, p.field) == ("t.geojson", pos + 1, rule.field)
    if rule.show in ("wkt", "bounds"):
        assert str(p.value).startswith(str(shown)), p.value
    else:
        assert p.value == shown
    assert (
        p.expected == (FILLED[name] if name in FILLED else rule.expected.format(**dict(rule.given)))
        and "{" not in p.expected
    )
    assert p.fix == rule.fix
    text = str(p)
    assert text.startswith(f"t.geojson row {pos + 1}, field '{rule.field}': got ")
    assert text.endswith(f"expected {p.expected}" + (f"; {rule.fix}" if rule.fix else ""))
    assert list(np.flatnonzero(checked.bad)) == ([] if rule.warn else [pos])


def test_duplicate_ids_are_reported_once_naming_both_rows():
    frame = clean()
    frame.at[2, "id"] = "F1"
    (p,) = check_records(frame, file="t.geojson", rows=[2, 3, 4], context=CONTEXT).problems
    assert str(p) == "t.geojson row 4, field 'id': got 'F1', expected a unique id (row 2 has it too)"


def test_a_third_copy_names_the_first_row_too():
    frame = pd.concat([clean(), clean().iloc[[0]]], ignore_index=True)
    frame.at[2, "id"] = "F1"
    problems = check_records(frame, file="t.csv", context=CONTEXT).problems
    assert [(p.row, p.expected) for p in problems] == [
        (3, "a unique id (row 1 has it too)"),
        (4, "a unique id (row 1 has it too)"),
    ]


def test_the_file_names_its_own_columns():
    frame = clean()
    frame.at[1, "id"] = "F1"
    (p,) = check_records(frame, file="a.csv", labels={"id": "event_id_cnty"}, what="event id").problems
    assert str(p) == "a.csv row 2, field 'event_id_cnty': got 'F1', expected a unique event id (row 1 has it too)"


def test_rows_already_rejected_are_not_reported_again():
    frame = clean()
    frame.at[0, "title"] = ""
    frame.at[1, "title"] = ""
    checked = check_records(frame, file="t.csv", skip=[True, False, False])
    assert [p.row for p in checked.problems] == [2] and list(checked.bad) == [False, True, False]


def test_a_bad_geometry_is_the_rows_one_problem():
    frame = clean()
    frame.at[1, "geometry"] = None
    frame.at[1, "title"] = ""
    (p,) = check_records(frame, file="t.csv").problems
    assert (p.row, p.field) == (2, "geometry")


def test_several_rules_on_one_row_are_all_reported_in_the_tables_order():
    frame = clean()
    frame.at[1, "title"] = ""
    frame.at[1, "layer"] = "battles"
    assert [p.field for p in check_records(frame, file="t.csv").problems] == ["layer", "title"]


def test_missing_columns_are_named_once_for_the_file():
    problems = check_records(clean().drop(columns=["title", "source_ids"]), file="t.csv").problems
    assert [str(p) for p in problems] == [
        "t.csv, field 'title': got None, expected a column of that name (it is required)",
        "t.csv, field 'source_ids': got None, expected a column of that name (it is required)",
    ]


def test_typed_frames_are_checked_as_well_as_text():
    frame = clean()
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["people"] = pd.array([-4, None, None], dtype="Int64")
    (p,) = check_records(frame, file="t.gpkg").problems
    assert str(p) == "t.gpkg row 1, field 'people': got -4, expected a whole number >= 0"


def test_context_rules_wait_for_their_context():
    frame = clean()
    frame.at[1, "source_ids"] = "nobody"
    assert check_records(frame, file="t.csv").problems == []
    (p,) = check_records(frame, file="t.csv", context={"source_ids": {"s1"}}).problems
    assert (p.field, p.value) == ("source_ids", "nobody")


def test_many_rows_are_checked_at_once():
    frame = pd.concat([clean()] * 5_000, ignore_index=True)
    frame["id"] = [f"r{i}" for i in range(len(frame))]
    frame.loc[::700, "people"] = "-1"
    checked = check_records(frame, file="big.csv", context=CONTEXT)
    assert [p.row for p in checked.problems] == list(range(1, len(frame) + 1, 700))


@pytest.mark.parametrize(
    ("fixture", "row", "field"),
    [("acled_bad_points.csv", 10, "event_id_cnty"), ("flows_bad.csv", 8, "id")],
)
def test_the_importers_read_the_one_table(monkeypatch, fixture, row, field):
    """Change a rule's text in the table and the importers' messages change with it: nothing repeats it."""
    from dataclasses import replace

    from import_helpers import plan_for

    import frontera.model.validate as engine

    changed = tuple(
        replace(r, expected="an id of its own ({what}; row {first} took it)") if r.name == "id-unique" else r
        for r in RULES
    )
    monkeypatch.setattr(engine, "RULES", changed)
    (p,) = [p for p in plan_for(fixture).rejected if p.row == row]
    assert p.field == field and p.expected.startswith("an id of its own (") and "took it)" in p.expected
