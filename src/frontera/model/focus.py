"""Focus filters: keep only the records that matter (a kind, an actor, deaths, a source, a precision).

A :class:`Focus` is part of the :class:`~frontera.model.view.View`. One function,
:func:`focus_mask`, decides which records pass, column-wise (no loop over rows), so the
metrics, the map, the timeline, the feed and the exports all show the same set: they all
take their records from :func:`frontera.filters.visible_records`, which applies it.

``?kind=armed clash,attack&actor=sinaloa&min_fatalities=1&source=trt-2024-08-03
&date_precision=day&place_precision=town,near-town`` restores a focus. A record passes
when it matches every filter that is set; within one filter, any of the values chosen.
Records a filter does not apply to (a flow has no kind and no deaths) leave the view
when that filter is set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from frontera.model.records import DATE_PRECISIONS, GEO_PRECISIONS
from frontera.model.text import N_, Worded
from frontera.model.view_warning import ViewWarning

#: The URL parameters (and ``--`` options, dashes for underscores) a focus owns.
FOCUS_KEYS = ("kind", "actor", "min_fatalities", "source", "date_precision", "place_precision")
#: A source id as sources.csv has them ("trt-2024-08-03", "acled").
_SOURCE_ID = re.compile(r"^[\w.:-]{1,120}$")
#: Characters never kept in typed text (control characters, bidi overrides).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 120


@dataclass(frozen=True)
class Focus:
    """Which records a view keeps beyond its dates and layers; the defaults keep everything."""

    kinds: tuple[str, ...] = ()  # record ``kind`` (ACLED event type / sub-event type as imported)
    actor: str = ""  # plain text found in ``actors``, case-insensitively
    min_fatalities: int = 0
    sources: tuple[str, ...] = ()  # source ids; a record passes when it cites any of them
    date_precisions: tuple[str, ...] = ()
    place_precisions: tuple[str, ...] = ()

    @property
    def active(self) -> int:
        """How many filters are set."""
        parts = (self.kinds, self.actor, self.min_fatalities, self.sources, self.date_precisions, self.place_precisions)
        return sum(1 for part in parts if part)

    def to_query(self) -> dict[str, str]:
        """The URL parameters of the filters that are set (none for the default focus)."""
        values = {
            "kind": ",".join(self.kinds),
            "actor": self.actor,
            "min_fatalities": str(self.min_fatalities) if self.min_fatalities else "",
            "source": ",".join(self.sources),
            "date_precision": ",".join(self.date_precisions),
            "place_precision": ",".join(self.place_precisions),
        }
        return {k: v for k, v in values.items() if v}

    def describe(self, tr: Callable[[str], str] = str) -> str:
        """One line for a caption, e.g. ``"kind: armed clash · actor contains 'sinaloa' · at least 1 death"``;
        its words through ``tr`` (a gettext function), the values as given."""
        parts = []
        if self.kinds:
            parts.append(tr(N_("kind: {values}")).format(values=", ".join(self.kinds)))
        if self.actor:
            parts.append(tr(N_("actor contains {text}")).format(text=repr(self.actor)))
        if self.min_fatalities:
            one = self.min_fatalities == 1
            parts.append(tr(N_("at least 1 death") if one else N_("at least {n} deaths")).format(n=self.min_fatalities))
        if self.sources:
            parts.append(tr(N_("source: {values}")).format(values=", ".join(self.sources)))
        if self.date_precisions:
            parts.append(tr(N_("date precision: {values}")).format(values=", ".join(self.date_precisions)))
        if self.place_precisions:
            parts.append(tr(N_("place precision: {values}")).format(values=", ".join(self.place_precisions)))
        return " · ".join(parts)


def clean_text(text: str) -> str:
    """Typed text as the filters use it: control characters dropped, spaces trimmed, at most 120 characters."""
    return _CONTROL.sub("", text).strip()[:MAX_TEXT]


def _column(records: pd.DataFrame, name: str) -> pd.Series:
    if name in records:
        return records[name]
    return pd.Series([pd.NA] * len(records), index=records.index, dtype="object")


def _per_value(series: pd.Series, test: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """``test`` run once per distinct value of ``series`` (imported data repeats a few kinds, actors and
    sources over thousands of rows), then spread back to the rows; blanks are tested as ``""``."""
    codes, distinct = pd.factorize(series.astype("string").fillna(""), use_na_sentinel=False)
    verdict = test(pd.Series(distinct, dtype="string").str.strip()).fillna(False).to_numpy(dtype=bool)
    return verdict[codes] if len(verdict) else np.zeros(len(series), dtype=bool)


def _cites_any(ids: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Per ``"a; b"`` list of source ids: does it hold any of ``wanted``? Whole ids, found as plain text
    between separators (``";a;b;"`` holds ``";a;"``), never as a pattern."""
    listed = ";" + ids.str.replace(r"\s*;\s*", ";", regex=True) + ";"
    hit = pd.Series(False, index=ids.index)
    for source in wanted:
        hit |= listed.str.contains(f";{source};", regex=False)
    return hit


