"""Values shaped for reading on a page, never for export: counts in words, empty cells left empty.

Pure (no Streamlit): the Data page calls it on the export frame before ``st.dataframe``; the
downloads keep the export contract (an empty ``date_end`` means ongoing there too).
"""

from __future__ import annotations

import pandas as pd

from frontera.i18n import N_, _, format_date
from frontera.model.dates import DateWindow
from frontera.model.records import DATE_PRECISION_TEXT, GEO_PRECISION_TEXT

ONGOING = N_("ongoing")

#: Column names as a table's header shows them (translated where shown; downloads keep the names).
HEADERS = frozenset(
    {
        N_("layer"), N_("id"), N_("title"), N_("date_start"), N_("date_end"), N_("date_precision"),
        N_("geo_precision"), N_("source_ids"), N_("source_urls"), N_("people"), N_("fatalities"),
        N_("injured"), N_("status"), N_("origin"), N_("destination"), N_("kind"), N_("domain"),
        N_("actors"), N_("summary"), N_("date_note"), N_("place_note"), N_("uncertainty_km"),
        N_("people_wording"), N_("disagrees_with"), N_("extent_note"), N_("origin_ids"),
        N_("destination_id"), N_("dataset"), N_("dates"), N_("on_map"), N_("action"), N_("row"),
        N_("column"), N_("value"), N_("expected"), N_("when"), N_("import"), N_("file"), N_("who"),
    }
)  # fmt: skip


def window_text(window: DateWindow) -> str:
    """A date range as the current language writes it: "3 Aug 2024 to 9 Aug 2024", "3 ago 2024 a 9 ago 2024"."""
    return _("{start} to {end}").format(
        start=format_date(window.start, style="medium"), end=format_date(window.end, style="medium")
    )


#: Columns whose cells are words of the model's vocabulary (``model.layers``: layer names, kinds, statuses,
#: domains), said in the current language where shown; a word the catalogue does not know is shown as it is.
WORD_COLUMNS = ("layer", "kind", "status", "domain")
#: The layer names the model's vocabulary leaves out (the undated layers), marked here for the catalogue.
UNDATED_LAYER_WORDS = (N_("border"), N_("crossings"), N_("places"))


def layer_words(layers: tuple[str, ...] | list[str]) -> str:
    """The view's layers as a list a person reads: ``"frontera, operativos, flujos"`` in Spanish."""
    return ", ".join(_(layer) for layer in layers)


def said(value: object) -> object:
    """A vocabulary word in the current language (``"operations"`` -> ``"operativos"``); other values as they are."""
    return _(value) if isinstance(value, str) and value else value


#: Columns of precision codes, shown as the words the popups use ("day" -> "exact day", "día exacto").
PRECISION_COLUMNS = {"date_precision": DATE_PRECISION_TEXT, "geo_precision": GEO_PRECISION_TEXT}


def _precision(texts: dict[str, str]):
    return lambda code: _(texts[code]) if isinstance(code, str) and code in texts else code


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its known column names, and its vocabulary words, in the current language (for the eye only)."""
    words = {c: said for c in WORD_COLUMNS if c in frame.columns}
    words |= {c: _precision(texts) for c, texts in PRECISION_COLUMNS.items() if c in frame.columns}
    if words:
        frame = frame.assign(**{c: frame[c].map(say) for c, say in words.items()})
    return frame.rename(columns={c: _(c) for c in frame.columns if c in HEADERS})


def plural(n: int, word: str) -> str:
    """``"1 feature"``, ``"3 features"``, ``"1,200 features"``.

    >>> plural(1, "feature"), plural(0, "feature"), plural(1200, "feature")
    ('1 feature', '0 features', '1,200 features')
    """
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def readable_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for the eye: a dated record with no end reads "ongoing"; other missing text is
    empty instead of "None". Counts stay numbers (an unknown count stays unknown, not 0).
    The headers are the column names; :func:`headed` puts them in the current language."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    dated = out["date_start"].notna() & (out["date_start"].astype(str) != "") if "date_start" in out else None
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            continue
        out[col] = out[col].astype(object).where(out[col].notna(), "").astype(str)
    if dated is not None and "date_end" in out:
        out.loc[dated & (out["date_end"] == ""), "date_end"] = _(ONGOING)
    return out
