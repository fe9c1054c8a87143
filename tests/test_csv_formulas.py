"""CSV exports: no cell a spreadsheet would run as a formula (full-width and invisible prefixes too),
and every text comes back exactly through Frontera's importer (``'=x`` included)."""

import csv
import datetime as dt
import io
import json
import unicodedata

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_helpers import import_file, plan_for

from frontera import export
from frontera.csv_formulas import neutralise, unneutralise
from frontera.importers.native import table_to_frame
from frontera.importers.sniff import read_table
from frontera.model.dates import DateWindow
from frontera.model.records import DEFAULT_LAYERS
from frontera.model.view import View
from frontera.storage import geopackage as store

WIDE = View(DateWindow(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), DEFAULT_LAYERS)

TRICKY = [
    "=1+1",
    "+cmd",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\r=x",
    "＝1+1",
    "＋cmd",
    "－2",
    "＠SUM(A1)",
    "﹦1",
    "﹢1",
    "﹣1",
    "\u2212 1",
    "\u200b=cmd",
    "\ufeff=cmd",
    "\u200e+1",
    "\u200f-1",
    "\u2060@x",
    "\u00a0=1",
    " =1",
    "\u3000＝1",
    "\u202e=1",
    "\u2066=1",
    "\u180e=1",
    "\u3164=1",
    "\u0301=1",
    "'=x",
    "''=x",
    "'",
    "''",
    "'it's",
    "it's",
    "'\u200b=x",
    "plain",
    "",
    "-",
    "=",
    "Cuilco — 3 killed",
    "#hashtag",
    "1-2",
]


def visible_start(cell: str) -> str:
    """The first character a person (and a spreadsheet's formula check) sees, folded to ASCII."""
    for c in cell:
        if unicodedata.category(c) not in {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"} and c not in (
            "\u115f\u1160\u3164\uffa0\u2800\u180e"
        ):
            return unicodedata.normalize("NFKC", c)[:1]
    return ""


def assert_inert(cell: str) -> None:
    assert cell[:1] == "'" or (visible_start(cell) not in set("=+-@\u2212") and cell[:1] not in ("\t", "\r")), repr(
        cell
    )


@pytest.mark.parametrize("text", TRICKY)
def test_each_tricky_text_is_inert_and_reversible(text):
    cell = neutralise(text)
    assert_inert(cell)
    assert unneutralise(cell) == text


@given(st.text())
@settings(max_examples=2000)
def test_any_text_is_inert_and_reversible(text):
    cell = neutralise(text)
    assert_inert(cell)
    assert unneutralise(cell) == text


def frame_of(texts: list[str]) -> gpd.GeoDataFrame:
    n = len(texts)
    return gpd.GeoDataFrame(
        {
            "layer": ["clashes"] * n,
            "id": [f"X{i}" for i in range(n)],
            "title": texts,
            "summary": [t[::-1] for t in texts],
            "date_start": ["2024-07-01"] * n,
            "people": list(range(n)),
        },
        geometry=gpd.points_from_xy([-92.1] * n, [15.4] * n),
        crs="EPSG:4326",
    )


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_a_carriage_return_cannot_start_a_row_with_a_formula():
    """A bare CR ends a row in a spreadsheet: the cell holding it must be quoted."""
    csv_text = export.to_csv(frame_of(["x\r=SUM(1)", "y\n@SUM(1)"]))
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert len(rows) == 3 and [r[2] for r in rows[1:]] == ["x\r=SUM(1)", "y\n@SUM(1)"]


def through_importer(csv_text: str) -> pd.DataFrame:
    """What Frontera's native CSV reader makes of an export: the importer's own path, cell by cell."""
    frame, _, _ = table_to_frame(read_table("export.csv", csv_text.encode("utf-8")))
    return frame


CELL_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(st.lists(CELL_TEXT, min_size=1, max_size=4), st.booleans())
@settings(max_examples=200, deadline=None)
def test_any_text_round_trips_through_a_csv_export_and_the_importer(texts, hxl):
    csv_text = export.to_csv(frame_of(texts), hxl=hxl)
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))  # rows as a spreadsheet splits them
    assert len(rows) == 1 + hxl + len(texts) and {len(r) for r in rows} == {len(rows[0])}
    for row in rows[1 + hxl :]:
        for cell in row:
            if not _number(cell):
                assert_inert(cell)
    back = through_importer(csv_text)
    assert list(back["title"]) == texts and list(back["summary"]) == [t[::-1] for t in texts]
    assert list(back["people"]) == [str(i) for i in range(len(texts))]  # numbers are not marked


def test_stored_records_come_back_exactly_through_export_and_import():
    """The whole path: import (GeoJSON) -> store -> CSV export -> import plan, every tricky title intact."""
    titles = [t for t in TRICKY if t.strip() and t == t.strip()]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-92.1, 15.4]},
            "properties": {
                "layer": "clashes",
                "id": f"T{i}",
                "title": t,
                "actors": t,
                "date_start": "2024-07-01",
                "date_precision": "day",
                "geo_precision": "town",
                "source_ids": "me",
                "dataset": "mine",
            },
        }
        for i, t in enumerate(titles)
    ]
    import_file("tricky.geojson", json.dumps({"type": "FeatureCollection", "features": features}).encode(), "G")
    stored = store.read_user_records()["clashes"].set_index("id")
    assert [stored.loc[f"T{i}", "title"] for i in range(len(titles))] == titles
    csv_text = export.to_csv(export.export_frame(store.load_situation(), WIDE))
    back = plan_for("back.csv", csv_text.encode(), import_id="H", existing={})
    assert back.rejected == []
    got = back.records.set_index("id")
    assert [got.loc[f"T{i}", "title"] for i in range(len(titles))] == titles
    assert [got.loc[f"T{i}", "actors"] for i in range(len(titles))] == titles
