"""The first schema: one table per time-bound layer, the import log, kept files, history, a change counter.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Point layers get a Point column (QGIS names the type); flows and operations mix line or area kinds.
GEOMETRY = {"flows": "GEOMETRY", "clashes": "POINT", "incidents": "POINT", "operations": "GEOMETRY"}
#: The record's columns in export-contract order (``source_urls``, ``origin``, ``destination`` derived).
TEXT: Any = sa.Text
INT: Any = sa.BigInteger
FLOAT: Any = sa.Float(precision=53)
RECORD: list[tuple[str, Any, bool]] = [
    ("layer", TEXT, False),
    ("title", TEXT, False),
    ("date_start", sa.Date, True),
    ("date_end", sa.Date, True),
    *((c, TEXT, True) for c in ("date_precision", "geo_precision", "source_ids", "source_urls")),
    *((c, INT, True) for c in ("people", "fatalities", "injured")),
    *((c, TEXT, True) for c in ("status", "origin", "destination", "origin_ids", "destination_id", "kind")),
    *((c, TEXT, True) for c in ("domain", "actors", "summary", "date_note", "place_note")),
    ("uncertainty_km", FLOAT, True),
    *((c, TEXT, True) for c in ("people_wording", "disagrees_with", "extent_note", "dataset")),
    ("source_timestamp", INT, True),
]


def _layer_table(layer: str, kind: str) -> None:
    op.create_table(
        layer,
        sa.Column("id", sa.Text, primary_key=True),
        *(sa.Column(name, type_, nullable=nullable) for name, type_, nullable in RECORD),
        sa.Column("extra", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_by", sa.Text),
        sa.Column("geom", Geometry(geometry_type=kind, srid=4326, spatial_index=False)),
        schema="frontera",
        comment=f"Frontera: imported {layer} (export contract columns)",
    )
    op.create_index(f"{layer}_geom_gist", layer, ["geom"], schema="frontera", postgresql_using="gist")
    op.create_index(f"{layer}_dataset", layer, ["dataset"], schema="frontera")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE SCHEMA IF NOT EXISTS frontera")
    for layer, kind in GEOMETRY.items():
        _layer_table(layer, kind)
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
