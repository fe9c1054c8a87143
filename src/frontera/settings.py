"""Settings a deployment chooses: background tiles (none by default).

Frontera draws its own offline basemap, so background tiles are optional and
off unless someone names a tile server, for example one inside the office
network. In order of precedence:

1. environment: ``FRONTERA_TILES_URL`` (``{z}/{x}/{y}`` template) and
   ``FRONTERA_TILES_ATTRIBUTION`` (required with a URL); ``FRONTERA_TILES_MAX_ZOOM``
   optional. ``FRONTERA_TILES_URL=none`` (or empty) turns tiles off even when
   ``frontera.toml`` names some.
2. ``frontera.toml`` in the project root (or the file ``FRONTERA_CONFIG`` names)::

       [tiles]
       url = "http://tiles.office.lan/{z}/{x}/{y}.png"
       attribution = "© OpenStreetMap contributors"
       max_zoom = 17

Each tile request tells the tile server which area is being looked at: only
name a server you trust with that.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from frontera.errors import SettingsError
from frontera.paths import config_path

ENV_URL = "FRONTERA_TILES_URL"
ENV_ATTRIBUTION = "FRONTERA_TILES_ATTRIBUTION"
ENV_MAX_ZOOM = "FRONTERA_TILES_MAX_ZOOM"
_OFF = {"", "none", "off", "false", "0"}


@dataclass(frozen=True)
class TileSetting:
    """A tile server the user named, with the credit its terms require."""

    url: str
    attribution: str
    max_zoom: int = 18


def parse_tiles(url: object, attribution: object, max_zoom: object, where: str) -> TileSetting | None:
    """Check one set of tile values; ``where`` says where they came from, for the error text.

    >>> parse_tiles("http://tiles.lan/{z}/{x}/{y}.png", "© OSM", None, "env")
    TileSetting(url='http://tiles.lan/{z}/{x}/{y}.png', attribution='© OSM', max_zoom=18)
    >>> parse_tiles("none", "", None, "env") is None
    True
    """
    text = "" if url is None else str(url).strip()
    if text.lower() in _OFF:
        return None
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in text]
    if missing:
        raise SettingsError(
            f"{where}: tile url {text!r} lacks {', '.join(missing)}; "
            "expected a template like 'http://host/{z}/{x}/{y}.png'"
        )
    credit = "" if attribution is None else str(attribution).strip()
    if not credit:
        raise SettingsError(
            f"{where}: tile url {text!r} has no attribution; set the credit the tile "
            "source requires (for OpenStreetMap data: '© OpenStreetMap contributors')"
        )
    zoom = 18
    if max_zoom not in (None, ""):
        try:
            zoom = int(str(max_zoom).strip())
        except ValueError:
            zoom = -1
        if not 1 <= zoom <= 22:
            raise SettingsError(f"{where}: tile max_zoom {max_zoom!r} is not a whole number from 1 to 22")
    return TileSetting(text, credit, zoom)


def tiles(environ: Mapping[str, str] | None = None) -> TileSetting | None:
    """The background tiles to draw, or None (the default: Frontera's own basemap only)."""
    environ = os.environ if environ is None else environ
    if ENV_URL in environ:
        return parse_tiles(
            environ[ENV_URL], environ.get(ENV_ATTRIBUTION), environ.get(ENV_MAX_ZOOM), f"environment {ENV_URL}"
        )
    path = config_path(environ)
    if not path.is_file():
        return None
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from exc
    section = config.get("tiles")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: 'tiles' must be a table ([tiles] with url and attribution)")
    return parse_tiles(section.get("url"), section.get("attribution"), section.get("max_zoom"), f"{path} [tiles]")
