"""Values worked out from a record frame, kept for the last few frames by the frame's identity.

Record frames are never changed in place (a changed selection is a new frame), so what was worked
out from a frame holds for as long as that very frame lives. The map page hands one date's frame to
the guard, the legend and the payload in turn; each finds here what another already read. A frame is
recognised through a weak reference: nothing kept here keeps a frame alive, and a new frame that
happens to get a freed frame's id is not mistaken for it.
"""

from __future__ import annotations

import threading
import weakref
from typing import Generic, TypeVar

import pandas as pd

T = TypeVar("T")


class PerFrame(Generic[T]):
    """A value per frame, for the last ``keep`` frames (sessions run in threads of one server: locked)."""

    def __init__(self, keep: int = 8):
        self._keep = keep
        self._kept: dict[int, tuple[weakref.ref, T]] = {}
        self._lock = threading.Lock()

    def get(self, frame: pd.DataFrame) -> T | None:
        """The value kept for this very frame, or None."""
        with self._lock:
            kept = self._kept.get(id(frame))
        return kept[1] if kept is not None and kept[0]() is frame else None

    def put(self, frame: pd.DataFrame, value: T) -> T:
        """Keep ``value`` for ``frame`` (the oldest of the kept frames' values goes); returns it."""
        with self._lock:
            self._kept.pop(id(frame), None)
            while len(self._kept) >= self._keep:
                self._kept.pop(next(iter(self._kept)))
            self._kept[id(frame)] = (weakref.ref(frame), value)
        return value
