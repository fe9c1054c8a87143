"""The timeline chart: every time-bound record of a view as a span (or a tick for one day). Altair, no Streamlit."""

from __future__ import annotations

import altair as alt
import pandas as pd

from frontera.filters import visible_records
from frontera.store import Situation
from frontera.view import View

LAYER_COLOURS = {"flows": "#c2410c", "clashes": "#b91c1c", "incidents": "#1d4ed8", "operations": "#6d28d9"}


def timeline_frame(situation: Situation, view: View) -> pd.DataFrame:
    """One row per record shown: its span, with ongoing records drawn to the end of the window."""
    rows = []
    for layer, recs in visible_records(situation, view).items():
        for rec in recs.itertuples():
            ongoing = pd.isna(rec.date_end)
            end = pd.Timestamp(view.window.end) if ongoing else rec.date_end
            rows.append({
                "layer": layer, "id": rec.id, "label": f"{rec.id} · {rec.title[:70]}", "title": rec.title,
                "start": rec.date_start, "end": end + pd.Timedelta(days=1),  # inclusive end: bar covers the last day
                "dates": f"{rec.date_start.date()} – {'ongoing' if ongoing else rec.date_end.date()}",
                "date_precision": rec.date_precision, "date_note": rec.date_note,
                "on_map": rec.geometry is not None and not rec.geometry.is_empty,
            })
    return pd.DataFrame(rows, columns=["layer", "id", "label", "title", "start", "end", "dates", "date_precision",
                                       "date_note", "on_map"])


def timeline_chart(frame: pd.DataFrame, view: View) -> alt.Chart:
    domain = [pd.Timestamp(view.window.start), pd.Timestamp(view.window.end) + pd.Timedelta(days=1)]
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2, height=12)
        .encode(
            x=alt.X("start:T", title="Date", scale=alt.Scale(domain=domain)),
            x2="end:T",
            y=alt.Y("label:N", sort=alt.EncodingSortField("start"), title=None,
                    axis=alt.Axis(labelLimit=420, labelOverlap=False)),
            color=alt.Color("layer:N", scale=alt.Scale(domain=list(LAYER_COLOURS), range=list(LAYER_COLOURS.values())),
                            legend=alt.Legend(title="Layer", orient="top")),
            tooltip=["id", "title", "layer", "dates", "date_precision", "date_note"],
        )
        .properties(height=alt.Step(24))  # one row per record, every label shown
    )
