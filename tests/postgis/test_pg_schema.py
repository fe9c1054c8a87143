"""`frontera db upgrade` creates or migrates the schema and says what it did; Frontera refuses a schema it
does not know, with that command as the fix, in one sentence without the password."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_run import frontera
from sqlalchemy.engine import make_url

from frontera.errors import StoreError
from frontera.storage import pg_schema
from frontera.storage.postgis import PostgisStore


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    return frontera(*args, env={"FRONTERA_DATABASE_URL": url}, timeout=120)


def _with_password(url: str) -> str:
    return make_url(url).set(password="s3cret-pw").render_as_string(hide_password=False)


def test_db_upgrade_creates_the_schema_then_has_nothing_to_do(pg_empty_url):
    url = _with_password(pg_empty_url)  # the test cluster trusts local users: any password is accepted
    first = _cli("db", "upgrade", url=url)
    assert first.returncode == 0, first.stderr
    head = pg_schema.head_revision()
    assert f"created the Frontera schema (revision {head})" in first.stdout
    assert "s3cret-pw" not in first.stdout + first.stderr and "***" in first.stdout
    PostgisStore(url).read_records()  # usable now
    second = _cli("db", "upgrade", url=url)
    assert second.returncode == 0, second.stderr
    assert f"already at revision {head}; nothing to do" in second.stdout


def test_a_database_without_the_schema_is_refused_with_the_fix(pg_empty_url):
    url = _with_password(pg_empty_url)
    with pytest.raises(StoreError) as err:
        PostgisStore(url).read_records()
    text = str(err.value)
    assert "has no Frontera schema" in text and "frontera db upgrade" in text
    assert "s3cret-pw" not in text
    for method in ("version", "list_imports", "read_import_log"):
        with pytest.raises(StoreError, match="frontera db upgrade"):
            getattr(PostgisStore(url), method)()


def test_a_schema_from_a_newer_frontera_is_refused_and_not_touched(pg_url):
    store = PostgisStore(pg_url)
    with store._engine.begin() as conn:
        conn.exec_driver_sql("UPDATE frontera.alembic_version SET version_num = 'f999'")
    with pytest.raises(StoreError, match="revision f999, made by a newer Frontera"):
        PostgisStore(pg_url).read_records()
    proc = _cli("db", "upgrade", url=pg_url)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "newer Frontera" in proc.stderr
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM frontera.alembic_version").scalar_one() == "f999"


def test_db_upgrade_without_a_url_or_with_an_unreachable_server_says_so(pg_cluster):
    env = {k: v for k, v in os.environ.items() if k != "FRONTERA_DATABASE_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "frontera.cli", "db", "upgrade"], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 2 and "FRONTERA_DATABASE_URL is not set" in proc.stderr
    dead = "postgresql+psycopg://frontera:hunter2@127.0.0.1:1/frontera"
    proc = _cli("db", "upgrade", url=dead)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "cannot reach the database postgresql+psycopg://frontera:***@127.0.0.1:1/frontera" in proc.stderr
    assert "hunter2" not in proc.stderr and "Fix:" in proc.stderr


@pytest.mark.parametrize("command", [["imports"], ["export-data", "--out", "x.geojson"], ["remove-import", "A1"]])
def test_the_cli_refuses_a_database_without_the_schema_in_one_line(pg_empty_url, tmp_path, command):
    url = _with_password(pg_empty_url)
    if command[0] == "export-data":
        command = [*command[:-1], str(tmp_path / "x.geojson")]
    proc = _cli(*command, url=url)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "has no Frontera schema yet" in proc.stderr and "Fix: run `frontera db upgrade`" in proc.stderr
    assert "s3cret-pw" not in proc.stderr and not (tmp_path / "x.geojson").exists()
