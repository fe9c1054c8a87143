"""What a GIS user finds in the database: one table per layer with a primary key, SRID 4326, a GiST
index and the export contract's columns; the import log, history and who."""

from __future__ import annotations

import pytest
from import_helpers import fixture_bytes, plan_for

from frontera.export import CONTRACT_COLUMNS
from frontera.model.records import TIME_LAYERS


def _query(store, sql: str, **params):
    with store._engine.connect() as conn:
        return conn.exec_driver_sql(sql, params or None).all()


def test_each_layer_is_a_table_with_pk_srid_4326_gist_and_contract_columns(postgis_store):
    for layer in TIME_LAYERS:
        cols = {
            r[0]
            for r in _query(
                postgis_store,
                "SELECT column_name FROM information_schema.columns WHERE table_schema='frontera' AND table_name=%(t)s",
                t=layer,
            )
        }
        missing = set(CONTRACT_COLUMNS) - cols
        assert not missing, f"{layer} lacks contract columns {missing}"
        assert {"updated_by", "dataset", "geom"} <= cols
        pk = _query(
            postgis_store,
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %(t)s::regclass AND i.indisprimary",
            t=f"frontera.{layer}",
        )
        assert [r[0] for r in pk] == ["id"]
        srid = _query(
            postgis_store,
            "SELECT srid, type FROM geometry_columns WHERE f_table_schema='frontera' AND f_table_name=%(t)s",
            t=layer,
        )
        assert srid and srid[0][0] == 4326, srid
        gist = _query(
            postgis_store,
            "SELECT indexdef FROM pg_indexes WHERE schemaname='frontera' AND tablename=%(t)s "
            "AND indexdef ILIKE '%%USING gist (geom)%%'",
            t=layer,
        )
        assert len(gist) == 1, f"{layer}: no GiST index on geom"


def test_imported_rows_carry_contract_values_geometry_and_who(postgis_store):
    data = fixture_bytes("acled_current.csv")
    plan = plan_for(
        "acled_current.csv", data, import_id="G1", existing=postgis_store.read_records(with_timestamps=True)
    )
    postgis_store.commit_import(plan.again, data, who="ana@example.org")
    rows = _query(
        postgis_store,
        "SELECT id, layer, date_start::text, source_urls, updated_by, ST_SRID(geom), "
        "ST_X(geom), ST_Y(geom) FROM frontera.clashes ORDER BY id",
    )
    expected = plan.records[plan.records["layer"] == "clashes"].sort_values("id")
    assert [r[0] for r in rows] == list(expected["id"])
    for row, (_, rec) in zip(rows, expected.iterrows()):
        assert row[1] == "clashes" and row[2] == rec["date_start"].strftime("%Y-%m-%d")
        assert row[3].startswith("https://"), row  # the export contract's source_urls, filled from sources.csv
        assert row[4] == "ana@example.org" and row[5] == 4326
        assert (row[6], row[7]) == pytest.approx((rec.geometry.x, rec.geometry.y), abs=1e-12)
    log = _query(postgis_store, "SELECT action, import_id, who FROM frontera.import_log")
    assert log == [("import", "G1", "ana@example.org")]
    kept = _query(postgis_store, "SELECT name, data FROM frontera.import_files")
    assert kept[0][0] == "acled_current.csv" and bytes(kept[0][1]) == data


def test_history_table_keeps_replaced_versions_with_the_import_and_who(postgis_store):
    data = fixture_bytes("acled_current.csv")
    first = plan_for(
        "acled_current.csv", data, import_id="H1", existing=postgis_store.read_records(with_timestamps=True)
    )
    postgis_store.commit_import(first.again, data, who="ana")
    changed = data.replace(b"Armed clash", b"Clash (revised)")
    second = plan_for(
        "acled_current.csv", changed, import_id="H2", existing=postgis_store.read_records(with_timestamps=True)
    )
    assert second.updated_ids, "the revised file should update records"
    postgis_store.commit_import(second.again, changed, who="bo")
    rows = _query(
        postgis_store,
        "SELECT record_id, action, import_id, who, before->>'title', before->>'dataset', "
        "ST_SRID(geom) FROM frontera.record_history WHERE import_id = 'H2' ORDER BY record_id",
    )
    assert [r[0] for r in rows] == sorted(second.updated_ids)
    for r in rows:
        assert r[1:4] == ("update", "H2", "bo") and "Armed clash" in r[4] and r[5] == "import:H1" and r[6] == 4326
