"""Data in Streamlit's text elements: st.warning, st.error, st.info, st.caption and st.subheader
read markdown, so a value such as ``![x](http://host/t.png)`` (from a shared URL or an
imported file) would become an image request. :func:`plain` makes any text literal."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(text: object) -> str:
    """``text`` with every markdown-active character escaped, so it shows exactly as given.

    >>> plain("![x](http://e.example/t.png)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\://e\\\\.example/t\\\\.png\\\\)'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))
