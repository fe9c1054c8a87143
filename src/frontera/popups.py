"""Popup and tooltip text for every kind of record. Pure: returns HTML strings.

Every value that comes from data goes through :func:`esc`; links are only made
for ``http(s)`` URLs. Nothing here trusts data as HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from frontera.model.dates import format_span
from frontera.model.records import GEO_PRECISION_TEXT, split_ids


def esc(value: object) -> str:
    """Data value as safe HTML text (``None``/NaN -> ``""``).

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _safe_url(url: str) -> str | None:
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else None


SourceIndex = Mapping[str, Mapping]


def source_index(sources: pd.DataFrame | SourceIndex) -> SourceIndex:
    """``{source_id: row}``; build it once per layer, not once per popup."""
    if isinstance(sources, pd.DataFrame):
        return {r["source_id"]: r for r in sources.to_dict("records")}
    return sources


def sources_html(source_ids: object, sources: pd.DataFrame | SourceIndex) -> str:
    """A list of sources as links: publisher, title, date."""
    by_id = source_index(sources)
    items = []
    for sid in split_ids(source_ids):
        s = by_id.get(sid)
        if s is None:
            items.append(f"<li>{esc(sid)}</li>")
            continue
        label = f"{esc(s['publisher'])}, “{esc(s['title'])}” ({esc(s['published'])})"
        url = _safe_url(s.get("url", ""))
        if url:
            label = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
        items.append(f"<li>{label} <span class='fr-sid'>[{esc(sid)}]</span></li>")
    return "<ul class='fr-sources'>" + "".join(items) + "</ul>" if items else ""


def _row(label: str, value_html: str) -> str:
    return f"<tr><th>{esc(label)}</th><td>{value_html}</td></tr>" if value_html else ""


def _count(value: Any, unknown: str = "not reported") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return esc(unknown)
    return f"{int(value):,}"


def place_text(rec: Mapping) -> str:
    precision = GEO_PRECISION_TEXT.get(rec.get("geo_precision", ""), rec.get("geo_precision", ""))
    parts = [esc(rec.get("place_note", "")), esc(precision)]
    unc = rec.get("uncertainty_km")
    if unc is not None and not pd.isna(unc) and float(unc) > 0:
        parts.append(f"within about {float(unc):g} km")
    return "; ".join(p for p in parts if p)


def spatial_text(rec: Mapping) -> str:
    km = rec.get("border_km")
    if km is None or pd.isna(km):
        return ""
    text = f"{float(km):.1f} km from the Mexico–Guatemala border"
    crossing = rec.get("nearest_crossing")
    if crossing:
        text += f"; nearest official crossing: {esc(crossing)} ({float(rec['nearest_crossing_km']):.1f} km)"
    return text


def record_popup(rec: Mapping, sources: pd.DataFrame | SourceIndex, extra_rows: str = "") -> str:
    """The popup of a time-bound record (clash, incident, operation, flow)."""
    rows = [
        _row(
            "When",
            esc(
                format_span(
                    rec.get("date_start"), rec.get("date_end"), rec.get("date_precision", ""), rec.get("date_note", "")
                )
            ),
        ),
        extra_rows,
        _row("Where", place_text(rec)),
        _row("Border", spatial_text(rec)),
    ]
    summary = esc(rec.get("summary", ""))
    return (
        f"<div class='fr-popup'>{_title_meta(rec)}"
        f"{f'<p>{summary}</p>' if summary else ''}"
        f"<table>{''.join(rows)}</table>"
        f"<p class='fr-h'>Sources</p>{sources_html(rec.get('source_ids'), sources)}</div>"
    )


#: What a short popup says about the rest (the details panel under the map has it all).
MORE_BELOW = "Sources and full details: below the map."


def _title_meta(rec: Mapping) -> str:
    return (
        f"<h4>{esc(rec.get('title'))}</h4>"
        f"<p class='fr-meta'>{esc(rec.get('layer', ''))} · {esc(rec.get('id'))}"
        f"{' · ' + esc(rec.get('dataset')) if rec.get('dataset') not in (None, '', 'bundled') else ''}</p>"
    )


