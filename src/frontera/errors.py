"""Frontera's exceptions.

FronteraError            anything a person can fix (message says how)
 ├── InputError          a file or value given to Frontera is wrong (names file, row, field, value)
 └── StoreError          the user's store could not be read or written; it was left as it was
"""

from __future__ import annotations


class FronteraError(Exception):
    """A problem a person can fix; ``str()`` says what and how."""


class InputError(FronteraError):
    """A file or value given to Frontera is wrong."""


class StoreError(FronteraError):
    """The user's store could not be read or written; it was left as it was."""
