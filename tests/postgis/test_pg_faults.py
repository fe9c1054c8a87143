"""The PostGIS store under faults: imports from several processes at once (the advisory lock serialises
them; nothing is lost), ``kill -9`` of an import at random moments (exactly the old or the new state,
the log agreeing), and the database restarted under a running process (a clear message while it is
down, then the same process reads again without a restart)."""

from __future__ import annotations

import subprocess
import textwrap
import time

import pytest
from cli_run import imports_at_once
from kill_rounds import drive_rounds
from locations import ROOT
from test_store_concurrency import native_geojson

from frontera.errors import StoreError
from frontera.storage.postgis import PostgisStore


def _ids(store) -> set[str]:
    return {i for f in store.read_records().values() for i in f["id"]}


def _imports_at_once(tmp_path, url: str, n: int) -> None:
    """``n`` `frontera import` processes started together against one database."""
    files = []
    for i in range(n):
        f = tmp_path / f"p{i}.geojson"
        f.write_bytes(native_geojson(f"P{i}", 20))
        files.append(f)
    results = imports_at_once(files, env={"FRONTERA_DATABASE_URL": url})
    store = PostgisStore(url)
    for out, _ in results:  # each process's message is true: 20 added, into this database
        assert f"into {store.label}: 20 added, 0 updated" in out, out[-500:]
    ids = _ids(store)
    assert len(ids) == 20 * n and all(f"P{i}-{k}" in ids for i in range(n) for k in range(20))
    entries = store.list_imports()
    assert sorted(e["file"] for e in entries) == sorted(f.name for f in files)
    assert all(e["added"] == 20 and e["records_now"] == 20 for e in entries)
    for e in entries:
        name, data = store.read_import_file(e["import_id"])
        assert data == (tmp_path / name).read_bytes()
    assert store.version()[2] == n  # one change per import


def test_two_cli_imports_at_once_keep_both(tmp_path, pg_url):
    _imports_at_once(tmp_path, pg_url, 2)


def test_eight_cli_imports_at_once_keep_all(tmp_path, pg_url):
    _imports_at_once(tmp_path, pg_url, 8)


KILLER = textwrap.dedent("""
    # Each round's child imports 300 records. The parent never connects: children open their own.
    import os, random, sys
    sys.path.insert(0, sys.argv[1])
    url = sys.argv[2]
    from frontera.storage import pg_schema, postgis
    from frontera.storage.postgis import PostgisStore
    from import_helpers import plan_for
    from kill_rounds import run_rounds
    from test_store_concurrency import native_geojson
    postgis._names_and_urls(), pg_schema.head_revision()  # what every process loads once, loaded before forking
    def commit_in_child(tag):
        plan = plan_for(tag + ".geojson", native_geojson(tag, 300), import_id=tag, existing={})
        pid = os.fork()
        if pid == 0:
            try:
                PostgisStore(url).commit_import(plan.again, native_geojson(tag, 300))
            finally:
                os._exit(0)
        return pid
    run_rounds(commit_in_child, int(sys.argv[3]), random.Random(int(sys.argv[4])))
""")


def test_kill_9_of_an_import_leaves_exactly_the_old_or_the_new_state(pg_url):
    rounds, store, seen = 12, PostgisStore(pg_url), {}

    def calibrated() -> None:
        seen.update(ids=_ids(store), logged=[e["import_id"] for e in store.read_import_log()])
        assert seen["logged"] == ["CAL", "CAL2"] and len(seen["ids"]) == 600

    def check(line: dict) -> str:
        tag, ids, logged = line["tag"], seen["ids"], seen["logged"]
        now_ids, now_log = _ids(store), [e["import_id"] for e in store.read_import_log()]
        if now_ids == ids:
            assert now_log == logged and store.read_import_file(tag) is None, line
            outcome = "old"
        else:
            assert now_ids == ids | {f"{tag}-{k}" for k in range(300)} and now_log == [*logged, tag], line
            assert store.read_import_file(tag) == (f"{tag}.geojson", native_geojson(tag, 300))
            outcome = "new"
        seen.update(ids=now_ids, logged=now_log)
        return outcome

    outcomes, _ = drive_rounds(KILLER, [str(ROOT / "tests"), pg_url, str(rounds), "11"], rounds, calibrated, check)
    assert len(store.list_imports()) == outcomes.count("new") + 2


def test_database_restarted_under_a_running_process_says_so_then_recovers(pg_cluster, pg_url):
    if pg_cluster.folder is None:
        pytest.fail("this test restarts the server: run it through `make test` or plain pytest (not an outside URL)")
    store = PostgisStore(pg_url)
    before = store.version()
    dead = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "test_postgres.sh"), "restart", str(pg_cluster.folder), "4"]
    )
    try:
        deadline, message = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not message:
            try:
                store.read_records()
            except StoreError as exc:
                message = str(exc)
            time.sleep(0.2)
    finally:
        assert dead.wait(timeout=120) == 0
    assert message.startswith(f"cannot reach the database {store.label}"), message
    assert "Fix: check that PostgreSQL is running" in message and "no restart" in message
    assert PostgisStore(pg_url).version() == before  # the same process, its pooled engine: back without a restart
    assert store.read_records() is not None
