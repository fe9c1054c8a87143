"""Frontera: the entrypoint. Names the pages and owns the view every page shares (layers, dates, selection).

``streamlit run app.py``. The session's language is decided first (URL ``lang=``, the
person's choice, the browser's). The sidebar's view controls are drawn here, once, for the
pages that use the view; every page keeps the view in the URL, so a page change, a
reload or a shared link never loses a part of it.
"""

import streamlit as st

from frontera.i18n import _
from frontera.ui import controls, data, focus, language, signin

language.session_language()
MAP = st.Page("app_pages/0_Map.py", title=_("Map"), default=True)
VIEW_PAGES = [
    MAP,
    st.Page("app_pages/1_Timeline.py", title=_("Timeline")),
    st.Page("app_pages/2_Data.py", title=_("Data")),
]
OTHER_PAGES = [
    st.Page("app_pages/3_Sources.py", title=_("Sources")),
    st.Page("app_pages/5_Import.py", title=_("Import")),
]

signin.gate()  # sign-in, when configured, before any page is named or drawn
page = st.navigation(VIEW_PAGES + OTHER_PAGES)
st.set_page_config(page_title=f"Frontera — {page.title}", page_icon="🗺️", layout="wide")
language.language_switch()
sit = data.situation()
span = data.span(sit)
if page in VIEW_PAGES:
    focus.sidebar_focus(sit, controls.sidebar_view(span))
else:
    controls.keep_view(span)
page.run()
