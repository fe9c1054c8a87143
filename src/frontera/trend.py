"""The trend beside the map: events, fatalities and people displaced per week. Altair, no Streamlit.

Events and fatalities (clashes and incidents) are counted in the week each one starts
(weeks start on Monday; an unknown fatality count counts as 0, as the figures above
the map do). People displaced are drawn per report, one mark each, never summed: two
reports that disagree about the same movement (``disagrees_with``) stand side by side,
as :class:`frontera.filters.Metrics` shows them. Dragging across the events makes the
interval selection :data:`STRETCH`, whose ``day`` values (epoch milliseconds, as Vega
gives them) :func:`stretch_window` turns into a date window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import cast

import altair as alt
import geopandas as gpd
import pandas as pd

from frontera.i18n import N_, _, format_date, format_number, ngettext, vega_locale
from frontera.model.dates import DateWindow
from frontera.model.records import split_ids

#: The chart's interval selection (over x, dates): dragging across the chart sets the date range.
STRETCH = "stretch"
MEASURES = (N_("Events"), N_("Fatalities"), N_("People displaced (per report)"))  # axis titles: translated where drawn
COLUMNS = ["day", "measure", "value", "id", "detail"]
_EVENT_LAYERS = ("clashes", "incidents")
#: Each plot's width (px): with its axis the chart fits a column beside the map on a laptop screen.
PLOT_WIDTH = 170
#: Each plot's height (px): the three rows and the date axis leave the feed most of the column on a laptop.
ROW_HEIGHT = 42


def _monday(stamps: pd.Series) -> pd.Series:
    days = pd.to_datetime(stamps).dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def _weekly(events: pd.DataFrame) -> pd.DataFrame:
    if not len(events):
        return pd.DataFrame(columns=COLUMNS)
    week = _monday(events["date_start"])
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce").fillna(0)
    grouped = pd.DataFrame({"day": week, "n": 1, "f": fatalities}).groupby("day", as_index=False).sum()
    rows = [
        pd.DataFrame({"day": grouped["day"], "measure": MEASURES[0], "value": grouped["n"], "id": ""}),
        pd.DataFrame({"day": grouped["day"], "measure": MEASURES[1], "value": grouped["f"], "id": ""}),
    ]
    out = pd.concat(rows, ignore_index=True)

    def said(measure: str, n: int) -> str:
        if measure == MEASURES[0]:
            return ngettext("{n} event in the week of {day}", "{n} events in the week of {day}", n)
        return ngettext("{n} fatality in the week of {day}", "{n} fatalities in the week of {day}", n)

    out["detail"] = [
        said(m, int(v)).format(n=format_number(int(v)), day=format_date(d.date(), style="medium"))
        for d, m, v in zip(out.day, out.measure, out.value)
    ]
    return out


def _reports(flows: pd.DataFrame) -> pd.DataFrame:
    if not len(flows):
        return pd.DataFrame(columns=COLUMNS)
    shown = flows[(flows["status"] == "displaced") & flows["people"].notna() & flows["date_start"].notna()]
    by_id = {str(i): int(p) for i, p in zip(shown["id"], shown["people"])}
    details = []
    for rec in shown.itertuples():
        others = [f"{format_number(by_id[o])} ({o})" for o in split_ids(rec.disagrees_with) if o in by_id]
        text = _("{n} people ({id}), from {day}").format(
            n=format_number(int(rec.people)),
            id=rec.id,
            day=format_date(pd.Timestamp(rec.date_start).date(), style="medium"),
        )
        also = _("; another report says {others}: not added up").format(others=_(" or ").join(others))
        details.append(text + (also if others else ""))
    return pd.DataFrame(
        {
            "day": _monday(shown["date_start"]).to_numpy(),
            "measure": MEASURES[2],
            "value": shown["people"].astype(int).to_numpy(),
            "id": shown["id"].astype(str).to_numpy(),
            "detail": details,
        },
        columns=COLUMNS,
    )


def trend_frame(records: Mapping[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """Rows ``day`` (a week's Monday), ``measure``, ``value``, ``id`` (a report's id; blank for weekly counts)
    and ``detail`` (the tooltip), from the records per layer (only the layers given count)."""
    events = [records[layer] for layer in _EVENT_LAYERS if layer in records and len(records[layer])]
    frames = [_weekly(pd.concat(events, ignore_index=True) if events else pd.DataFrame())]
    if "flows" in records:
        frames.append(_reports(records["flows"]))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def stretch_window(selection: Mapping[str, object] | None) -> DateWindow | None:
    """The date window a dragged stretch covers (``{"day": [from, to]}``, epoch ms or ISO dates), or None.

    >>> str(stretch_window({"day": [1721606400000, 1722556800000]}))
    '2024-07-22 to 2024-08-02'
    """
    values = (selection or {}).get("day")
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    try:
        days = sorted(_as_day(v) for v in values)
    except (TypeError, ValueError, OverflowError):
        return None
    return DateWindow(days[0], days[1])


def _as_day(value: object) -> dt.date:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return pd.Timestamp(int(value), unit="ms").date()
    return pd.Timestamp(str(value)).date()


def trend_chart(frame: pd.DataFrame, window: DateWindow, span: DateWindow) -> alt.VConcatChart:
    """Three small charts over one date axis (the data's ``span``, widened to hold ``window``), the
    ``window`` shaded; dragging across the events chart makes the :data:`STRETCH` selection."""
    first, last = chart_domain(window, span)
    data = frame.assign(day=pd.to_datetime(frame["day"]).dt.strftime("%Y-%m-%d"))
    domain = alt.Scale(domain=[first.isoformat(), last.isoformat()])
    x = alt.X("day:T", title=None, scale=domain)
    stretch = alt.selection_interval(name=STRETCH, encodings=["x"])
    shade = (
        alt.Chart(pd.DataFrame({"day": [window.start.isoformat()], "end": [window.end.isoformat()]}))
        .mark_rect(color="#fde68a", opacity=0.45)
        .encode(x=x, x2="end:T")
    )
    tooltip = [alt.Tooltip("detail:N", title=None)]
    colours = {"Events": "#b91c1c", "Fatalities": "#111827", "People displaced (per report)": "#e69f00"}
    rows = []
    for measure in MEASURES:
        part = alt.Chart(data).transform_filter(alt.datum.measure == measure)
        mark = part.mark_circle(size=50, opacity=0.85) if measure == MEASURES[2] else part.mark_bar(width=5)
        bottom = measure == MEASURES[-1]  # one date axis, under the last chart: the rows stay short beside the feed
        marks = mark.encode(
            x=x if bottom else alt.X("day:T", title=None, scale=domain, axis=alt.Axis(labels=False, ticks=False)),
            # Figures as the language writes them (4,187 / 4.187): "~s" wrote the displaced axis' 0 as "0k".
            y=alt.Y("value:Q", title=None, axis=alt.Axis(tickCount=3, tickMinStep=1, format=",d")),
            tooltip=tooltip,
        )
        layered = alt.layer(shade, marks.encode(color=alt.value(colours[measure])))
        # The measure named above its row, not along the axis: a long name ("Personas desplazadas (por reporte)")
        # along a 42-pixel axis stretched its row and opened a gap between the charts.
        title = alt.TitleParams(
            _(measure), fontSize=10, fontWeight="normal", anchor="start", frame="group", color="#4b5563", offset=2
        )
        rows.append(layered.properties(height=ROW_HEIGHT, width=PLOT_WIDTH, title=title))
    rows[0] = rows[0].add_params(stretch)
    # Month and weekday names on the date axis, and numbers, in the session's language (Vega's locale, no CDN).
    return alt.vconcat(*rows, spacing=4).resolve_scale(x="shared").configure(locale=vega_locale())


#: The name of the dataset that holds the shaded window, in :func:`trend_spec`'s spec.
SHADE = "frontera-shade"


def chart_domain(window: DateWindow, span: DateWindow) -> tuple[dt.date, dt.date]:
    """The days the chart's axis runs over: the data's ``span``, widened to hold ``window``, and a week each side."""
    return min(span.start, window.start) - dt.timedelta(days=7), max(span.end, window.end) + dt.timedelta(days=7)


def trend_spec(frame: pd.DataFrame, window: DateWindow, span: DateWindow) -> dict:
    """:func:`trend_chart` as a Vega-Lite spec (validated by Altair), the shaded window in the dataset
    :data:`SHADE`: :func:`with_window` shades another window on the same spec without building it again
    (building and converting the chart took 0.15-0.35 s of every date change)."""
    spec = trend_chart(frame, window, span).to_dict()
    config = spec.pop("config", {})  # Altair's default theme (a view size): the app's chart sets its own sizes
    if "locale" in config:  # but month names and numbers stay in the session's language
        spec["config"] = {"locale": config["locale"]}
    shade = next(name for name, rows in spec["datasets"].items() if rows and set(rows[0]) == {"day", "end"})
    spec["datasets"][SHADE] = spec["datasets"].pop(shade)
    return cast(dict, _renamed(spec, shade, SHADE))


def with_window(spec: dict, window: DateWindow) -> dict:
    """``spec`` (from :func:`trend_spec`) shading ``window``; ``spec`` itself is left as it is."""
    datasets = {**spec["datasets"], SHADE: [{"day": window.start.isoformat(), "end": window.end.isoformat()}]}
    return {**spec, "datasets": datasets}


def _renamed(node: object, old: str, new: str) -> object:
    """``node`` with every ``{"name": old}`` data reference made ``{"name": new}``."""
    if isinstance(node, dict):
        return {k: (new if k == "name" and v == old else _renamed(v, old, new)) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, old, new) for v in node]
    return node
