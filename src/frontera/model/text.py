"""Marking the model's words for translation without importing anything outside the model.

``N_("exact day")`` returns its argument unchanged; Babel's extraction (``make messages``)
collects every ``N_`` call, and the adapters translate the value where it is shown
(``frontera.i18n._``). The model itself stays free of languages and of Frontera's other modules.
"""

from collections.abc import Callable


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """``message``, marked for translation where it is shown."""
    return message


class Worded(str):
    """A message already filled with its facts (``str`` of it reads in English) that remembers its
    marked words and the facts, so that an adapter can say it in another language::

        Worded(N_("a place on the map; did you mean {names}?"), names="Cuilco")
    """

    template: str
    facts: tuple[tuple[str, object], ...]

    def __new__(cls, template: str, **facts: object) -> "Worded":
        out = super().__new__(cls, template.format(**facts))
        out.template, out.facts = template, tuple(facts.items())
        return out

    def said(self, tr: Callable[[str], str]) -> str:
        """The message with its words through ``tr`` (a translator), its facts as they are."""
        return tr(self.template).format(**{k: say(v, tr) for k, v in self.facts})


def say(text: object, tr: Callable[[str], str]) -> object:
    """``text`` through ``tr`` when it is :class:`Worded`; anything else as it is."""
    return text.said(tr) if isinstance(text, Worded) else text
