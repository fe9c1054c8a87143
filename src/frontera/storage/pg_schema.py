"""The PostGIS store's schema: which revision a database is at, and ``frontera db upgrade``.

The schema is made and changed only by the Alembic migrations shipped in
``frontera/storage/migrations``. Frontera refuses to read or write a database whose schema
it does not know (none yet, an older revision, or one made by a newer Frontera), with a message
that names the database (never its password) and the fix.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from frontera.errors import SchemaError
from frontera.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA = "frontera"
FIX = N_("Fix: run `frontera db upgrade` (with the same FRONTERA_DATABASE_URL), then start Frontera again.")


def _config():
    from alembic.config import Config  # noqa: PLC0415 - Alembic is needed only with a database

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest revision this Frontera knows."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package ships at least one migration
    return head


@functools.cache
def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return frozenset(s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions())


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at, or None when it has no Frontera schema (two indexed look-ups:
    this runs once per page rerun, before anything is read)."""
    if conn.exec_driver_sql(f"SELECT to_regclass('{SCHEMA}.alembic_version')").scalar() is None:
        return None
    rows = conn.exec_driver_sql(f"SELECT version_num FROM {SCHEMA}.alembic_version").scalars().all()  # noqa: S608 - a constant
    return rows[0] if len(rows) == 1 else None


def schema_problem(conn: Connection, label: str) -> str | None:
    """Why Frontera cannot use this database's schema (a sentence with the fix), or None when it can."""
    rev = current_revision(conn)
    head = head_revision()
    if rev == head:
        return None
    if rev is None:
        return _("the database {label} has no Frontera schema yet. {fix}").format(label=label, fix=_(FIX))
    if rev not in known_revisions():
        return _(
            "the database {label} has schema revision {rev}, made by a newer Frontera than this one "
            "(which knows up to {head}). Fix: install the newer Frontera; do not downgrade the database."
        ).format(label=label, rev=rev, head=head)
    return _("the database {label} has schema revision {rev}; this Frontera needs {head}. {fix}").format(
        label=label, rev=rev, head=head, fix=_(FIX)
    )


def check_schema(conn: Connection, label: str) -> None:
    problem = schema_problem(conn, label)
    if problem:
        raise SchemaError(problem)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or migrate the schema to the head revision, in one transaction. Returns (before, after)."""
    from alembic import command  # noqa: PLC0415

    cfg = _config()
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7021001)")  # two upgrades at once: one waits
        before = current_revision(conn)
        if before is not None and before not in known_revisions():
            raise SchemaError(str(schema_problem(conn, engine.url.render_as_string(hide_password=True))))
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")  # Alembic's version table lives there
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        after = current_revision(conn)
    return before, after or ""
