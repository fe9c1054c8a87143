"""AppTest of the Import page: upload, preview with reasons, confirm, list and remove."""

from import_helpers import fixture_bytes, import_file
from locations import ROOT
from streamlit.testing.v1 import AppTest

from frontera.storage import geopackage as store

PAGE = str(ROOT / "app_pages" / "5_Import.py")


def run(at=None) -> AppTest:
    at = at or AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def table_with(at, column: str):
    """The first table on the page that has ``column`` (preview: 'action'; rejections: 'expected')."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_preview_then_confirm_then_remove():
    at = run()
    assert "None yet" in " ".join(c.value for c in at.caption)
    at.file_uploader(key="import_file").upload("acled_current.csv", fixture_bytes("acled_current.csv"), "text/csv")
    run(at)
    assert metrics(at) == {"Add": "5", "Update": "0", "Remove": "0", "Rejected rows": "0"}
    preview = table_with(at, "action")
    assert set(preview["id"]) == {"MEX90001", "MEX90002", "MEX90003", "GTM90004", "MEX90005"}
    assert not store.store_path().exists()  # nothing written before the confirm
    at.button(key="import_confirm").click()
    run(at)
    assert any("Imported as" in s.value for s in at.success)
    assert sum(len(f) for f in store.read_user_records().values()) == 5
    (entry,) = store.list_imports()
    at.file_uploader(key="import_file").set_value(None)
    run(at)
    at.button(key=f"remove_{entry['import_id']}").click()
    run(at)
    at.button(key=f"remove_yes_{entry['import_id']}").click()  # removing asks first (issue 9)
    run(at)
    assert sum(len(f) for f in store.read_user_records().values()) == 0


def test_rejected_rows_are_listed_with_reasons():
    at = run()
    at.file_uploader(key="import_file").upload("flows_bad.csv", fixture_bytes("flows_bad.csv"), "text/csv")
    run(at)
    assert metrics(at)["Rejected rows"] == "9"
    rejected = table_with(at, "expected")
    row3 = rejected[rejected["row"] == 3].iloc[0]
    assert (row3["column"], row3["value"], row3["expected"]) == ("people", "-4", "a whole number >= 0")
    assert all(b.key != "import_confirm" for b in at.button)


def test_unreadable_upload_shows_one_error():
    at = run()
    at.file_uploader(key="import_file").upload("empty.csv", b"", "text/csv")
    run(at)
    assert any("empty.csv, field '(file)'" in e.value.replace("\\", "") for e in at.error)  # shown as literal text


def test_remove_asks_first_and_cancel_keeps_the_import():
    import_file("acled_current.csv", import_id="T9")
    at = run()
    assert "T9" in " ".join(t.value for t in at.text)
    at.button(key="remove_T9").click()
    run(at)
    # Nothing removed yet: a question, naming the import and what leaving means.
    assert sum(len(f) for f in store.read_user_records().values()) == 5
    (question,) = [w.value for w in at.warning if "Remove import" in w.value]
    assert "T9" in question and "5 records leave the map" in question
    assert all(b.key != "remove_T9" for b in at.button)
    at.button(key="remove_no_T9").click()
    run(at)
    assert sum(len(f) for f in store.read_user_records().values()) == 5
    assert [w for w in at.warning if "Remove import" in w.value] == []
    at.button(key="remove_T9").click()
    run(at)
    at.button(key="remove_yes_T9").click()
    run(at)
    assert sum(len(f) for f in store.read_user_records().values()) == 0
    assert any("Removed 5 records of T9." in s.value.replace("\\", "") for s in at.success)
    assert "None yet" in " ".join(c.value for c in at.caption)


def test_hostile_uploads_are_refused_on_the_page_with_the_limit(tmp_path):
    """Issue 8 seen where a person sees it: a header of 80,000 columns and a ZIP bomb dressed as a workbook."""
    import time

    from test_import_limits import SHEET_HEAD, SHEET_TAIL, huge_shared_string, write_xlsx

    bomb = write_xlsx(tmp_path / "bomb.xlsx", [SHEET_HEAD, SHEET_TAIL], huge_shared_string(200)).read_bytes()
    uploads = [
        (
            "columns.csv",
            (",".join(["a"] * 80_000)).encode() + b"\n1\n",
            "text/csv",
            "80,000 columns",
            "export only the columns you need",
        ),
        ("bomb.xlsx", bomb, "application/vnd.ms-excel", "expands", "ZIP bomb"),
    ]
    for name, data, mime, found, fix in uploads:
        at = run()
        start = time.monotonic()
        at.file_uploader(key="import_file").upload(name, data, mime)
        run(at)
        errors = [e.value.replace("\\", "") for e in at.error]
        assert any(name in e and found in e and fix in e for e in errors), errors
        assert time.monotonic() - start < 30 and all(b.key != "import_confirm" for b in at.button)


def test_one_rejected_row_refuses_the_confirm_until_valid_rows_only_is_ticked():
    """Issue 11: all or nothing on the page. The confirm button refuses and says why; the box takes the rest."""
    data = fixture_bytes("acled_current.csv").replace(b"19,,1722902400", b"-1,,1722902400")
    at = run()
    at.file_uploader(key="import_file").upload("acled_one_bad.csv", data, "text/csv")
    run(at)
    assert metrics(at)["Rejected rows"] == "1"
    assert at.button(key="import_confirm").disabled
    (why,) = [w.value for w in at.warning if "nothing was imported" in w.value]
    assert "1 row rejected" in why and "4 valid rows only" in why
    assert not store.store_path().exists()
    at.checkbox(key="import_valid_rows_only").check()
    run(at)
    assert not at.button(key="import_confirm").disabled
    at.button(key="import_confirm").click()
    run(at)
    assert any("4 added" in s.value and "1 rows rejected" in s.value for s in at.success)
    assert sum(len(f) for f in store.read_user_records().values()) == 4


def test_identical_reimport_says_nothing_changed_and_removal_shows_what_it_restored():
    import_file("acled_current.csv", import_id="T1")
    import_file("acled_deletions.csv", import_id="D1")
    at = run()
    at.file_uploader(key="import_file").upload("again.csv", fixture_bytes("acled_current.csv"), "text/csv")
    run(at)
    # MEX90002 was deleted by D1: it comes back as an add; the other four are identical
    assert metrics(at)["Add"] == "1" and metrics(at)["Update"] == "0"
    at.file_uploader(key="import_file").set_value(None)
    run(at)
    at.button(key="remove_D1").click()
    run(at)
    at.button(key="remove_yes_D1").click()
    run(at)
    assert any("Removed 1 records of D1." in s.value.replace("\\", "") and "restored 1" in s.value for s in at.success)
    assert any("D1 removed" in t.value and "restored 1 to their version before it" in t.value for t in at.text)
    assert sum(len(f) for f in store.read_user_records().values()) == 5
    at.file_uploader(key="import_file").upload("again.csv", fixture_bytes("acled_current.csv"), "text/csv")
    run(at)
    assert "Nothing to import (5 unchanged, 0 kept newer)." in " ".join(c.value for c in at.caption)
