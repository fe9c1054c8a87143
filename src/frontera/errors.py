"""Frontera's exceptions: one tree, each a problem a person can fix, and the message says how.

FronteraError              anything a person can fix (``str()`` says what and how)
 ├── InputError            a file or value given to Frontera is wrong (names file, row, field, value)
 │    ├── FileProblem      a whole file cannot be read; carries the Problem a person reads
 │    │    └── LimitExceeded   the file exceeds a limit of importers/limits.py
 │    └── ImportRefusedError  a file had rejected rows: nothing of it was imported (all or nothing)
 ├── StoreError            the user's store could not be read or written; it was left as it was
 │    └── SchemaError      a database whose schema this Frontera does not know (fix: `frontera db upgrade`)
 ├── SettingsError         a setting (environment, frontera.toml) has a value Frontera cannot use
 ├── AccessError           the person signed in may not do this (their role does not allow it)
 ├── AssetError            a map element needs a script or style sheet that Frontera does not ship
 └── PayloadSchemaError    the fast map layer's payload disagrees with its declared schema (a bug: report it)

Catch :class:`FronteraError` at the edges (the command line, a page) and show its
message; anything else is a bug and keeps its traceback. This module imports nothing,
so raising or catching these costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontera.model.records import Problem


class FronteraError(Exception):
    """A problem a person can fix; ``str()`` says what and how."""


class InputError(FronteraError):
    """A file or value given to Frontera is wrong."""


class FileProblem(InputError):  # noqa: N818 - it carries a Problem; the name is used at 23 call sites
    """A whole file cannot be read; carries the problem a person reads."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class LimitExceeded(FileProblem):
    """A file exceeds one of the limits in :mod:`frontera.importers.limits`."""


class StoreError(FronteraError):
    """The user's store could not be read or written; it was left as it was."""


class SettingsError(FronteraError):
    """A setting has a value Frontera cannot use (the message names where it came from)."""


class AssetError(FronteraError):
    """A map element needs a script or style sheet that Frontera does not ship."""


class AccessError(FronteraError):
    """The person may not do this (the message says who they are, what their role allows, and whom to ask)."""


class ImportRefusedError(InputError):
    """An import was refused as a whole (rows were rejected and only all or nothing was asked); nothing changed."""


class SchemaError(StoreError):
    """The database has no Frontera schema, an older one, or one from a newer Frontera: nothing is read or written."""


class PayloadSchemaError(FronteraError, ValueError):
    """A payload column that :mod:`frontera.layers.fast.schema` does not declare (a bug, not bad data)."""
