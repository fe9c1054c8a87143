"""Shared helpers of the import tests (not a test module)."""

from pathlib import Path

from frontera import store
from frontera.importers import prepare_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_SITUATION = None


def situation():
    global _SITUATION  # noqa: PLW0603 - the bundled situation is read once per test session
    if _SITUATION is None:
        _SITUATION = store.load_situation(include_user=False)
    return _SITUATION


def plan_for(name: str, data: bytes | None = None, import_id: str = "T1", existing=None):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return prepare_import(name, data, situation(), existing if existing is not None else store.read_user_records(),
                          import_id=import_id)


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
    """``n`` ACLED rows in the current layout, inside the map region (bulk tests and benchmarks)."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    subs = {"Battles": "Armed clash", "Violence against civilians": "Attack", "Protests": "Peaceful protest",
            "Riots": "Mob violence", "Strategic developments": "Arrests", "Explosions/Remote violence": "Air/drone strike"}
    types = np.array(list(subs))
    et = types[rng.integers(0, len(types), n)]
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    return pd.DataFrame({
        "event_id_cnty": [f"MEX{i}" for i in range(n)], "event_date": days.strftime("%d %B %Y"), "year": days.year,
        "time_precision": rng.integers(1, 4, n), "disorder_type": "Political violence", "event_type": et,
        "sub_event_type": [subs[t] for t in et], "actor1": "Sinaloa Cartel", "assoc_actor_1": "",
        "inter1": "Political militia", "actor2": "Civilians (Mexico)", "assoc_actor_2": "", "inter2": "Civilians",
        "interaction": "Political militia-Civilians", "civilian_targeting": "", "iso": 484,
        "region": "Central America", "country": "Mexico", "admin1": "Chiapas", "admin2": "Amatenango de la Frontera",
        "admin3": "", "location": "Amatenango de la Frontera", "latitude": np.round(rng.uniform(14.6, 17.9, n), 4),
        "longitude": np.round(rng.uniform(-94.0, -90.5, n), 4), "geo_precision": rng.integers(1, 4, n),
        "source": "El Heraldo de Chiapas", "source_scale": "Subnational",
        "notes": "On a day, members of a cartel attacked civilians near the town; two people were reported killed.",
        "fatalities": rng.integers(0, 5, n), "tags": "", "timestamp": 1722902400})
