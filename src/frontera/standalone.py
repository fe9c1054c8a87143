"""One self-contained HTML file of a view: every script, style sheet and image inlined.

It opens from a USB stick with the network cut and draws the same map as the app
(the lead's :func:`frontera.mapview.build_map`, with assets inlined and no
background tiles, whatever the tile setting says: tiles would need a server).
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import cast

from branca.element import Figure

from frontera import assets, i18n
from frontera.errors import FronteraError
from frontera.i18n import _
from frontera.model.layers import layer
from frontera.model.translations import translate_records, translate_static
from frontera.model.view import View
from frontera.storage import geopackage as store
from frontera.storage.geopackage import Situation


def in_language(situation: Situation) -> Situation:
    """The situation with the bundled records' prose in the current language (imported records as written)."""
    if i18n.current() == i18n.DEFAULT_LANGUAGE:
        return situation
    texts = store.read_record_texts(i18n.current())
    return replace(
        situation,
        records=translate_records(situation.records, texts),
        crossings=translate_static(situation.crossings, texts),
        places=translate_static(situation.places, texts),
    )


def window_text(view: View) -> str:
    """The view's dates as the language writes them: ``3 August 2024 to 1 May 2025``."""
    return _("{start} to {end}").format(
        start=i18n.format_date(view.window.start), end=i18n.format_date(view.window.end)
    )


def layers_text(view: View) -> str:
    """The view's layers by their titles, in the current language."""
    return ", ".join(_(layer(name).title) for name in view.layers) or _("no layers")


def standalone_html(situation: Situation, view: View) -> str:
    """The page's HTML; :class:`FronteraError` if anything in it would still load from the network."""
    from frontera.mapview import MapOptions, build_map  # noqa: PLC0415  (mapview imports every layer)

    m = build_map(situation, view, MapOptions(asset_mode="inline", tiles=None))
    figure = cast(Figure, m.get_root())
    figure.title = html.escape(f"Frontera: {window_text(view)} · {layers_text(view)}")
    # The page says its language, so a browser reads (and offers to translate) it as what it is.
    page = figure.render().replace("<html>", f'<html lang="{i18n.current()}">', 1)
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
