"""A bad value in a view's URL parameters (or command-line options), as data rather than text.

The app shows the nearest valid view and ``str(warning)``; the command line refuses the value
and prints :meth:`ViewWarning.cli_error` (no guess for a script). Both wordings come from the
same fields, so neither side parses the other's sentences.

>>> w = ViewWarning("density", "blobs", "one of auto, points", "it was ignored (auto)")
>>> str(w)
"URL parameter density 'blobs' is not one of auto, points; it was ignored (auto)."
>>> ViewWarning("min_fatalities", "two", "a whole number >= 0", "it was ignored (0)", where="command line").cli_error()
"--min-fatalities 'two' is not a whole number >= 0"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from frontera.model.text import N_, Worded

#: What was wrong; each has its sentence (``str()``) and its command-line error.
Reason = Literal["not_valid", "not_a_date", "too_far", "unknown_layer", "before_start"]

_APP_TEXT: dict[str, str] = {
    "not_valid": N_("{label} {value!r} is not {expected}; {instead}."),
    "not_a_date": N_("{label} {value!r} is not a date; expected {expected}. {instead}."),
    "too_far": N_("{label} {value!r} is too far from our times; expected {expected}. {instead}."),
    "unknown_layer": N_("Unknown layer {value!r} in {label} was {instead}; layers are {expected}."),
    "before_start": N_("{label} {value} is before start {expected}; {instead}."),
}
_CLI_TEXT: dict[str, str] = {
    "not_valid": N_("{label} {value!r} is not {expected}"),
    "not_a_date": N_("{label} {value!r} is not a date; expected {expected}."),
    "too_far": N_("{label} {value!r} is too far from our times; expected {expected}."),
    "unknown_layer": N_("Unknown layer {value!r} in {label}; layers are {expected}."),
    "before_start": "{label} {value} is before start {expected}; {instead}.",  # not an error on the command line
}


@dataclass(frozen=True)
class ViewWarning:
    """One bad view parameter: its name, the value given, what was expected and what was done instead.

    ``expected`` completes the reason's sentence: ``"one of auto, points, hexagons, heat"``,
    ``"YYYY-MM-DD"``, the known layers for ``unknown_layer``, and the start day for ``before_start``.
    """

    parameter: str  # the URL parameter ("start", "min_fatalities"); on the command line --start, --min-fatalities
    value: str  # the value given, as quoted (long values cut)
    expected: str
    instead: str  # what the app did instead: "it was ignored (auto)", "the two were swapped"
    reason: Reason = "not_valid"
    where: str = "URL"  # or "command line"

    @property
    def label(self) -> str:
        """How the parameter is named where it was given: ``URL parameter min_fatalities`` or ``--min-fatalities``."""
        return self._label()

    def _label(self, tr: Callable[[str], str] = str) -> str:
        if self.where == "command line":
            return f"--{self.parameter.replace('_', '-')}"
        return tr(N_("URL parameter {name}")).format(name=self.parameter)

    def __str__(self) -> str:
        return self._render(_APP_TEXT)

    def said(self, tr: Callable[[str], str]) -> str:
        """The app's sentence in the language of ``tr`` (a gettext function); the value stays as given."""
        return tr(_APP_TEXT[self.reason]).format(
            label=self._label(tr), value=self.value, expected=_worded(self.expected, tr), instead=tr(self.instead)
        )

    def cli_error(self, tr: Callable[[str], str] = str) -> str:
        """The command line's error: the problem and what was expected, without what the app would do instead;
        its words through ``tr`` (a gettext function), the value as given."""
        return tr(_CLI_TEXT[self.reason]).format(
            label=self._label(tr), value=self.value, expected=_worded(self.expected, tr), instead=tr(self.instead)
        )

    def _render(self, texts: dict[str, str]) -> str:
        return texts[self.reason].format(
            label=self.label, value=self.value, expected=self.expected, instead=self.instead
        )


def _worded(expected: str, tr: Callable[[str], str]) -> str:
    """What was expected, through ``tr``: a :class:`Worded` keeps its facts (choices, days) as they are."""
    return expected.said(tr) if isinstance(expected, Worded) else tr(expected)
