"""The feed beside the map: the records a view shows, newest first, as short lines of plain text.

Pure (no Streamlit): :func:`feed_items` takes the records already filtered by
:func:`frontera.filters.visible_records` (dates, layers and focus), so the feed lists the
same set as the map, the figures and the exports. Only the newest ``limit`` are shaped
into text; the rest are counted, so thousands of records cost one sort.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from frontera.i18n import N_, _, format_date
from frontera.model.layers import VOCABULARY
from frontera.model.records import split_ids

#: How many records the feed lists; the rest are counted.
FEED_SIZE = 30
_COLUMNS = ("id", "layer", "title", "date_start", "date_end", "kind", "status", "place_note", "origin_ids")
_MORE = ("destination_id", "extent_note", "source_ids")


@dataclass(frozen=True)
class FeedItem:
    """One line of the feed; every field is plain text taken from the data (never markup)."""

    record_id: str
    layer: str
    title: str
    date: str
    kind: str
    place: str
    sources: str

    @property
    def meta(self) -> str:
        """``"16 Jul 2024 – ongoing · armed clash · Amatenango de la Frontera area · TRT World, Meganoticias"``."""
        return " · ".join(part for part in (self.date, self.kind, self.place, self.sources) if part)


#: What a record without a kind is called in the feed, by its layer.
_LAYER_KIND = {"operations": N_("operation"), "clashes": N_("clash"), "incidents": N_("incident")}


def _iso(value: object) -> str:
    """A day as the session's language writes it, short: ``16 Jul 2024``, ``16 jul 2024``."""
    return "" if value is None or pd.isna(value) else format_date(pd.Timestamp(value).date(), style="medium")


def _date_text(start: object, end: object) -> str:
    s, e = _iso(start), _iso(end)
    if not e:
        return _("{start} – ongoing").format(start=s)
    return s if s == e else f"{s} – {e}"


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


def _kind_text(rec: Mapping) -> str:
    kind = _text(rec["kind"])
    if kind:
        return _(kind) if kind in VOCABULARY else kind  # Frontera's own kinds translated; a source's as written
    if rec["layer"] == "flows":
        status = _text(rec["status"])
        return _("people {status}").format(status=_(status) if status in VOCABULARY else status).strip()
    layer = str(rec["layer"])
    return _(_LAYER_KIND[layer]) if layer in _LAYER_KIND else layer


def _place_text(rec: Mapping, place_names: Mapping[str, str]) -> str:
    if _text(rec["place_note"]):
        return _text(rec["place_note"])
    if _text(rec["origin_ids"]) or _text(rec["destination_id"]):

        def names(ids: object) -> str:
            return ", ".join(place_names.get(i, i) for i in split_ids(ids))

        return f"{names(rec['origin_ids'])} → {names(rec['destination_id'])}"
    return _text(rec["extent_note"])


def _short(text: str, limit: int = 90) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis (the details show it whole)."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _source_names(ids: object, publishers: Mapping[str, str]) -> str:
    names = [publishers.get(i, i) for i in split_ids(ids)]
    return ", ".join(dict.fromkeys(names))


def _newest_candidates(recs: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """The rows that can be among the newest ``limit`` of a layer (all rows tied at the cut stay)."""
    if limit is None or len(recs) <= limit:
        return recs
    starts = pd.to_datetime(recs["date_start"])
    cut = starts.nlargest(limit, keep="all").min()
    return recs.take(np.flatnonzero((starts >= cut).to_numpy()))  # by position: a few rows of 125,000


def newest_first(visible: Mapping[str, pd.DataFrame], limit: int | None = None) -> pd.DataFrame:
    """Every record shown (or the newest ``limit``), in one frame: newest start first, a later end first
    among equal starts (an ongoing record, with no end, first of all), then by id."""
    wanted = [*_COLUMNS, *_MORE]
    frames = [
        pd.DataFrame(_newest_candidates(recs, limit).reindex(columns=wanted), copy=False)
        for recs in visible.values()
        if len(recs)
    ]
    if not frames:
        return pd.DataFrame(columns=wanted)
    allrecs = pd.concat(frames, ignore_index=True)
    order = allrecs.assign(_ongoing=allrecs["date_end"].isna()).sort_values(
        ["date_start", "_ongoing", "date_end", "id"],
        ascending=[False, False, False, True],
        na_position="last",
        kind="stable",
    )
    return order.drop(columns="_ongoing").reset_index(drop=True).head(limit)


def feed_items(
    visible: Mapping[str, pd.DataFrame],
    sources: pd.DataFrame,
    place_names: Mapping[str, str],
    limit: int | None = None,
) -> tuple[list[FeedItem], int]:
    """The newest ``limit`` (default :data:`FEED_SIZE`) records shown, as feed lines, and how many more there are."""
    limit = FEED_SIZE if limit is None else limit
    total = sum(len(recs) for recs in visible.values())
    ordered = newest_first(visible, limit)
    publishers = dict(zip(sources.get("source_id", []), sources.get("publisher", [])))
    items = [
        FeedItem(
            record_id=str(rec["id"]),
            layer=str(rec["layer"]),
            title=_text(rec["title"]),
            date=_date_text(rec["date_start"], rec["date_end"]),
            kind=_kind_text(rec),
            place=_short(_place_text(rec, place_names)),
            sources=_source_names(rec["source_ids"], publishers),
        )
        for rec in ordered.to_dict("records")
    ]
    return items, total - len(items)
