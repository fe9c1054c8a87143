"""``frontera db upgrade``: create or migrate the PostGIS store's schema, and say what was done.

Reads ``FRONTERA_DATABASE_URL`` (or ``--url``). The password of the URL never appears in what is
printed. Exit 0 when the schema is at the newest revision afterwards, 2 with one line naming the
database and the fix otherwise.
"""

from __future__ import annotations

import argparse
import os

from frontera.errors import FronteraError
from frontera.terminal import echo


def cmd_db(args: argparse.Namespace) -> int:
    from frontera.storage.postgis import PostgisStore  # noqa: PLC0415

    url = args.url or os.environ.get("FRONTERA_DATABASE_URL", "")
    if not url:
        raise FronteraError(
            "FRONTERA_DATABASE_URL is not set, so Frontera uses its embedded GeoPackage store, which needs no "
            "schema. Fix: set FRONTERA_DATABASE_URL (e.g. postgresql+psycopg://frontera@127.0.0.1:5432/frontera) "
            "or give --url"
        )
    store = PostgisStore(url)
    before, after = store.upgrade_schema()
    if before == after:
        echo(f"the schema of {store.label} is already at revision {after}; nothing to do")
    elif before is None:
        echo(f"created the Frontera schema (revision {after}) in {store.label}")
    else:
        echo(f"migrated the schema of {store.label} from revision {before} to {after}")
    return 0


def register(sub, _view_args) -> None:
    p = sub.add_parser("db", help="the PostgreSQL + PostGIS store: `frontera db upgrade` creates or migrates it")
    p.add_argument("action", choices=["upgrade"], help="upgrade: create or migrate the schema to this version")
    p.add_argument("--url", help="a SQLAlchemy URL (default: FRONTERA_DATABASE_URL)")
    p.set_defaults(func=cmd_db)
