"""The timeline chart: every time-bound record of a view as a bar over the days it covers. Altair, no Streamlit.

Bars are at least :data:`MIN_BAR_SHARE` of the range wide, so a one-day event shows;
a record still going on runs to the end of the range and ends in an arrow, and its
tooltip says "ongoing". A click on a bar selects the record (the selection parameter
:data:`PICK`, with the record's ``id``). Data reaches the chart only as field values
(Vega's tooltips and labels show them as text); no Vega expression is built from data.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from frontera.filters import visible_records
from frontera.i18n import N_, _, format_date, vega_locale
from frontera.model.layers import REGISTRY
from frontera.model.view import View
from frontera.storage.geopackage import Situation

#: Each dated layer's name in the legend (translated where drawn).
LAYER_TITLES = {spec.name: spec.short_title for spec in REGISTRY if spec.dated}
ONGOING_NO_END = N_("ongoing: no end reported")
ENDED = N_("ended")
#: One hue per layer, far apart (the map's flow orange and clash red look alike on a bar), from the registry.
LAYER_COLOURS = {spec.name: spec.colour for spec in REGISTRY if spec.dated}
#: The narrowest bar, as a share of the range shown (1/60 is about 8 px beside the labels on a laptop screen).
MIN_BAR_SHARE = 1 / 60
#: The chart's selection parameter: a click on a bar puts the record's id in it.
PICK = "pick"
COLUMNS = [
    "layer",
    "layer_title",
    "id",
    "label",
    "title",
    "start",
    "end",
    "bar_start",
    "bar_end",
    "ongoing",
    "dates",
    "status",
    "date_precision",
    "date_note",
    "on_map",
]


def _min_span(view: View) -> pd.Timedelta:
    days = (view.window.end - view.window.start).days + 1
    return pd.Timedelta(days=max(1, math.ceil(days * MIN_BAR_SHARE)))  # whole days: the chart gets dates


def timeline_frame(situation: Situation, view: View) -> pd.DataFrame:
    """One row per record shown: its days (``start`` to ``end``, ``end`` exclusive; the range's end for a
    record still going on) and the bar drawn (``bar_start`` to ``bar_end``: inside the range, at least
    the minimum width)."""
    rows = []
    range_start = pd.Timestamp(view.window.start)
    range_end = pd.Timestamp(view.window.end) + pd.Timedelta(days=1)
    shortest = _min_span(view)
    for layer, recs in visible_records(situation, view).items():
        for rec in recs.itertuples():
            ongoing = bool(pd.isna(rec.date_end))
            end = range_end if ongoing else rec.date_end + pd.Timedelta(days=1)  # inclusive end: covers the last day
            bar_start, bar_end = max(rec.date_start, range_start), min(end, range_end)
            if bar_end - bar_start < shortest:  # widen short bars, inside the range
                bar_end = min(bar_start + shortest, range_end)
                bar_start = bar_end - shortest
            rows.append(
                {
                    "layer": layer,
                    "layer_title": _(LAYER_TITLES.get(layer, layer)),
                    "id": rec.id,
                    "label": f"{rec.id} · {rec.title[:70]}",
                    "title": rec.title,
                    "start": rec.date_start,
                    "end": end,
                    "bar_start": bar_start,
                    "bar_end": bar_end,
                    "ongoing": ongoing,
                    "dates": _dates(rec.date_start, None if ongoing else rec.date_end),
                    "status": _(ONGOING_NO_END) if ongoing else _(ENDED),
                    "date_precision": rec.date_precision,
                    "date_note": rec.date_note,
                    "on_map": rec.geometry is not None and not rec.geometry.is_empty,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


ROW_PX = 24
LABEL_PX = 200  # the widest record label on the left
LEGEND_PX = 30  # the legend's band above the bars
CHROME_PX = 90  # the legend above and the date axis below


def _dates(start: pd.Timestamp, end: pd.Timestamp | None) -> str:
    """``"3 Aug 2024 – 9 Aug 2024"``, ``"3 ago 2024 – en curso"``, in the current language."""
    last = _("ongoing") if end is None else format_date(end.date(), style="medium")
    return f"{format_date(start.date(), style='medium')} – {last}"


def timeline_chart(frame: pd.DataFrame, view: View) -> alt.LayerChart | alt.FacetChart:
    """Bars per record over a dated axis (month and year), coloured by layer; ongoing records end in an arrow."""
    first, last = pd.Timestamp(view.window.start), pd.Timestamp(view.window.end) + pd.Timedelta(days=1)
    data = frame.drop(columns=["start", "end"]).assign(
        bar_start=frame["bar_start"].dt.strftime("%Y-%m-%d"), bar_end=frame["bar_end"].dt.strftime("%Y-%m-%d")
    )
    tooltip = [
        alt.Tooltip("id:N", title=_("id")),
        alt.Tooltip("title:N", title=_("title")),
        alt.Tooltip("layer_title:N", title=_("layer")),
        alt.Tooltip("dates:N", title=_("dates")),
        alt.Tooltip("status:N", title=_("status")),
        alt.Tooltip("date_precision:N", title=_("date precision")),
        alt.Tooltip("date_note:N", title=_("as reported")),
    ]
    x = alt.X("bar_start:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True, grid=True, tickCount="month"))
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("bar_start"),
        title=None,
        axis=alt.Axis(labelLimit=LABEL_PX, minExtent=LABEL_PX, labelOverlap=False),
    )  # room for bars on a phone
    # The legend starts above the labels (a band of LABEL_PX, however short they are), not at the bars:
    # on a phone the bars begin 200 px in, and a legend starting there ran off the chart's right edge.
    colour = alt.Color(
        "layer_title:N",
        scale=alt.Scale(domain=[_(LAYER_TITLES[n]) for n in LAYER_COLOURS], range=list(LAYER_COLOURS.values())),
        legend=alt.Legend(
            title=None,
            orient="none",
            direction="horizontal",
            symbolType="square",
            legendX=-LABEL_PX,
            legendY=-LEGEND_PX,
        ),
    )
    base = alt.Chart(data).encode(y=y, color=colour, tooltip=tooltip)
    bars = (
        base.mark_bar(cornerRadius=2, height=12)
        .encode(x=x, x2="bar_end:T")
        .add_params(alt.selection_point(name=PICK, fields=["id"], on="click"))
    )
    arrows = (
        base.transform_filter(alt.datum.ongoing)
        .mark_point(shape="triangle-right", filled=True, size=110, opacity=1)
        .encode(x="bar_end:T")
    )
    # The axis spans the whole range through two invisible marks at its ends: an explicit scale domain
    # makes Vega-Lite warn of conflicting domains (x with x2) and draw nothing.
    ends = alt.Chart(pd.DataFrame({"bar_start": [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]}))
    extent = ends.mark_rule(opacity=0).encode(x="bar_start:T")
    # A fixed height of one row per record plus the legend and axis ("fit" sizing counts them in); a Step
    # height would make Streamlit's "fit" autosize warn. Month names on the axis: the session's language.
    padding = {"top": LEGEND_PX + 5, "left": 5, "right": 5, "bottom": 5}
    chart = alt.layer(extent, bars, arrows).properties(height=ROW_PX * max(len(frame), 1) + CHROME_PX, padding=padding)
    return chart.configure(locale=vega_locale())
