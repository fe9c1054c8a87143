"""The app's pages on the PostGIS store (AppTest, FRONTERA_DATABASE_URL set): the records come from the
database; an import through the page lands there; an import by another process (the CLI) shows at the
next rerun; a schema Frontera does not know stops the app with the fix; a database restarted under the
running app gives a clear message, then the same app reads again without a restart."""

from __future__ import annotations

import subprocess

from apptest_helpers import run
from cli_run import frontera
from import_helpers import fixture_bytes, plan_for
from locations import ROOT
from streamlit.testing.v1 import AppTest

from frontera.storage.postgis import PostgisStore

APP = str(ROOT / "app.py")
WIDE = {"start": "2000-01-01", "end": "2030-12-31"}
ACLED_IDS = {"MEX90001", "MEX90002", "MEX90003", "GTM90004", "MEX90005"}


def _app(page: str | None = None) -> AppTest:
    return run(WIDE, timeout=120, page=page)


def _data_ids(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["id"])


def _import(store: PostgisStore, name: str, import_id: str) -> None:
    data = fixture_bytes(name)
    plan = plan_for(name, data, import_id=import_id, existing=store.read_records(with_timestamps=True))
    store.commit_import(plan.again, data, who="ana")


def test_every_page_reads_the_database(monkeypatch, pg_url):
    monkeypatch.setenv("FRONTERA_DATABASE_URL", pg_url)
    store = PostgisStore(pg_url)
    _import(store, "acled_current.csv", "PGA")
    at = _app("2_Data.py")
    assert _data_ids(at) >= ACLED_IDS
    for page in ("0_Map.py", "1_Timeline.py", "3_Sources.py", "5_Import.py"):
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    page_text = " ".join(str(x.value) for x in (*at.markdown, *at.caption)).replace("\\", "")
    assert store.label in page_text  # the page names the database (without a password)
    assert at.button(key="remove_PGA")  # and lists its import


def test_an_import_on_the_page_lands_in_the_database(monkeypatch, pg_url):
    monkeypatch.setenv("FRONTERA_DATABASE_URL", pg_url)
    at = _app("5_Import.py")
    at.file_uploader(key="import_file").upload("acled_current.csv", fixture_bytes("acled_current.csv"), "text/csv")
    at.run()
    at.button(key="import_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Imported as" in s.value for s in at.success), [s.value for s in at.success]
    store = PostgisStore(pg_url)
    assert {i for f in store.read_records().values() for i in f["id"]} == ACLED_IDS
    (entry,) = store.list_imports()
    assert entry["records_now"] == 5 and store.read_import_file(entry["import_id"])[1] == fixture_bytes(
        "acled_current.csv"
    )


def test_an_import_by_another_process_shows_at_the_next_rerun(monkeypatch, pg_url, tmp_path):
    monkeypatch.setenv("FRONTERA_DATABASE_URL", pg_url)
    at = _app("2_Data.py")
    assert not ACLED_IDS & _data_ids(at)
    path = tmp_path / "acled_current.csv"
    path.write_bytes(fixture_bytes("acled_current.csv"))
    proc = frontera("import", str(path), env={"FRONTERA_DATABASE_URL": pg_url})
    assert proc.returncode == 0, proc.stderr
    at.run()  # the same app, no restart: the next rerun sees the database's change counter move
    assert not at.exception, at.exception
    assert _data_ids(at) >= ACLED_IDS


def test_a_database_without_the_schema_stops_the_app_with_the_fix(monkeypatch, pg_empty_url):
    monkeypatch.setenv("FRONTERA_DATABASE_URL", pg_empty_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
    assert len(errors) == 1 and "has no Frontera schema yet" in errors[0], errors
    assert "frontera db upgrade" in errors[0]
    assert not at.dataframe and not at.sidebar.date_input  # nothing else is drawn


def test_the_database_restarted_under_the_app_says_so_then_recovers(monkeypatch, pg_cluster, pg_url):
    assert pg_cluster.folder is not None, "this test restarts the server it started"
    monkeypatch.setenv("FRONTERA_DATABASE_URL", pg_url)
    _import(PostgisStore(pg_url), "acled_current.csv", "PGR")
    at = _app("2_Data.py")
    assert _data_ids(at) >= ACLED_IDS
    script = str(ROOT / "scripts" / "test_postgres.sh")
    restart = subprocess.Popen(["bash", script, "restart", str(pg_cluster.folder), "6"])
    try:
        errors: list[str] = []
        for _ in range(40):  # rerun while the server is down: a message, never a traceback
            at.run()
            assert not at.exception, at.exception
            errors = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
            if errors:
                break
    finally:
        assert restart.wait(timeout=180) == 0
    assert errors and "cannot reach the database" in errors[0] and "Fix: check that PostgreSQL is running" in errors[0]
    at.run()  # the server is back: the same app reads it again
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _data_ids(at) >= ACLED_IDS
