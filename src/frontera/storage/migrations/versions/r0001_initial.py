"""The first schema: one table per time-bound layer, the import log, kept files, history, a change counter.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Point layers get a Point column (QGIS names the type); flows and operations mix line or area kinds.
GEOMETRY = {"flows": "Geometry", "clashes": "Point", "incidents": "Point", "operations": "Geometry"}

RECORD_SQL = """
    id text PRIMARY KEY,
    layer text NOT NULL,
    title text NOT NULL,
    date_start date,
    date_end date,
    date_precision text,
    geo_precision text,
    source_ids text,
    source_urls text,
    people bigint,
    fatalities bigint,
    injured bigint,
    status text,
    origin text,
    destination text,
    origin_ids text,
    destination_id text,
    kind text,
    domain text,
    actors text,
    summary text,
    date_note text,
    place_note text,
    uncertainty_km double precision,
    people_wording text,
    disagrees_with text,
    extent_note text,
    dataset text,
    source_timestamp bigint,
    extra jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text,
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE SCHEMA IF NOT EXISTS frontera")
    for layer, kind in GEOMETRY.items():
        op.execute(f"CREATE TABLE frontera.{layer} ({RECORD_SQL} geom geometry({kind}, 4326))")
        op.execute(f"CREATE INDEX {layer}_geom_gist ON frontera.{layer} USING gist (geom)")
        op.execute(f"CREATE INDEX {layer}_dataset ON frontera.{layer} (dataset)")
        op.execute(f"COMMENT ON TABLE frontera.{layer} IS 'Frontera: imported {layer} (export contract columns)'")
    op.execute(
        """CREATE TABLE frontera.import_log (
            seq bigserial PRIMARY KEY,
            logged_at timestamptz NOT NULL DEFAULT now(),
            action text NOT NULL,
            import_id text NOT NULL,
            file text,
            who text,
            entry jsonb NOT NULL)"""
    )
    op.execute("CREATE INDEX import_log_import_id ON frontera.import_log (import_id)")
    op.execute(
        """CREATE TABLE frontera.import_files (
            import_id text PRIMARY KEY,
            name text NOT NULL,
            data bytea NOT NULL,
            who text)"""
    )
    op.execute(
        """CREATE TABLE frontera.record_history (
            seq bigserial PRIMARY KEY,
            import_id text NOT NULL,
            record_id text NOT NULL,
            action text NOT NULL CHECK (action IN ('add', 'update', 'delete')),
            changed_at timestamptz NOT NULL DEFAULT now(),
            who text,
            in_effect boolean NOT NULL DEFAULT true,
            layer text,
            before jsonb,
            geom geometry(Geometry, 4326))"""
    )
    op.execute("COMMENT ON COLUMN frontera.record_history.before IS 'the version this change replaced (NULL for add)'")
    op.execute("CREATE INDEX record_history_import_id ON frontera.record_history (import_id)")
    op.execute("CREATE INDEX record_history_record_id ON frontera.record_history (record_id)")
    op.execute("CREATE INDEX record_history_geom_gist ON frontera.record_history USING gist (geom)")
    op.execute(
        """CREATE TABLE frontera.store_state (
            id integer PRIMARY KEY CHECK (id = 1),
            instance uuid NOT NULL DEFAULT gen_random_uuid(),
            changes bigint NOT NULL)"""
    )
    op.execute("INSERT INTO frontera.store_state (id, changes) VALUES (1, 0)")  # a new instance id: a new store


def downgrade() -> None:
    for table in ("store_state", "record_history", "import_files", "import_log", *GEOMETRY):
        op.execute(f"DROP TABLE frontera.{table}")
