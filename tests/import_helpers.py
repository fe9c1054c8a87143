"""Shared helpers of the import tests (not a test module)."""

from pathlib import Path

from frontera.importers import prepare_import
from frontera.storage import geopackage as store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_SITUATION = None


def situation():
    global _SITUATION  # noqa: PLW0603 - the bundled situation is read once per test session
    if _SITUATION is None:
        _SITUATION = store.load_situation(include_user=False)
    return _SITUATION


def plan_for(name: str, data: bytes | None = None, import_id: str = "T1", existing=None):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return prepare_import(
        name, data, situation(), existing if existing is not None else store.read_user_records(), import_id=import_id
    )


def import_file(name: str, data: bytes | None = None, import_id: str = "T1"):
    data = (FIXTURES / name).read_bytes() if data is None else data
    plan = plan_for(name, data, import_id)
    store.commit_import(plan, data)
    return plan


def by_id(plan, record_id: str) -> dict:
    recs = plan.records.set_index("id")
    return recs.loc[record_id].to_dict()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def synthetic_acled(n: int, seed: int = 0):
    """``n`` ACLED rows in the current layout, inside the map region (the benchmark's own generator)."""
    from benchmarks.synth import acled_rows

    return acled_rows(n, seed)
