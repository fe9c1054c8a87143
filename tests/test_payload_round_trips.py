"""Issue 8: hostile text goes through every export and every import format as the literal text it was.

Records carrying the payload corpus are exported (GeoJSON, CSV, GeoPackage, Excel) and imported
back through Frontera's own importers: every text field comes back verbatim, and the pages
that show it (Data, Timeline, Sources, the map's details) render without failing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pandas as pd
import pytest
from locations import ROOT
from payloads import ALL, PWNED_ENV
from streamlit.testing.v1 import AppTest

from frontera import export
from frontera.importers import prepare_import
from frontera.model.dates import DateWindow
from frontera.model.records import LAYERS, TIME_LAYERS
from frontera.model.view import View
from frontera.storage import geopackage as store
from frontera.timeline import timeline_chart, timeline_frame

WIDE = View(DateWindow(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), LAYERS)
#: Free-text fields that an import keeps as written.
TEXT = ("title", "summary", "actors", "place_note", "date_note", "people_wording", "extent_note")


@pytest.fixture(scope="module")
def bundled() -> store.Situation:
    return store.load_situation(include_user=False)


def hostile_records(bundled: store.Situation) -> dict[str, pd.DataFrame]:
    """Copies of the bundled records under new ids, each text field holding a payload (all of them used)."""
    records, k = {}, 0
    for layer in TIME_LAYERS:
        gdf = bundled.records[layer].copy()
        gdf = gdf[gdf.geometry.notna()].reset_index(drop=True)
        for col in TEXT:
            gdf[col] = [ALL[(k + i) % len(ALL)] for i in range(len(gdf))]
            k += len(gdf)
        gdf["id"] = [f"X{layer[:3]}{i}" for i in range(len(gdf))]
        gdf["disagrees_with"] = ""
        records[layer] = gdf
    return records


def _texts(records: dict[str, pd.DataFrame]) -> dict[tuple[str, str], str]:
    """``{(id, field): text}`` as an import keeps it: surrounding whitespace is trimmed, nothing else changes."""
    return {
        (rec["id"], col): rec[col].strip()
        for gdf in records.values()
        for rec in gdf.to_dict("records")
        for col in TEXT
        if isinstance(rec.get(col), str) and rec[col].strip()
    }


@pytest.fixture
def hostile_situation(bundled, monkeypatch, tmp_path):
    monkeypatch.setenv(PWNED_ENV, str(tmp_path))
    records = hostile_records(bundled)
    store.write_user_records(records)
    return store.load_situation(), _texts(records)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_every_export_imports_back_verbatim(hostile_situation, bundled, fmt):
    situation, expected = hostile_situation
    frame = export.export_frame(situation, WIDE)
    frame = frame[frame["id"].str.startswith("X")]
    data = {
        "geojson": lambda f: export.to_geojson(f).encode("utf-8"),
        "csv": lambda f: export.to_csv(f).encode("utf-8"),
        "gpkg": export.to_gpkg_bytes,
    }[fmt](frame)
    plan = prepare_import(
        f"hostile.{fmt}", data, bundled, {layer: store.empty_records() for layer in TIME_LAYERS}, import_id="RT"
    )
    assert plan.rejected == []
    got = {
        (rec["id"], col): rec[col]
        for rec in plan.records.to_dict("records")
        for col in TEXT
        if isinstance(rec.get(col), str) and rec[col]
    }
    assert {k: v for k, v in expected.items() if got.get(k) != v} == {}


def test_the_pages_show_hostile_records_without_failing(hostile_situation):
    situation, expected = hostile_situation
    wide = {"start": "2000-01-01", "end": "2030-12-31"}
    for page in ("0_Map.py", "1_Timeline.py", "2_Data.py", "3_Sources.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for key, value in wide.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, (page, at.exception)
    frame = export.export_frame(situation, WIDE)
    shown = set(frame[[c for c in TEXT if c in frame]].astype(str).to_numpy().ravel())
    assert set(expected.values()) <= shown


def test_timeline_spec_carries_text_only_as_data(hostile_situation):
    """Vega reads expressions from a spec: text from data must only ever be a data value, never part of one."""
    situation, expected = hostile_situation
    frame = timeline_frame(situation, WIDE)
    spec = timeline_chart(frame, WIDE).to_dict()
    datasets = json.dumps(spec.pop("datasets", {}), ensure_ascii=False)
    rest = json.dumps(spec, ensure_ascii=False)
    titles = [t for (rid, col), t in expected.items() if col == "title"]
    assert any(t in datasets for t in titles if len(t) > 3)
    assert [t for t in titles if len(t) > 6 and t in rest] == []


def test_excel_import_keeps_text_verbatim(bundled):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # what a worksheet cannot hold at all

    records = hostile_records(bundled)["clashes"]
    for col in ("title", "summary", "actors"):
        records[col] = [ILLEGAL_CHARACTERS_RE.sub("", v).strip() for v in records[col]]
    frame = export.export_frame(
        dataclasses.replace(bundled, records={**bundled.records, "clashes": records}),
        dataclasses.replace(WIDE, layers=("clashes",)),
    )
    frame = frame[frame["id"].str.startswith("X")].drop(columns="geometry")
    frame["lon"] = [-92.1 + i * 0.01 for i in range(len(frame))]
    frame["lat"] = 15.4
    frame = frame.astype(object).where(frame.notna(), "").map(str)
    buffer = io.BytesIO()
    book = Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # "=1+1" is the text "=1+1" here, as in a cell typed with a leading apostrophe
    book.save(buffer)
    plan = prepare_import(
        "hostile.xlsx",
        buffer.getvalue(),
        bundled,
        {layer: store.empty_records() for layer in TIME_LAYERS},
        import_id="XL",
    )
    assert plan.rejected == []
    got = plan.records.set_index("id")
    for rec in records.to_dict("records"):
        for col in ("title", "summary", "actors"):
            assert got.loc[rec["id"], col] == rec[col]


def test_the_fast_layer_payload_carries_hostile_text_verbatim_by_the_schemas_columns(bundled):
    """Encoded for the browser and read back by the schema's column list (as fast-util.js reads it): same text."""
    import base64
    import zlib

    from frontera.layers.fast import encode_events
    from frontera.layers.fast.schema import EVENT_COLUMNS, PAYLOAD_VERSION, TEXT_FIELDS

    records = hostile_records(bundled)["clashes"]
    payload = encode_events(records)
    header = payload["header"]
    assert header["v"] == PAYLOAD_VERSION
    assert [k for k in header["columns"] if "#" not in k] == [c.name for c in EVENT_COLUMNS]
    buf = zlib.decompress(base64.b64decode(payload["data"])) if header["codec"] == "deflate" else None
    buf = buf if buf is not None else base64.b64decode(payload["data"])
    for name in TEXT_FIELDS:
        col = header["columns"][name]
        table = buf[col["o"] : col["o"] + col["b"]].decode("utf-8").split("\x1f")
        if "codes" in col:
            codes = header["columns"][col["codes"]]
            width = {"u8": 1, "u16": 2, "u32": 4}[codes["t"]]
            raw = buf[codes["o"] : codes["o"] + codes["n"] * width]
            values = [table[int.from_bytes(raw[k : k + width], "little")] for k in range(0, len(raw), width)]
        else:
            values = table * header["n"]
        expected = records[name].fillna("").astype(str).str.replace("\x1f", " ").tolist()
        assert values == expected, name
