"""One self-contained HTML file of a view: every script, style sheet and image inlined.

It opens from a USB stick with the network cut and draws the same map as the app
(the lead's :func:`frontera.mapview.build_map`, with assets inlined and no
background tiles, whatever the tile setting says: tiles would need a server).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import cast

from branca.element import Figure

from frontera import assets
from frontera.errors import FronteraError
from frontera.model.view import View
from frontera.storage import geopackage as store
from frontera.storage.geopackage import Situation


def standalone_html(situation: Situation, view: View) -> str:
    """The page's HTML; :class:`FronteraError` if anything in it would still load from the network."""
    from frontera.mapview import MapOptions, build_map  # noqa: PLC0415  (mapview imports every layer)

    m = build_map(situation, view, MapOptions(asset_mode="inline", tiles=None))
    figure = cast(Figure, m.get_root())
    figure.title = html.escape(f"Frontera: {view.window} · {', '.join(view.layers) or 'no layers'}")
    page = figure.render()
    leaks = assets.external_urls(page)
    if leaks:
        raise FronteraError(
            f"the standalone map would still load {leaks[0]!r} from the network "
            f"({len(leaks)} such URL(s)); vendor it under static/vendor/"
        )
    return page


def write_standalone(situation: Situation, view: View, path: Path) -> int:
    """Write the page atomically; returns its size in bytes."""
    page = standalone_html(situation, view)
    store.write_text_atomic(Path(path), page)
    return len(page.encode("utf-8"))
