"""Pure filters: which records a view shows, and the figures above the map."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from frontera.model.dates import DateWindow, overlaps
from frontera.model.focus import Focus, focus_mask
from frontera.model.layers import TIME_LAYERS, feeding
from frontera.model.records import split_ids
from frontera.model.view import View
from frontera.storage.geopackage import Situation


def in_window(records: gpd.GeoDataFrame, window: DateWindow) -> gpd.GeoDataFrame:
    """Records whose ``[date_start, date_end]`` overlaps the window (inclusive; empty end = ongoing).

    When every record does, ``records`` itself (as :func:`in_focus` without a focus): record frames are
    never changed in place, and copying 1,000,000 records on every run at all dates cost about a second."""
    if not len(records):
        return records
    shown = overlaps(records["date_start"], records["date_end"], window)
    if shown.all():
        return records
    # By positions: a boolean mask over a frame of text columns copies nearly twice as slowly (1M rows).
    return records.take(np.flatnonzero(shown))


def in_focus(records: gpd.GeoDataFrame, focus: Focus) -> gpd.GeoDataFrame:
    """Records that pass every focus filter (kind, actor, deaths, source, precisions); vectorised."""
    return records if not focus.active or not len(records) else records[focus_mask(records, focus)]


def visible_records(situation: Situation, view: View) -> dict[str, gpd.GeoDataFrame]:
    """The time-bound records the view shows, per layer (only the layers it names): in its dates and its
    focus. Every page, the metrics, the map, the feed and the exports take their records from here."""
    return {
        layer: in_focus(in_window(situation.records[layer], view.window), view.focus)
        for layer in TIME_LAYERS
        if layer in view.layers
    }


@dataclass(frozen=True)
class Report:
    """One report of people displaced, as the metric shows it (never summed across reports)."""

    record_id: str
    people: int
    disagrees_with: tuple[str, ...]


@dataclass(frozen=True)
class Metrics:
    """The figures above the map: reports of people displaced, fatalities, and a count per counted layer
    (``counts``: ``(layer, n)`` in record order, the layers whose registry entry feeds ``"count"``)."""

    displaced_reports: tuple[Report, ...]
    fatalities: int
    counts: tuple[tuple[str, int], ...] = ()

    def count(self, layer: str) -> int:
        """How many records of ``layer`` are shown (0 for a layer that is not counted)."""
        return dict(self.counts).get(layer, 0)

    def report_groups(self) -> list[list[Report]]:
        """Reports grouped with those they disagree with (one group per movement)."""
        groups: list[list[Report]] = []
        placed: dict[str, int] = {}
        for r in self.displaced_reports:
            home = next((placed[d] for d in r.disagrees_with if d in placed), None)
            if home is None:
                groups.append([r])
                placed[r.record_id] = len(groups) - 1
            else:
                groups[home].append(r)
                placed[r.record_id] = home
        return groups

    @property
    def displaced_text(self) -> str:
        """E.g. ``"400 or 600 · 4,187"``: disagreeing reports side by side, never added up."""
        if not self.displaced_reports:
            return "0"
        return " · ".join(" or ".join(f"{r.people:,}" for r in g) for g in self.report_groups())

    @property
    def displaced_detail(self) -> str:
        """E.g. ``"400 (F1) or 600 (F2): reports disagree, not added up · 4,187 (F4)"``."""
        parts = []
        for g in self.report_groups():
            text = " or ".join(f"{r.people:,} ({r.record_id})" for r in g)
            parts.append(text + (": reports disagree, not added up" if len(g) > 1 else ""))
        return " · ".join(parts)


def metrics(visible: dict[str, gpd.GeoDataFrame], all_layers: bool = False) -> Metrics:
    """Figures for the records shown, from the layers that feed each (:func:`frontera.model.layers.feeding`).

    ``people`` counts only flows of people leaving (status displaced).
    """
    reports: tuple[Report, ...] = ()
    for spec in feeding("people"):
        flows = visible.get(spec.name)
        if flows is not None and len(flows):
            displaced = flows[(flows["status"] == "displaced") & flows["people"].notna()]
            reports += tuple(
                Report(str(r.id), int(r.people), tuple(split_ids(r.disagrees_with))) for r in displaced.itertuples()
            )
    fatalities = 0
    for spec in feeding("fatalities"):
        f = visible.get(spec.name)
        if f is not None and len(f):
            fatalities += int(f["fatalities"].fillna(0).sum())
    counts = tuple((spec.name, len(visible.get(spec.name, []))) for spec in feeding("count"))
    return Metrics(reports, fatalities, counts)
