"""The bundled records in another language: their titles, summaries and notes as this project wrote them.

The bundled records were written by this project, so their texts exist in Spanish too
(``geodata/records.es.csv``: ``id, field, text``). Records imported from other sources keep the
words their source wrote: only rows whose ``dataset`` is ``bundled`` are translated.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

#: The record fields a translation may replace (prose; never ids, dates, counts or controlled values).
TRANSLATABLE = ("title", "summary", "date_note", "place_note", "people_wording", "extent_note", "note", "role", "fact")
BUNDLED = "bundled"


def check_texts(texts: pd.DataFrame, where: str) -> list[str]:
    """Problems with a translation table (unknown field, empty text, a field given twice), each naming the row."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for row, (record_id, fieldname, text) in enumerate(texts[["id", "field", "text"]].itertuples(index=False), start=2):
        if fieldname not in TRANSLATABLE:
            problems.append(f"{where} row {row}: field {fieldname!r} cannot be translated; use one of {TRANSLATABLE}")
        if not str(text).strip():
            problems.append(
                f"{where} row {row}: the text for {record_id} {fieldname} is empty; write it or drop the row"
            )
        if (record_id, fieldname) in seen:
            problems.append(f"{where} row {row}: {record_id} {fieldname} is translated twice; keep one row")
        seen.add((record_id, fieldname))
    return problems


def translate_records(records: dict[str, gpd.GeoDataFrame], texts: pd.DataFrame) -> dict[str, gpd.GeoDataFrame]:
    """``records`` with the bundled rows' prose replaced by ``texts``; frames without a change are the same
    objects, changed ones shallow copies (geometry and untouched columns shared)."""
    if texts.empty:
        return records
    out = {}
    for layer, frame in records.items():
        out[layer] = frame
        if frame.empty or "dataset" not in frame:
            continue
        bundled = frame["dataset"].astype(str) == BUNDLED
        changed = None
        for fieldname, group in texts.groupby("field", sort=False):
            if fieldname not in frame:
                continue
            by_id = dict(zip(group["id"], group["text"]))
            hit = bundled & frame["id"].isin(by_id.keys())
            if not hit.any():
                continue
            changed = frame.copy(deep=False) if changed is None else changed
            changed[fieldname] = changed[fieldname].where(~hit, changed["id"].map(by_id))
        if changed is not None:
            out[layer] = changed
    return out


def translate_static(frame: gpd.GeoDataFrame, texts: pd.DataFrame, key: str = "id") -> gpd.GeoDataFrame:
    """A bundled reference table (crossings, places, the sources' context facts: written by this project) with its
    prose (``note``, ``role``, ``fact``) in ``texts``' language, matched on its ``key`` column; the same object when
    nothing changes."""
    texts = texts[texts["field"].isin([c for c in TRANSLATABLE if c in frame.columns])] if len(texts) else texts
    if texts.empty or frame.empty:
        return frame
    out = frame.copy(deep=False)
    for fieldname, group in texts.groupby("field", sort=False):
        by_id = dict(zip(group["id"], group["text"]))
        hit = out[key].isin(by_id.keys())
        out[fieldname] = out[fieldname].where(~hit, out[key].map(by_id))
    return out
