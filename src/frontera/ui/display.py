"""Values shaped for reading on a page, never for export: counts in words, empty cells left empty.

Pure (no Streamlit): the Data page calls it on the export frame before ``st.dataframe``; the
downloads keep the export contract (an empty ``date_end`` means ongoing there too).
"""

from __future__ import annotations

import pandas as pd

ONGOING = "ongoing"


def plural(n: int, word: str) -> str:
    """``"1 feature"``, ``"3 features"``, ``"1,200 features"``.

    >>> plural(1, "feature"), plural(0, "feature"), plural(1200, "feature")
    ('1 feature', '0 features', '1,200 features')
    """
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def readable_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for the eye: a dated record with no end reads "ongoing"; other missing text is
    empty instead of "None". Counts stay numbers (an unknown count stays unknown, not 0)."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    dated = out["date_start"].notna() & (out["date_start"].astype(str) != "") if "date_start" in out else None
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            continue
        out[col] = out[col].astype(object).where(out[col].notna(), "").astype(str)
    if dated is not None and "date_end" in out:
        out.loc[dated & (out["date_end"] == ""), "date_end"] = ONGOING
    return out
