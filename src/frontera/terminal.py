"""Text for the terminal: data and file names are shown, never obeyed.

A file name or a cell may hold ``ESC [ … m`` (colours, cursor moves, clearing the
screen), OSC 8 links, BEL, CR or backspace (which overwrite what was printed) and
bidirectional controls (which reorder it). :func:`safe` shows every such character
as a visible escape (``\\x1b``, ``\\r``, ``\\u202e``); :func:`echo` prints lines through it.
Every line the command line prints goes through :func:`echo`.
"""

from __future__ import annotations

import sys
from typing import TextIO


def safe(text: object) -> str:
    """``text`` with every non-printable character (controls, format characters, line and
    paragraph separators, unassigned code points) written as a visible escape.

    >>> safe("evil\\x1b[2J\\u202efdp.csv\\r\\n")
    'evil\\\\x1b[2J\\\\u202efdp.csv\\\\r\\\\n'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def echo(text: object = "", err: bool = False, file: TextIO | None = None) -> None:
    """Print ``text``: its own line breaks are kept, every other control character is escaped."""
    stream = file or (sys.stderr if err else sys.stdout)
    print("\n".join(safe(line) for line in str(text).split("\n")), file=stream)
