"""What the AppTest files share: the app run from a URL, and the map's script as the page holds it."""

from __future__ import annotations

import json
import threading

from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def run(query: dict | None = None, timeout: float = 60, page: str | None = None) -> AppTest:
    """The app opened with ``query`` in its URL, run once, with no exception; then ``page``
    (a file name in ``app_pages/``) when given, as a click in the navigation opens it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, at.exception
    return at


def map_script(at: AppTest) -> str:
    """The base map's script and the view's layers, as the streamlit-folium component receives them."""
    comps = at.get("component_instance")
    assert comps, "no streamlit-folium component on the page"
    args = json.loads(comps[0].proto.json_args)
    return args["script"] + (args["feature_group"] or "")


def in_two_languages_at_once(rounds: int, read, timeout: float = 120) -> dict[str, list]:
    """A Spanish and an English session of the app, run ``rounds`` times each in step (both start each run
    together): what ``read(at)`` gives after every run, per language. Fails on an exception in either."""
    seen: dict[str, list] = {"es": [], "en": []}
    barrier = threading.Barrier(2)
    errors: list[object] = []

    def session(lang: str) -> None:
        at = AppTest.from_file(APP, default_timeout=timeout)
        at.query_params["lang"] = lang
        for _round in range(rounds):
            barrier.wait()
            at.run()
            if at.exception:
                errors.append(at.exception)
            seen[lang].append(read(at))

    threads = [threading.Thread(target=session, args=(lang,)) for lang in seen]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return seen
