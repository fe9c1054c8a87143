"""CSV cells that a spreadsheet would run as a formula, made inert, reversibly.

A spreadsheet reads a cell as a formula when it starts with ``=``, ``+``, ``-`` or ``@``,
also behind spaces or invisible characters (``\\u200b``, ``\\ufeff``, bidi marks) and in
their full-width and small forms (``＝``, ``＋``, ``﹣``). Such a text cell is written with
one ``'`` in front; so is a cell that already starts with ``'`` (or with a control
character): reading Frontera's own CSV then takes exactly that one ``'`` off again, and
every text comes back as it was, ``'=x`` included.

    >>> neutralise("=SUM(A1)"), neutralise("\\u200b＝1"), neutralise("'=x"), neutralise("Cuilco")
    ("'=SUM(A1)", "'\\u200b＝1", "''=x", 'Cuilco')
    >>> unneutralise("''=x"), unneutralise("'it's"), unneutralise("'=SUM(A1)")
    ("'=x", "'it's", '=SUM(A1)')
"""

from __future__ import annotations

import unicodedata

import pandas as pd

#: What a formula starts with, once compatibility forms are folded (NFKC): ＝ → =, ﹢ → +.
FORMULA_STARTS = frozenset("=+-@")
#: Look-alikes NFKC does not fold: minus sign, heavy plus and minus.
_LOOK_ALIKES = frozenset("\u2212\u2795\u2796")
#: Characters a reader does not see: controls, format characters (zero-width, BOM, bidi),
#: spaces and separators, combining marks, unassigned and private code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn", "Cs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")  # fillers drawn as nothing


def _is_invisible(c: str) -> bool:
    return unicodedata.category(c) in _INVISIBLE_CATEGORIES or c in _BLANK_LETTERS


def _is_trigger(c: str) -> bool:
    return c in _LOOK_ALIKES or unicodedata.normalize("NFKC", c)[:1] in FORMULA_STARTS


def needs_mark(text: str) -> bool:
    """True when ``text`` starts with ``'`` or a control character, or its first visible character
    starts a formula."""
    if not text:
        return False
    if text[0] == "'" or unicodedata.category(text[0]) == "Cc":
        return True
    first = next((c for c in text if not _is_invisible(c)), "")
    return bool(first) and _is_trigger(first)


def neutralise(value: object) -> object:
    """A text cell safe for a spreadsheet (one ``'`` in front when :func:`needs_mark`); numbers stay numbers."""
    if isinstance(value, str) and needs_mark(value):
        return "'" + value
    return value


def unneutralise(value: object) -> object:
    """The exact inverse of :func:`neutralise` on Frontera's own CSV: one added ``'`` taken off."""
    if isinstance(value, str) and value.startswith("'") and needs_mark(value[1:]):
        return value[1:]
    return value


def unneutralise_column(cells: pd.Series) -> pd.Series:
    """:func:`unneutralise` on a column of text; only cells starting with ``'`` are looked at."""
    marked = cells.str.startswith("'", na=False)
    if not marked.any():
        return cells
    out = cells.copy()
    out[marked] = cells[marked].map(unneutralise)
    return out
