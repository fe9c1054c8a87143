"""Alembic's environment for Frontera's PostGIS schema (run by :mod:`frontera.storage.pg_schema`).

The caller hands over an open connection in ``config.attributes["connection"]``: the URL never
goes through alembic.ini, so no password is written anywhere. The version table lives in the
``frontera`` schema beside the tables it describes.
"""

from __future__ import annotations

from alembic import context

SCHEMA = "frontera"


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, version_table_schema=SCHEMA, transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


if (
    getattr(context, "config", None) is not None
):  # run by Alembic; merely imported (e.g. by a doc check) it does nothing
    run_migrations()