def short_popup(rec: Mapping, key_rows: str) -> str:
    """The map's popup when the full record is shown under the map: title, when, key figure, where.

    >>> "Sources" in short_popup({"id": "C9", "title": "A clash"}, "")
    True
    """
    rows = [
        _row("When", esc(format_span(rec.get("date_start"), rec.get("date_end"), rec.get("date_precision", ""), ""))),
        key_rows,
        _row("Where", place_text(rec)),
    ]
    return (
        f"<div class='fr-popup fr-popup-short'>{_title_meta(rec)}<table>{''.join(rows)}</table>"
        f"<p class='fr-more'>{esc(MORE_BELOW)}</p></div>"
    )


def event_key_rows(rec: Mapping) -> str:
    return _row("Kind", esc(rec.get("kind", ""))) + _row("Fatalities", _count(rec.get("fatalities")))


def flow_key_rows(rec: Mapping, origin: str, destination: str, disagreement: str) -> str:
    people = f"<b>{_count(rec.get('people'))}</b>" + (" (reports disagree)" if disagreement else "")
    return _row("People", people) + _row("From → to", f"{esc(origin)} → {esc(destination)}")


def operation_key_rows(rec: Mapping) -> str:
    return _row("Status", esc(rec.get("status", ""))) + _row("Domain", esc(rec.get("domain", "")))


def event_rows(rec: Mapping) -> str:
    return "".join(
        [
            _row("Kind", esc(rec.get("kind", ""))),
            _row("Fatalities", _count(rec.get("fatalities"))),
            _row("Injured", _count(rec.get("injured"), "")) if not pd.isna(rec.get("injured")) else "",
            _row("Actors", esc(rec.get("actors", ""))),
        ]
    )


def flow_rows(rec: Mapping, origin: str, destination: str, disagreement: str, ends: str) -> str:
    return "".join(
        [
            _row("People", f"<b>{_count(rec.get('people'))}</b> — {esc(rec.get('people_wording', ''))}"),
            _row("Reports disagree", esc(disagreement)),
            _row("From → to", f"{esc(origin)} → {esc(destination)}"),
            _row("Status", esc(rec.get("status", ""))),
            _row("Ends", ends),
        ]
    )


def operation_rows(rec: Mapping) -> str:
    return "".join(
        [
            _row("Status", esc(rec.get("status", ""))),
            _row("Domain", esc(rec.get("domain", ""))),
            _row("Actors", esc(rec.get("actors", ""))),
            _row("Extent", f"<i>{esc(rec.get('extent_note', ''))}</i>"),
        ]
    )


def static_popup(title: str, rows: list[tuple[str, str]], note: str = "") -> str:
    """Popup of a place or crossing; ``rows`` values are plain text (escaped here)."""
    body = "".join(_row(label, esc(value)) for label, value in rows if value not in (None, ""))
    return (
        f"<div class='fr-popup'><h4>{esc(title)}</h4><table>{body}</table>"
        f"{f'<p><i>{esc(note)}</i></p>' if note else ''}</div>"
    )


def disagreement_text(rec: Mapping, by_id: Mapping) -> str:
    """What the other reports of this flow say, or "" when none disagrees."""
    others = [by_id[i] for i in split_ids(rec["disagrees_with"]) if i in by_id]
    if not others:
        return ""
    parts = [f"{o['id']} gives {int(o['people']):,} ({o['source_ids']})" for o in others if o.get("people") is not None]
    return (
        "Reports disagree on this figure: "
        + "; ".join(parts)
        + ". The map shows each report; the figures are not added up."
    )


def detail_html(
    rec: Mapping, sources: pd.DataFrame, place_names: Mapping[str, str], by_id: Mapping | None = None, ends: str = ""
) -> str:
    """The same popup a record has on the map, for any layer (used below the map after a click)."""
    layer = rec.get("layer")
    if layer == "flows":
        origin = "; ".join(place_names.get(i, i) for i in split_ids(rec.get("origin_ids")))
        destination = "; ".join(place_names.get(i, i) for i in split_ids(rec.get("destination_id")))
        return record_popup(
            rec, sources, flow_rows(rec, origin, destination, disagreement_text(rec, by_id or {}), ends)
        )
    if layer == "operations":
        return record_popup(rec, sources, operation_rows(rec))
    return record_popup(rec, sources, event_rows(rec))
