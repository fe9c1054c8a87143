"""Files that are not what they claim: each gets one clear problem, never a traceback."""

import io

import pandas as pd
import pytest
from import_helpers import plan_for, situation

from frontera.importers import parse_file, sniff


def only_problem(name: str, data: bytes) -> str:
    plan = plan_for(name, data)
    assert plan.file_rejected and len(plan.records) == 0
    return str(plan.rejected[0])


def test_empty_file():
    assert (
        only_problem("empty.csv", b"")
        == "empty.csv, field '(file)': got 'an empty file', expected a header row and at least one data row"
    )


def test_header_only():
    assert "a header and no data rows" in only_problem("h.csv", b"origin,destination,people\n")


def test_binary_file_is_not_csv():
    assert "binary content" in only_problem("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")


def test_zip_that_is_not_excel():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    assert "unzip it first" in only_problem("data.zip", buf.getvalue())


def test_prose_is_not_a_table():
    text = b"Dear colleagues please find below the figures we collected in the field last week\nThanks\n"
    assert "is this a CSV file?" in only_problem("letter.csv", text)
    with_commas = b"Dear colleagues, please find below the figures.\nThanks\n"
    assert "expected an ACLED export" in only_problem("letter.csv", with_commas)


def test_unknown_columns_say_what_is_expected():
    msg = only_problem("x.csv", b"a,b,c\n1,2,3\n")
    assert "field '(columns)': got 'a, b, c'" in msg and "ACLED export" in msg


def test_ragged_rows_name_the_line():
    msg = only_problem("r.csv", b"origin,destination,people\nTila,Yajalon,3\nTila,Yajalon,3,4,5\n")
    assert msg.startswith("r.csv row 3, field '(row)': got '5 cells', expected 3 cells like the header")


def test_missing_required_acled_column():
    msg = only_problem("a.csv", b"event_id_cnty,event_date,event_type\nMEX1,2024-07-01,Battles\n")
    assert "field 'latitude'" in msg


def test_size_limit(monkeypatch):
    assert sniff.MAX_BYTES == 200 * 1024 * 1024
    monkeypatch.setattr(sniff, "MAX_BYTES", 1024 * 1024)
    data = b"origin,destination,people,date,source\n" + b"Tila,Yajalon,3,2024-06-04,x\n" * 40_000
    msg = only_problem("big.csv", data)
    assert msg == "big.csv, field '(file)': got '1.1 MB', expected a file of at most 1 MB; split it into smaller files"


def test_excel_flow_table(tmp_path):
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "origin": ["Tila"],
            "destination": ["Yajalón"],
            "people": [4187],
            "date": ["2024-06-04"],
            "source": ["sipaz-2024-06-11"],
        }
    ).to_excel(buf, index=False)
    plan = plan_for("flows.xlsx", buf.getvalue())
    assert plan.rejected == [] and plan.records.iloc[0]["people"] == 4187


def test_broken_geojson():
    assert "valid GeoJSON" in only_problem("x.geojson", b'{"type": "FeatureCollection", "features": [')
    assert "a GeoJSON FeatureCollection" in only_problem("y.geojson", b'{"type": "Point", "coordinates": [1, 2]}')


def test_parse_file_never_needs_the_store():
    s = situation()
    parsed = parse_file("x.csv", b"\xff\xfe\x00\x00", import_id="Z", towns=s.towns)
    assert parsed.records.empty and parsed.rejected


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separators(sep):
    text = (
        sep.join(["origin", "destination", "people", "date", "source"])
        + "\n"
        + sep.join(["Tila", "Yajalón", "10", "2024-06-04", "x"])
        + "\n"
    )
    assert plan_for("s.csv", text.encode("utf-8")).rejected == []
