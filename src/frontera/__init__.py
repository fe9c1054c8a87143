"""Frontera: a situation map of the Mexico–Guatemala border (Chiapas, Huehuetenango, San Marcos).

Displacement flows, clashes, incidents and security operations, each with its dates,
places and sources, drawn on one map that a date window and a URL restore; files from
ACLED, from displacement tables and in Frontera's own schema are checked and imported
into the user's own store.

Where things live:

- ``frontera.model``: the record model (columns, vocabularies, :class:`Problem`), the rules
  a record obeys (``model/rules.py``, declared once as data) and the engine that checks a
  frame against them (``model/validate.py``); pure, no I/O.
- ``frontera.importers``: reading files (ACLED, flow tables, GeoJSON/GeoPackage/CSV) into records.
- ``frontera.storage``: the user's store (GeoPackage), behind the interface in ``storage/base.py``.
- ``frontera.layers``, ``frontera.mapview``: the map (folium); ``frontera.ui``: the Streamlit pages' parts.
- ``frontera.cli``: the ``frontera`` command; ``frontera.errors``: the exception tree.

Importing ``frontera`` is cheap: it loads no Streamlit, folium or geopandas. The names
below the errors are loaded on first use (``frontera.check_records``).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from frontera.errors import (
    AssetError,
    FileProblem,
    FronteraError,
    InputError,
    LimitExceeded,
    SettingsError,
    StoreError,
)

if TYPE_CHECKING:
    from frontera.model.records import Problem
    from frontera.model.rules import RULES, Rule
    from frontera.model.validate import check_records

try:
    __version__ = version("frontera")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

#: Names loaded on first use, and the module each comes from.
_LAZY = {
    "Problem": "frontera.model.records",
    "RULES": "frontera.model.rules",
    "Rule": "frontera.model.rules",
    "check_records": "frontera.model.validate",
}

__all__ = [
    "RULES",
    "AssetError",
    "FileProblem",
    "FronteraError",
    "InputError",
    "LimitExceeded",
    "Problem",
    "Rule",
    "SettingsError",
    "StoreError",
    "__version__",
    "check_records",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'frontera' has no attribute {name!r}")
