"""Popup text for every kind of record. Pure: returns HTML strings.

Which fields a layer's popup shows, with their labels, is declared with the layer
(:mod:`frontera.model.layers`); how each kind of field is written is :data:`FORMATS`.

Every value that comes from data goes through :func:`esc`; links are only made
for ``http(s)`` URLs. Nothing here trusts data as HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from frontera.i18n import N_, _, format_date, format_number
from frontera.model.layers import BY_NAME, EVENT_DETAIL_FIELDS, VOCABULARY, Field, Layer, drawn_with
from frontera.model.records import DATE_PRECISION_TEXT, GEO_PRECISION_TEXT, split_ids


def esc(value: object) -> str:
    """Data value as safe HTML text (``None``/NaN -> ``""``).

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return "" if _missing(value) else html.escape(str(value), quote=True)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


#: Characters a template engine would read (branca renders some output a second time), as entities.
_TEMPLATE_ENTITIES = {"{": "&#123;", "}": "&#125;", "%": "&#37;", "#": "&#35;"}


def template_safe_html(value: object) -> str:
    """A data value as HTML text that neither a browser nor a template engine reads as markup.

    >>> template_safe_html("O9 {{ 7*7 }} <b>")
    'O9 &#123;&#123; 7*7 &#125;&#125; &lt;b&gt;'
    >>> template_safe_html("C1's #2")
    'C1&#x27;s &#35;2'
    """
    if _missing(value):
        return ""
    return "".join(_TEMPLATE_ENTITIES.get(c) or html.escape(c, quote=True) for c in str(value))


_VOCABULARY = frozenset(VOCABULARY)


def vocabulary(value: object) -> object:
    """A controlled value (an event kind, a status) in the session's language; any other value as written."""
    return _(value) if isinstance(value, str) and value in _VOCABULARY else value


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
    return f"<tr><th>{esc(_(label))}</th><td>{value_html}</td></tr>" if value_html else ""


def _count(value: Any, unknown: str = N_("not reported")) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return esc(_(unknown)) if unknown else ""
    return format_number(int(value))


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else format_date(pd.Timestamp(value).date())


def when_text(start: object, end: object, precision: str, note: object = "") -> str:
    """A record's dates as the language writes them, with their precision and the report's words (plain text):
    ``16 July 2024 – ongoing (exact day)``, ``16 de julio de 2024 – en curso (día exacto)``."""
    s, e = _day(start), _day(end)
    text = s if e == s else f"{s} – {e}" if e else _("{start} – ongoing").format(start=s)
    code = str(precision or "")
    text += f" ({_(DATE_PRECISION_TEXT[code]) if code in DATE_PRECISION_TEXT else code})"
    return text + (f"; {note}" if note and not pd.isna(note) else "")


def place_text(rec: Mapping) -> str:
    code = rec.get("geo_precision", "")
    precision = _(GEO_PRECISION_TEXT[code]) if code in GEO_PRECISION_TEXT else code
    parts = [esc(rec.get("place_note", "")), esc(precision)]
    unc = rec.get("uncertainty_km")
    if unc is not None and not pd.isna(unc) and float(unc) > 0:
        parts.append(esc(_("within about {km} km").format(km=format_number(float(unc)))))
    return "; ".join(p for p in parts if p)


def spatial_text(rec: Mapping) -> str:
    km = rec.get("border_km")
    if km is None or pd.isna(km):
        return ""
    text = esc(_("{km} km from the Mexico–Guatemala border").format(km=_km(km)))
    crossing = rec.get("nearest_crossing")
    if crossing:
        text += esc(
            _("; nearest official crossing: {crossing} ({km} km)").format(
                crossing=crossing, km=_km(rec["nearest_crossing_km"])
            )
        )
    return text


def _km(value: Any) -> str:
    """A distance to one decimal, as the language writes it (``12.3``, ``12,3``)."""
    return format_number(float(value), decimals=1)


def record_popup(rec: Mapping, sources: pd.DataFrame | SourceIndex, extra_rows: str = "") -> str:
    """The popup of a time-bound record (clash, incident, operation, flow)."""
    rows = [
        _row(
            N_("When"),
            esc(
                when_text(
                    rec.get("date_start"), rec.get("date_end"), rec.get("date_precision", ""), rec.get("date_note", "")
                )
            ),
        ),
        extra_rows,
        _row(N_("Where"), place_text(rec)),
        _row(N_("Border"), spatial_text(rec)),
    ]
    summary = esc(rec.get("summary", ""))
    return (
        f"<div class='fr-popup'>{_title_meta(rec)}"
        f"{f'<p>{summary}</p>' if summary else ''}"
        f"<table>{''.join(rows)}</table>"
        f"<p class='fr-h'>{esc(_('Sources'))}</p>{sources_html(rec.get('source_ids'), sources)}</div>"
    )


#: What a short popup says about the rest (the details panel under the map has it all).
MORE_BELOW = N_("Sources and full details: below the map.")


def _title_meta(rec: Mapping) -> str:
    return (
        f"<h4>{esc(rec.get('title'))}</h4>"
        f"<p class='fr-meta'>{esc(vocabulary(rec.get('layer', '')))} · {esc(rec.get('id'))}"
        f"{' · ' + esc(rec.get('dataset')) if rec.get('dataset') not in (None, '', 'bundled') else ''}</p>"
    )


