"""Loading the situation once per change of the store, cached at the Streamlit edge."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st
from pandas.arrays import ArrowStringArray

from frontera import i18n
from frontera.errors import FronteraError, SchemaError, StoreError
from frontera.i18n import N_, _
from frontera.model.dates import DateWindow, data_span
from frontera.model.situation import Situation
from frontera.model.translations import translate_records, translate_static
from frontera.paths import geodata_dir
from frontera.storage import load_situation, open_store
from frontera.storage.geopackage import read_record_texts
from frontera.ui.text import plain

#: What the page says when the user's store cannot be read (the bundled situation is shown); said in the
#: session's language, so the cached load keeps the message and its values apart.
UNREADABLE = N_("Your imported data could not be read: {error} The map shows the bundled situation only.")
DAMAGED = N_(
    "Your imported data in {store} could not be read ({error}); the map shows the bundled situation only. "
    "Move that file aside (it is left untouched) and import your files again, "
    "or point FRONTERA_DATA_DIR at another folder."
)
Problem = tuple[str, tuple[tuple[str, str], ...]]  # a message and what fills it


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(geodata_dir: str, store_label: str, store_version: Hashable) -> tuple[Situation, Problem | None, bool]:
    # Keyed by plain values: the bundled folder, which store, and its version (changes with every
    # write, by this process or another). Cached as a resource (shared, not copied): nothing
    # downstream mutates a Situation.
    try:
        return contiguous(load_situation(open_store(), Path(geodata_dir))), None, False
    except SchemaError as exc:  # a database Frontera does not know: refuse, with `frontera db upgrade` as the fix
        return load_situation(geodata=Path(geodata_dir), include_user=False), ("{error}", (("error", str(exc)),)), True
    except StoreError as exc:  # its message names the store (file or database) and the fix
        problem: Problem = (UNREADABLE, (("error", str(exc)),))
        return load_situation(geodata=Path(geodata_dir), include_user=False), problem, False
    except Exception as exc:  # noqa: BLE001 - an unreadable store must not hide the bundled situation
        problem = (DAMAGED, (("store", store_label), ("error", f"{type(exc).__name__}: {exc}")))
        return load_situation(geodata=Path(geodata_dir), include_user=False), problem, False


@st.cache_resource(max_entries=4, show_spinner=False)
def _in_language(geodata_dir: str, store_label: str, store_version: Hashable, lang: str) -> Situation:
    # The bundled records' prose in the session's language (imported records keep their source's words).
    sit, _problem, _refuse = _load(geodata_dir, store_label, store_version)
    texts = read_record_texts(lang, Path(geodata_dir))
    return contiguous(
        replace(
            sit,
            records=translate_records(sit.records, texts),
            crossings=translate_static(sit.crossings, texts),
            places=translate_static(sit.places, texts),
            context=translate_static(sit.context, texts, key="source_id"),
        )
    )


def contiguous(sit: Situation) -> Situation:
    """``sit`` with each text column of its records in one piece of memory (the same values and types).

    A store is read in batches, and the bundled records come first: a text column of 1,000,000 records
    arrives in some 17 pieces, and Arrow then joins all the pieces on every selection of rows (a date
    change copied 125,000 of them in 0.3 s, 0.1 s from one piece). Done once per data version, as the
    situation is loaded, column by column in place (the frames are this load's own, or shallow copies of
    their translation), so that at most one column is held twice.
    """
    for frame in sit.records.values():
        for name in frame.columns:
            values = frame[name].array
            if isinstance(values, ArrowStringArray):
                chunks = values.__arrow_array__()
                if chunks.num_chunks > 1:
                    whole = pa.chunked_array([chunks.combine_chunks()], type=chunks.type)
                    frame[name] = pd.Series(ArrowStringArray(whole, dtype=values.dtype), index=frame.index)
    return sit


def situation_key() -> tuple[str, str, Hashable]:
    """Plain values that name the situation loaded: the bundled folder, the store and its version."""
    try:
        store = open_store()
        return str(geodata_dir()), store.label, store.version()
    except FronteraError as exc:  # a store that cannot be opened: said once, by _load
        return str(geodata_dir()), str(exc), None


def situation(report: bool = True) -> Situation:
    """The situation; ``report=False`` leaves a problem with the store unsaid (the entrypoint says it once)."""
    key = situation_key()
    with st.spinner(_("Reading the situation…"), show_time=False):
        sit, said, refuse = _load(*key)
    problem = _(said[0]).format(**dict(said[1])) if said else ""
    if refuse:  # every page, the entrypoint first: nothing is shown on a schema Frontera does not know
        st.error(plain(problem), icon="🚫")
        st.stop()
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        sit = _in_language(*key, i18n.current())
    if problem and report:
        st.error(plain(problem), icon="🚫")
    return sit


def span(sit: Situation) -> DateWindow:
    """The data's dates (:func:`frontera.model.dates.data_span`) of the situation loaded, once per data version."""
    return _span(situation_key(), sit)


@st.cache_resource(max_entries=4, show_spinner=False)
def _span(key: tuple, _sit: Situation) -> DateWindow:
    # Keyed by the situation's plain key (store and version): every run of every page asked again, reading
    # the first and last day of each of 1,000,000 records twice. The situation passes unhashed.
    return data_span(list(_sit.records.values()))