def focus_mask(records: pd.DataFrame, focus: Focus) -> np.ndarray:
    """Which rows of ``records`` pass every filter of ``focus`` (a boolean array, one per row)."""
    keep = np.ones(len(records), dtype=bool)
    if not len(records) or not focus.active:
        return keep
    if focus.kinds:
        kinds = {k.casefold() for k in focus.kinds}
        keep &= _per_value(_column(records, "kind"), lambda v: v.str.casefold().isin(kinds))
    if focus.actor:
        actor = focus.actor.casefold()
        keep &= _per_value(_column(records, "actors"), lambda v: v.str.casefold().str.contains(actor, regex=False))
    if focus.min_fatalities:
        deaths = pd.to_numeric(_column(records, "fatalities"), errors="coerce")
        keep &= (deaths >= focus.min_fatalities).fillna(False).to_numpy(dtype=bool)
    if focus.sources:
        keep &= _per_value(_column(records, "source_ids"), lambda v: _cites_any(v, focus.sources))
    if focus.date_precisions:
        keep &= _column(records, "date_precision").isin(focus.date_precisions).fillna(False).to_numpy(dtype=bool)
    if focus.place_precisions:
        keep &= _column(records, "geo_precision").isin(focus.place_precisions).fillna(False).to_numpy(dtype=bool)
    return keep


def first_query_value(value: object) -> str | None:
    """The first of a query parameter's values (a URL may repeat a key), as text; ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else None
    return str(value)


def _listed(text: str | None) -> list[str]:
    return [clean_text(part) for part in (text or "").split(",") if clean_text(part)]


def _vocabulary(
    name: str, text: str | None, allowed: tuple[str, ...], warnings: list[ViewWarning], where: str
) -> tuple:
    values = [v.lower() for v in _listed(text)]
    for bad in (v for v in values if v not in allowed):
        warnings.append(ViewWarning(name, bad, _one_of(allowed), N_("it was ignored"), where=where))
    return tuple(v for v in allowed if v in values)


def _one_of(allowed: tuple[str, ...]) -> str:
    return Worded(N_("one of {choices}"), choices=", ".join(allowed))


def _whole_number(name: str, text: str | None, warnings: list[ViewWarning], where: str) -> int:
    if text is None or not text.strip():
        return 0
    if not re.fullmatch(r"\d{1,7}", text.strip()):
        warnings.append(ViewWarning(name, text[:40], N_("a whole number >= 0"), N_("it was ignored (0)"), where=where))
        return 0
    return int(text.strip())


def _source_ids(text: str | None, warnings: list[ViewWarning], where: str) -> tuple[str, ...]:
    ids = _listed(text)
    for bad in (s for s in ids if not _SOURCE_ID.match(s)):
        expected = N_("a source id (letters, digits, '-', '_', '.', ':'; as in sources.csv)")
        warnings.append(ViewWarning("source", bad[:80], expected, N_("it was ignored"), where=where))
    return tuple(dict.fromkeys(s for s in ids if _SOURCE_ID.match(s)))


def focus_from_query(params: Mapping[str, object], warnings: list[ViewWarning], where: str = "URL") -> Focus:
    """Read a focus from URL parameters (or command-line options); each bad value adds a warning quoting it."""
    text = {key: first_query_value(params.get(key)) for key in FOCUS_KEYS}
    return Focus(
        kinds=tuple(dict.fromkeys(_listed(text["kind"]))),
        actor=clean_text(text["actor"] or ""),
        min_fatalities=_whole_number("min_fatalities", text["min_fatalities"], warnings, where),
        sources=_source_ids(text["source"], warnings, where),
        date_precisions=_vocabulary("date_precision", text["date_precision"], DATE_PRECISIONS, warnings, where),
        place_precisions=_vocabulary("place_precision", text["place_precision"], GEO_PRECISIONS, warnings, where),
    )


def kinds_in(records: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """The record kinds the data holds (every time-bound layer), most frequent first."""
    kinds = pd.concat([_column(r, "kind").astype("string") for r in records.values() if len(r)] or [pd.Series([])])
    kinds = kinds.dropna().str.strip()
    counts = kinds[kinds != ""].value_counts()
    return tuple(sorted(counts.index, key=lambda k: (-counts[k], k)))


def sources_in(records: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """The source ids the records cite, most cited first."""
    cited = [_column(r, "source_ids").astype("string") for r in records.values() if len(r)]
    ids = pd.concat(cited or [pd.Series([], dtype="string")]).dropna().str.split(";").explode().str.strip()
    counts = ids[ids.notna() & (ids != "")].value_counts()
    return tuple(sorted(counts.index, key=lambda s: (-counts[s], s)))


def actors_in(records: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """The actor names the records give (``"a; b"`` lists split), most frequent first."""
    listed = [_column(r, "actors").astype("string") for r in records.values() if len(r)]
    names = pd.concat(listed or [pd.Series([], dtype="string")]).dropna().str.split(";").explode().str.strip()
    counts = names[names.notna() & (names != "")].value_counts()
    return tuple(sorted(counts.index, key=lambda a: (-counts[a], a)))


def matching_actors(actors: tuple[str, ...], text: str, limit: int = 6) -> list[str]:
    """The first ``limit`` of ``actors`` that contain ``text`` (any case, plain text), for a hint under the box.

    >>> matching_actors(("Sinaloa cartel", "National Guard", "CJNG cartel"), "CARTEL")
    ['Sinaloa cartel', 'CJNG cartel']
    """
    folded = text.casefold()
    return [a for a in actors if folded in a.casefold()][:limit] if folded else []
