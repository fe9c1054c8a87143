"""The store benchmark still runs, at a tiny size: correctness, not speed (speed is docs/performance.md)."""

from benchmarks import (
    store_bench,  # the project root is on pytest's pythonpath (pyproject.toml)
)


def test_import_bench_adds_then_updates_every_row(tmp_path):
    result = store_bench.import_bench(1_000, tmp_path / "data")
    assert result["rows"] == 1_000
    assert result["import_total_s"] > 0 and result["reimport_total_s"] > 0
    assert result["store_bytes"] > 0


def test_store_load_in_a_fresh_process_then_cached(tmp_path):
    directory = tmp_path / "data"
    written = store_bench.write_store(1_000, directory)
    assert written["events"] == 1_000
    load = store_bench.load_in_fresh_process(directory, "load")
    assert load["events"] >= 1_000  # the bundled records beside the stored ones
    assert load["cached_s"] < load["cold_s"]
    assert load["facts_events"] >= 1_000
    assert 0 < load["rss_after_load_mb"] < 2_048


def test_store_table_names_the_targets():
    text = store_bench.table({"rows": 10, "csv_bytes": 1000, "import_total_s": 1.0, "reimport_total_s": 1.0})
    assert "≤ 15 s" in text and "| re-import" in text
