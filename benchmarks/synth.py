"""Synthetic ACLED-like clashes around the towns of the region, for benchmarks (deterministic per seed).

ACLED codes an event at the coordinates of a named place: most events of a town
share its exact point, some sit near it, a few at a municipality or region
centroid. Towns are drawn with a heavy tail (big towns see most events), dates
spread over eight years, fatalities are mostly zero with a long tail, a few
unknown.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.model.records import EVENT_KINDS, REGION_BOUNDS
from frontera.storage.geopackage import CRS, geodata_dir, normalize_records

ACTORS = (
    "Sinaloa cartel",
    "Jalisco New Generation cartel",
    "Police Forces of Mexico (2018-)",
    "Military Forces of Mexico (2018-)",
    "National Guard of Mexico",
    "Unidentified armed group (Mexico)",
    "Police Forces of Guatemala (2024-)",
    "Military Forces of Guatemala (2024-)",
    "Civilians (Mexico)",
    "Migrants (Guatemala)",
    "Unidentified gang (Guatemala)",
    "Rioters (Mexico)",
    "Protesters (Guatemala)",
)
PUBLISHERS = (
    "El Heraldo de Chiapas",
    "Prensa Libre",
    "Diario del Sur",
    "La Jornada",
    "Soy502",
    "Proceso",
    "Cuarto Poder",
    "Milenio",
    "El Universal",
    "Nomada",
)
START = np.datetime64("2018-01-01")
DAYS = 8 * 365


def clash_events(n: int, seed: int = 7, towns: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """``n`` clash records (normalised, ``RECORD_COLUMNS``) clustered around the region's towns."""
    rng = np.random.default_rng(seed)
    if towns is None:
        towns = gpd.read_file(geodata_dir() / "towns.geojson")
    x0, y0, x1, y1 = REGION_BOUNDS
    towns = towns.cx[x0 + 0.5 : x1 - 0.5, y0 + 0.5 : y1 - 0.5].reset_index(drop=True)
    weight = np.sqrt(towns["population"].fillna(1000).clip(lower=1000).to_numpy(float))
    town = rng.choice(len(towns), size=n, p=weight / weight.sum())
    tx, ty = towns.geometry.x.to_numpy()[town], towns.geometry.y.to_numpy()[town]
    precision = rng.choice(
        np.array(["town", "near-town", "municipality", "region"], dtype=object), size=n, p=[0.7, 0.18, 0.09, 0.03]
    )
    # Near-town and wider events sit at one of a few hundred named spots per town, as in ACLED's gazetteer.
    spread = np.select(
        [precision == "near-town", precision == "municipality", precision == "region"], [0.03, 0.12, 0.35], 0.0
    )
    spot = rng.integers(0, 40, size=n)
    spot_rng = np.random.default_rng(seed + 1)
    jitter = spot_rng.normal(size=(40, 2))
    lon = np.round(tx + jitter[spot, 0] * spread, 4)
    lat = np.round(ty + jitter[spot, 1] * spread, 4)
    day = START + rng.integers(0, DAYS, size=n).astype("timedelta64[D]")
    date_precision = rng.choice(np.array(["day", "week", "month"], dtype=object), size=n, p=[0.85, 0.1, 0.05])
    fatalities = rng.geometric(0.55, size=n) - 1
    fatalities = np.where(rng.random(n) < 0.03, -1, fatalities)
    kinds = np.array((*EVENT_KINDS[:4], "protest or riot"), dtype=object)
    kind = rng.choice(kinds, size=n, p=[0.35, 0.25, 0.25, 0.05, 0.10])
    a1 = rng.integers(0, len(ACTORS), size=n)
    a2 = rng.integers(0, len(ACTORS), size=n)
    actor_table = np.array([f"{a}; {b}" for a in ACTORS for b in ACTORS], dtype=object)
    iso = np.where(lon < -92.2, "MEX", "GTM")
    ids = pd.Series(iso).str.cat(pd.Series(np.arange(100000, 100000 + n).astype(str)))
    town_names = towns["name"].to_numpy(object)[town]
    title = pd.Series(kind).str.capitalize().str.cat(pd.Series(town_names), sep=" near ")
    publisher = np.array(PUBLISHERS, dtype=object)[rng.integers(0, len(PUBLISHERS), size=n)]
    frame = pd.DataFrame(
        {
            "layer": "clashes",
            "id": ids.to_numpy(object),
            "title": title.to_numpy(object),
            "date_start": day,
            "date_end": day,
            "date_precision": np.where(date_precision == "day", "day", date_precision),
            "geo_precision": precision,
            "source_ids": "acled",
            "fatalities": pd.array(np.where(fatalities < 0, pd.NA, fatalities), dtype="Int64"),
            "kind": kind,
            "actors": actor_table[a1 * len(ACTORS) + a2],
            "summary": "Reported by " + pd.Series(publisher) + ": " + title + ".",
            "place_note": pd.Series(town_names).radd("ACLED location: ").to_numpy(object),
            "dataset": "acled-synthetic",
        }
    )
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=CRS)
    return normalize_records(gdf)


