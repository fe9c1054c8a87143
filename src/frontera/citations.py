"""Which records cite which source: the Sources and method page's table. Pure."""

from __future__ import annotations

import pandas as pd

from frontera.model.records import split_ids
from frontera.storage.geopackage import Situation


def sources_with_citations(situation: Situation) -> pd.DataFrame:
    """Every source with the ids of the records (all layers) that cite it."""
    cited: dict[str, list[str]] = {}
    for gdf in [*situation.records.values(), situation.crossings, situation.places, situation.border]:
        for rid, sids in zip(gdf["id"], gdf["source_ids"]):
            for sid in split_ids(sids):
                cited.setdefault(sid, []).append(str(rid))
    out = situation.sources.copy()
    out["cited_by"] = [", ".join(cited.get(s, [])) for s in out["source_id"]]
    out["records"] = [len(cited.get(s, [])) for s in out["source_id"]]
    return out
