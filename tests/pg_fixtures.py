"""PostgreSQL + PostGIS for the tests (a pytest plugin, loaded by tests/conftest.py).

``make test`` starts a throwaway cluster with ``scripts/test_postgres.sh run`` and hands its URL
over in ``FRONTERA_TEST_DATABASE_URL`` (and its folder in ``FRONTERA_TEST_PG_DIR``). Run as plain
``pytest``, the first test that needs the database starts a cluster the same way and the session
stops and removes it at the end. PostGIS tests never skip: when no database can be had they FAIL
and say how to get one.

Each test gets a database of its own, copied from a template (``CREATE DATABASE ... TEMPLATE``):
``pg_empty_url`` has PostGIS and no Frontera schema, ``pg_url`` has the schema at head.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "test_postgres.sh"
HOW_TO = (
    "PostGIS tests need PostgreSQL 15 + PostGIS. Run `make test` (it starts a throwaway cluster), or "
    "`bash scripts/test_postgres.sh run -- .venv/bin/python -m pytest ...`, or set FRONTERA_TEST_DATABASE_URL "
    "to a database with the postgis extension whose user may CREATE DATABASE "
    "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/frontera_test)."
)
_TEMPLATE_EMPTY = "frontera_tmpl_empty"
_TEMPLATE_HEAD = "frontera_tmpl_head"


@dataclass
class PgCluster:
    url: str  # SQLAlchemy URL of a database on the server (the admin's)
    folder: Path | None  # the cluster's folder when these tests started it (restart is possible)

    def url_for(self, dbname: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(database=dbname).render_as_string(hide_password=False)

    def admin(self):
        """An autocommit psycopg connection to the server (CREATE / DROP DATABASE)."""
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(self.url)
        return psycopg.connect(
            host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database, autocommit=True
        )

    def restart(self, seconds_down: float = 0) -> None:
        assert self.folder is not None, "this server was not started by the tests; it cannot be restarted"
        subprocess.run(["bash", str(SCRIPT), "restart", str(self.folder), str(seconds_down)], check=True, timeout=120)


def _start_cluster() -> tuple[str, Path]:
    try:
        proc = subprocess.run(["bash", str(SCRIPT), "start"], check=False, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"could not start PostgreSQL ({exc}). {HOW_TO}", pytrace=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        pytest.fail(f"could not start PostgreSQL:\n{proc.stderr[-3000:]}\n{HOW_TO}", pytrace=False)
    url, folder = proc.stdout.split()[-2:]
    return url, Path(folder)


@pytest.fixture(scope="session")
def pg_cluster():
    url = os.environ.get("FRONTERA_TEST_DATABASE_URL", "").strip()
    started = None
    if url:
        folder = os.environ.get("FRONTERA_TEST_PG_DIR")
        cluster = PgCluster(url, Path(folder) if folder else None)
    else:
        url, started = _start_cluster()
        cluster = PgCluster(url, started)
    try:
        with cluster.admin() as conn:
            conn.execute("SELECT postgis_version()")
    except Exception as exc:  # noqa: BLE001 - any failure here means: no usable database
        pytest.fail(f"no PostGIS at FRONTERA_TEST_DATABASE_URL ({type(exc).__name__}: {exc}). {HOW_TO}", pytrace=False)
    try:
        _make_templates(cluster)
    except Exception as exc:  # noqa: BLE001 - e.g. a user who may not CREATE DATABASE
        pytest.fail(f"could not prepare the test databases ({type(exc).__name__}: {exc}). {HOW_TO}", pytrace=False)
    yield cluster
    if started is not None:
        subprocess.run(["bash", str(SCRIPT), "stop", str(started)], check=False, timeout=120)


def _make_templates(cluster: PgCluster) -> None:
    from frontera.storage.postgis import PostgisStore, dispose

    with cluster.admin() as conn:
        for name in (_TEMPLATE_EMPTY, _TEMPLATE_HEAD):
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    import psycopg
    from sqlalchemy.engine import make_url

    for name in (_TEMPLATE_EMPTY, _TEMPLATE_HEAD):
        u = make_url(cluster.url_for(name))
        with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=name, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    head = cluster.url_for(_TEMPLATE_HEAD)
    PostgisStore(head).upgrade_schema()
    dispose(head)  # a template must have no open connection when it is copied


def _fresh_database(cluster: PgCluster, template: str):
    from frontera.storage.postgis import dispose

    name = f"t_{secrets.token_hex(6)}"
    with cluster.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    url = cluster.url_for(name)
    try:
        yield url
    finally:
        dispose(url)
        try:
            with cluster.admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:  # noqa: BLE001,S110 - a test that restarted the server may leave it starting up
            pass


@pytest.fixture
def pg_empty_url(pg_cluster):
    """A fresh database with PostGIS and no Frontera schema."""
    yield from _fresh_database(pg_cluster, _TEMPLATE_EMPTY)


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh database with Frontera's schema at head (as after `frontera db upgrade`)."""
    yield from _fresh_database(pg_cluster, _TEMPLATE_HEAD)


@pytest.fixture
def postgis_store(pg_url):
    from frontera.storage.postgis import PostgisStore

    return PostgisStore(pg_url)
