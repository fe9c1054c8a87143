"""Where Frontera's files are: the bundled data, the user's store folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def geodata_dir() -> Path:
    """Folder of the bundled data."""
    return Path(os.environ.get("FRONTERA_GEODATA_DIR", PROJECT_ROOT / "geodata"))


def data_dir() -> Path:
    """Folder of the user's store (imported records)."""
    if "FRONTERA_DATA_DIR" in os.environ:
        return Path(os.environ["FRONTERA_DATA_DIR"])
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "frontera"