def short_popup(rec: Mapping, key_rows: str) -> str:
    """The map's popup when the full record is shown under the map: title, when, key figure, where.

    >>> "Sources" in short_popup({"id": "C9", "title": "A clash"}, "")
    True
    """
    rows = [
        _row(N_("When"), esc(when_text(rec.get("date_start"), rec.get("date_end"), rec.get("date_precision", ""), ""))),
        key_rows,
        _row(N_("Where"), place_text(rec)),
    ]
    return (
        f"<div class='fr-popup fr-popup-short'>{_title_meta(rec)}<table>{''.join(rows)}</table>"
        f"<p class='fr-more'>{esc(_(MORE_BELOW))}</p></div>"
    )


@dataclass(frozen=True)
class Context:
    """What a record's rows need beyond the record: place names (flow ends), the layer's records by id
    (reports that disagree) and the flow's ends with their border facts."""

    place_names: Mapping[str, str] = field(default_factory=dict)
    by_id: Mapping[str, Mapping] = field(default_factory=dict)
    ends: str = ""

    def names(self, ids: object) -> str:
        return "; ".join(self.place_names.get(i, i) for i in split_ids(ids))

    def route(self, rec: Mapping) -> tuple[str, str]:
        """(origin, destination) as place names."""
        return self.names(rec.get("origin_ids")), self.names(rec.get("destination_id"))

    def disagreement(self, rec: Mapping) -> str:
        return disagreement_text(rec, self.by_id)


Formatter = Callable[[Mapping, str, Context], str]


def _people_short(rec: Mapping, key: str, ctx: Context) -> str:
    return f"<b>{_count(rec.get(key))}</b>" + (esc(_(" (reports disagree)")) if ctx.disagreement(rec) else "")


def _route(rec: Mapping, key: str, ctx: Context) -> str:
    origin, destination = ctx.route(rec)
    return f"{esc(origin)} → {esc(destination)}"


#: How a field's value is written in a popup (:class:`frontera.model.layers.Field` ``fmt``), as HTML.
FORMATS: dict[str, Formatter] = {
    "text": lambda rec, key, ctx: esc(vocabulary(rec.get(key, ""))),
    "count": lambda rec, key, ctx: _count(rec.get(key)),
    "count_or_blank": lambda rec, key, ctx: _count(rec.get(key), ""),
    "italic": lambda rec, key, ctx: f"<i>{esc(rec.get(key, ''))}</i>",
    "people_wording": lambda rec, key, ctx: f"<b>{_count(rec.get(key))}</b> — {esc(rec.get('people_wording', ''))}",
    "people_short": _people_short,
    "disagreement": lambda rec, key, ctx: esc(ctx.disagreement(rec)),
    "route": _route,
    "ends": lambda rec, key, ctx: esc(ctx.ends),
}


def rows_html(
    rec: Mapping, fields: Iterable[Field], ctx: Context | None = None, formats: Mapping[str, Formatter] = FORMATS
) -> str:
    """The table rows of ``fields`` for ``rec``; a field with nothing to say has no row."""
    ctx = ctx or Context()
    return "".join(_row(f.label, formats[f.fmt](rec, f.key, ctx)) for f in fields)


def _spec(rec: Mapping) -> Layer:
    """The record's layer; a record of no known layer is shown as an event."""
    return BY_NAME.get(str(rec.get("layer"))) or drawn_with("circles")[0]


def event_rows(rec: Mapping) -> str:
    """The rows of an event's full popup (kind, fatalities, injured, actors)."""
    return rows_html(rec, EVENT_DETAIL_FIELDS)


def popup_html(
    rec: Mapping,
    sources: pd.DataFrame | SourceIndex,
    ctx: Context | None = None,
    short: bool = False,
    spec: Layer | None = None,
) -> str:
    """A time-bound record's popup, with the fields its layer (``spec``, else the record's) declares.

    ``short``: what, when, where and the key figure (the page shows the full record under the map).
    """
    spec = spec or _spec(rec)
    ctx = ctx or Context()
    if short:
        return short_popup(rec, rows_html(rec, spec.key_fields, ctx))
    return record_popup(rec, sources, rows_html(rec, spec.detail_fields, ctx))


def fields_popup(
    title: str, rec: Mapping, fields: Iterable[Field], formats: Mapping[str, Formatter], note: str = ""
) -> str:
    """Popup of a place or crossing from its layer's fields, written by ``formats`` (escaped HTML)."""
    return _static(title, rows_html(rec, fields, None, formats), note)


def _static(title: str, body: str, note: str) -> str:
    return (
        f"<div class='fr-popup'><h4>{esc(title)}</h4><table>{body}</table>"
        f"{f'<p><i>{esc(note)}</i></p>' if note else ''}</div>"
    )


def disagreement_text(rec: Mapping, by_id: Mapping) -> str:
    """What the other reports of this flow say, or "" when none disagrees."""
    others = [by_id[i] for i in split_ids(rec["disagrees_with"]) if i in by_id]
    if not others:
        return ""
    parts = [
        _("{record} gives {people} ({sources})").format(
            record=o["id"], people=format_number(int(o["people"])), sources=o["source_ids"]
        )
        for o in others
        if o.get("people") is not None
    ]
    return _(
        "Reports disagree on this figure: {reports}. The map shows each report; the figures are not added up."
    ).format(reports="; ".join(parts))


def detail_html(
    rec: Mapping, sources: pd.DataFrame, place_names: Mapping[str, str], by_id: Mapping | None = None, ends: str = ""
) -> str:
    """The full popup a record has on a standalone map, for any layer (shown below the map after a click)."""
    return popup_html(rec, sources, Context(place_names, by_id or {}, ends))
