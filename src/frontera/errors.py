"""Frontera's exceptions.

FronteraError            anything a person can fix (message says how)
 ├── InputError          a file or value given to Frontera is wrong (names file, row, field, value)
 │    └── ImportRefusedError  a file had rejected rows: nothing of it was imported (all or nothing)
 └── StoreError          the user's store could not be read or written; it was left as it was
      └── SchemaError     a database whose schema this Frontera does not know (fix: `frontera db upgrade`)
"""

from __future__ import annotations


class FronteraError(Exception):
    """A problem a person can fix; ``str()`` says what and how."""


class InputError(FronteraError):
    """A file or value given to Frontera is wrong."""


class StoreError(FronteraError):
    """The user's store could not be read or written; it was left as it was."""


class ImportRefusedError(InputError):
    """An import was refused as a whole (rows were rejected and only all or nothing was asked); nothing changed."""


class SchemaError(StoreError):
    """The database has no Frontera schema, an older one, or one from a newer Frontera: nothing is read or written."""
