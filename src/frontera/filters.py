"""Pure filters: which records a view shows, and the figures above the map."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from frontera.model.dates import DateWindow, overlaps
from frontera.model.focus import Focus, focus_mask
from frontera.model.records import TIME_LAYERS, split_ids
from frontera.model.view import View
from frontera.storage.geopackage import Situation


def in_window(records: gpd.GeoDataFrame, window: DateWindow) -> gpd.GeoDataFrame:
    """Records whose ``[date_start, date_end]`` overlaps the window (inclusive; empty end = ongoing)."""
    if not len(records):
        return records
    return records[overlaps(records["date_start"], records["date_end"], window)]


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
    displaced_reports: tuple[Report, ...]
    fatalities: int
    clashes: int
    incidents: int
    operations: int

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
    """Figures for the records shown. ``people`` counts only flows of people leaving (status displaced)."""
    empty = pd.DataFrame(columns=["people", "fatalities", "status", "id", "disagrees_with"])
    flows = visible.get("flows", empty)
    displaced = flows[(flows["status"] == "displaced") & flows["people"].notna()] if len(flows) else flows
    reports = tuple(
        Report(str(r.id), int(r.people), tuple(split_ids(r.disagrees_with))) for r in displaced.itertuples()
    )
    fatalities = 0
    for layer in ("clashes", "incidents"):
        f = visible.get(layer)
        if f is not None and len(f):
            fatalities += int(f["fatalities"].fillna(0).sum())
    count = lambda layer: len(visible.get(layer, [])) if layer in visible else 0  # noqa: E731
    return Metrics(reports, fatalities, count("clashes"), count("incidents"), count("operations"))