def acled_rows(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` rows of an ACLED export (current column layout) inside the map region, for the import
    benchmark and the bulk import test: every row valid, distinct ``event_id_cnty``, points spread
    over the region.
    """
    rng = np.random.default_rng(seed)
    subs = {
        "Battles": "Armed clash",
        "Violence against civilians": "Attack",
        "Protests": "Peaceful protest",
        "Riots": "Mob violence",
        "Strategic developments": "Arrests",
        "Explosions/Remote violence": "Air/drone strike",
    }
    types = np.array(list(subs))
    et = types[rng.integers(0, len(types), n)]
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    return pd.DataFrame(
        {
            "event_id_cnty": [f"MEX{i}" for i in range(n)],
            "event_date": days.strftime("%d %B %Y"),
            "year": days.year,
            "time_precision": rng.integers(1, 4, n),
            "disorder_type": "Political violence",
            "event_type": et,
            "sub_event_type": [subs[t] for t in et],
            "actor1": "Sinaloa Cartel",
            "assoc_actor_1": "",
            "inter1": "Political militia",
            "actor2": "Civilians (Mexico)",
            "assoc_actor_2": "",
            "inter2": "Civilians",
            "interaction": "Political militia-Civilians",
            "civilian_targeting": "",
            "iso": 484,
            "region": "Central America",
            "country": "Mexico",
            "admin1": "Chiapas",
            "admin2": "Amatenango de la Frontera",
            "admin3": "",
            "location": "Amatenango de la Frontera",
            "latitude": np.round(rng.uniform(14.6, 17.9, n), 4),
            "longitude": np.round(rng.uniform(-94.0, -90.5, n), 4),
            "geo_precision": rng.integers(1, 4, n),
            "source": "El Heraldo de Chiapas",
            "source_scale": "Subnational",
            "notes": "On a day, members of a cartel attacked civilians near the town; two people were reported killed.",
            "fatalities": rng.integers(0, 5, n),
            "tags": "",
            "timestamp": 1722902400,
        }
    )


def native_clashes_geojson(tag: str, n: int, *, dataset: str = "mine", spread: bool = False) -> bytes:
    """``n`` clashes with ids ``<tag>-<k>`` in Frontera's own GeoJSON (an import file for store tests and
    load runs); ``spread`` scatters them over a few hundred metres instead of a line of 1 km steps."""
    import json

    def where(k: int) -> list[float]:
        return [-92.1 + k / 1000, 15.4 + (k % 7) / 100] if spread else [-92.1 + k / 100, 15.4]

    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": where(k)},
            "properties": {
                "layer": "clashes",
                "id": f"{tag}-{k}",
                "title": f"{tag} {k}",
                "date_start": "2024-07-01",
                "date_precision": "day",
                "geo_precision": "town",
                "source_ids": "me",
                "dataset": dataset,
            },
        }
        for k in range(n)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
