"""AppTest of each secondary page, reached as a person reaches it: through the entrypoint's navigation."""

from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def run(page: str, query: dict | None = None) -> AppTest:
    """Open the app (with ``query`` in the URL), then switch to ``page`` (a file in app_pages/)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, at.exception
    return at


def test_timeline_follows_filters():
    at = run("1_Timeline.py", {"start": "2024-06-01", "end": "2024-06-30", "layers": "clashes,flows"})
    ids = set(at.dataframe[0].value["id"])
    assert ids == {"C2", "C3", "F4"}


def test_timeline_shows_meeting_without_place():
    at = run("1_Timeline.py", {"start": "2024-08-01", "end": "2024-08-31", "layers": "operations"})
    table = at.dataframe[0].value
    row = table[table["id"] == "O2"].iloc[0]
    assert not row["on_map"]


def test_data_page_table_and_downloads():
    at = run("2_Data.py", {"start": "2024-07-01", "end": "2024-07-22", "layers": "flows,clashes"})
    table = at.dataframe[0].value
    assert set(table["id"]) == {"C1"}
    assert "source_urls" in table.columns


def test_sources_page_lists_citing_records():
    at = run("3_Sources.py")
    table = at.dataframe[0].value
    trt = table[table["source_id"] == "trt-2024-08-03"].iloc[0]
    for rid in ("F1", "C1", "C2", "O1", "O2"):
        assert rid in trt["cited_by"].split(", ")
    bundled = table[table["source_id"] != "acled"]  # cited only once the user imports ACLED data
    assert (bundled["records"] > 0).all()


def test_data_page_offers_three_formats():
    at = run("2_Data.py", {"layers": "flows"})
    at.checkbox(key="csv_hxl").check().run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["GeoJSON", "CSV", "GeoPackage (one table per layer)"]


def test_data_page_reads_ongoing_and_counts_in_words():
    at = run("2_Data.py", {"start": "2024-07-01", "end": "2024-07-22", "layers": "clashes"})
    table = at.dataframe[0].value
    c1 = table[table["id"] == "C1"].iloc[0]
    assert c1["date_end"] == "ongoing"  # C1 had no end at the last report
    assert "None" not in table.astype(str).to_numpy().tolist().__str__()
    assert any(c.value.startswith("1 feature ·") for c in at.caption), [c.value for c in at.caption]
    at = run("2_Data.py", {"start": "2024-06-01", "end": "2024-08-31", "layers": "clashes,crossings"})
    table = at.dataframe[0].value
    crossing = table[table["id"] == "talisman-el-carmen"].iloc[0]
    assert crossing["date_end"] == "" and crossing["date_start"] == ""  # not a dated record: nothing to say
    assert table.loc[table["id"] == "C2", "fatalities"].iloc[0] == 19  # counts stay numbers
    assert any(c.value.startswith("12 features ·") for c in at.caption), [c.value for c in at.caption]


def test_view_controls_only_on_pages_that_use_the_view():
    for page, has_controls in (
        ("1_Timeline.py", True),
        ("2_Data.py", True),
        ("3_Sources.py", False),
        ("5_Import.py", False),
        ("0_Map.py", True),
    ):
        at = run(page, {"layers": "flows"})
        assert bool(at.sidebar.get("checkbox")) is has_controls, page
        assert at.query_params["layers"] == "flows", page  # the URL keeps the view on every page
