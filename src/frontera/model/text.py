"""Marking the model's words for translation without importing anything outside the model.

``N_("exact day")`` returns its argument unchanged; Babel's extraction (``make messages``)
collects every ``N_`` call, and the adapters translate the value where it is shown
(``frontera.i18n._``). The model itself stays free of languages and of Frontera's other modules.
"""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """``message``, marked for translation where it is shown."""
    return message
