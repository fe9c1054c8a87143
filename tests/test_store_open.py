"""open_store(): which backend every reader and writer of the user's records gets (issue 10 and 11)."""

import sys
from pathlib import Path

import pytest

import frontera.storage
from frontera.cli import main
from frontera.errors import StoreError
from frontera.storage import DATABASE_URL_VAR, load_situation, open_store
from frontera.storage.base import Store
from frontera.storage.geopackage import GeoPackageStore, store_path


def test_without_a_database_url_the_store_is_the_geopackage_in_the_data_folder(tmp_path):
    store = open_store()
    assert isinstance(store, GeoPackageStore) and isinstance(store, Store)
    assert store.label == str(store_path()) and store.label.startswith(str(tmp_path))
    other = open_store({"FRONTERA_DATA_DIR": str(tmp_path / "elsewhere")})
    assert Path(other.label) == tmp_path / "elsewhere" / "store.gpkg"


def test_a_database_url_asks_for_the_postgis_store_and_says_so_when_it_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "frontera.storage.postgis", None)  # a build without it: import fails
    monkeypatch.delattr(frontera.storage, "postgis", raising=False)
    with pytest.raises(StoreError, match=f"{DATABASE_URL_VAR} is set.*Fix: unset {DATABASE_URL_VAR}"):
        open_store({DATABASE_URL_VAR: "postgresql+psycopg://frontera:secret@127.0.0.1:5432/frontera"})
    monkeypatch.setenv(DATABASE_URL_VAR, "postgresql+psycopg://frontera:secret@127.0.0.1:5432/frontera")
    assert main(["imports"]) == 2
    err = capsys.readouterr().err
    assert DATABASE_URL_VAR in err and "Traceback" not in err and "secret" not in err


def test_load_situation_reads_the_given_store(tmp_path):
    from import_helpers import fixture_bytes, plan_for

    store = GeoPackageStore(tmp_path / "s")
    plan = plan_for("acled_current.csv", fixture_bytes("acled_current.csv"), import_id="A1", existing={})
    store.commit_import(plan.again, fixture_bytes("acled_current.csv"))
    bundled = load_situation(store, include_user=False)
    mine = load_situation(store)
    assert sum(len(f) for f in mine.records.values()) == sum(len(f) for f in bundled.records.values()) + 5
