"""``frontera db upgrade``: create or migrate the PostGIS store's schema, and say what was done.

Reads ``FRONTERA_DATABASE_URL`` (or ``--url``). The password of the URL never appears in what is
printed. Exit 0 when the schema is at the newest revision afterwards, 2 with one line naming the
database and the fix otherwise.
"""

from __future__ import annotations

import argparse
import os

from frontera.errors import FronteraError
from frontera.i18n import _
from frontera.terminal import echo


def cmd_db(args: argparse.Namespace) -> int:
    from frontera.storage.postgis import PostgisStore  # noqa: PLC0415

    url = args.url or os.environ.get("FRONTERA_DATABASE_URL", "")
    if not url:
        raise FronteraError(
            _(
                "FRONTERA_DATABASE_URL is not set, so Frontera uses its embedded GeoPackage store, which needs no "
                "schema. Fix: set FRONTERA_DATABASE_URL (e.g. {example}) or give --url"
            ).format(example="postgresql+psycopg://frontera@127.0.0.1:5432/frontera")
        )
    store = PostgisStore(url)
    before, after = store.upgrade_schema()
    if before == after:
        echo(
            _("the schema of {store} is already at revision {after}; nothing to do").format(
                store=store.label, after=after
            )
        )
    elif before is None:
        echo(_("created the Frontera schema (revision {after}) in {store}").format(store=store.label, after=after))
    else:
        echo(
            _("migrated the schema of {store} from revision {before} to {after}").format(
                store=store.label, before=before, after=after
            )
        )
    return 0


def register(sub, _view_args) -> None:
    p = sub.add_parser("db", help=_("the PostgreSQL + PostGIS store: `frontera db upgrade` creates or migrates it"))
    p.add_argument("action", choices=["upgrade"], help=_("upgrade: create or migrate the schema to this version"))
    p.add_argument("--url", help=_("a SQLAlchemy URL (default: FRONTERA_DATABASE_URL)"))
    p.set_defaults(func=cmd_db)
