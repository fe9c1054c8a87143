"""Map elements whose output is never read as a template a second time, and the encoder for data.

The class of bug this closes: branca's ``MacroElement.render`` puts each element's
rendered ``header``, ``html`` and ``script`` into ``Element(text)``, and ``Element``
compiles ``text`` as a *new* Jinja template that ``Figure.render`` renders again.
Any data inside that output is then template source: a note reading ``{{ 7*191 }}``
turns into ``1337``, ``{{ lipsum.__globals__.os.popen('id').read() }}`` runs a
command, and a lone ``{#`` raises ``TemplateSyntaxError`` for everyone who opens
the map. Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``, not ``{``, ``%``
or ``#``, so escaping alone at the element does not help.

Two defences, both always on:

* :func:`install` (run when :mod:`frontera.layers` is imported) makes every
  ``MacroElement`` hand its rendered parts to the figure as :class:`LiteralText`,
  which is pasted as it is. The first pass (the element's own template, written
  by us or by folium) is unchanged; the second pass no longer exists. branca is
  pinned in ``pyproject.toml``; ``tests/test_template_injection.py`` fails if a
  new branca changes the method this replaces.
* :func:`js_value` is the one encoder through which Frontera's own elements put
  data into a script: JSON whose strings also escape ``{ } % # < > & ' "`` and the
  JavaScript line separators as ``\\uXXXX``, so nothing a template engine or an HTML
  parser would read survives, whichever pass sees it.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import Element, Figure, MacroElement

#: Characters written as ``\\uXXXX`` inside JSON strings: template syntax, HTML syntax, JS line ends.
_ESCAPED = {c: f"\\u{ord(c):04x}" for c in "{}%#<>&'\"\u2028\u2029"}
_TRANSLATE = str.maketrans({c: e for c, e in _ESCAPED.items() if c != '"'})


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal in which no template or HTML syntax survives.

    >>> literal = js_string("{{ 7*191 }} <b>&</b> {% if %} {# x #}")
    >>> any(c in literal for c in "{}%#<>&")
    False
    >>> json.loads(literal)
    '{{ 7*191 }} <b>&</b> {% if %} {# x #}'
    """
    # json.dumps already writes a quote inside the string as \"; the rest is translated here.
    return json.dumps(text, ensure_ascii=False).translate(_TRANSLATE)


def js_value(value: Any) -> str:
    """``value`` (dicts, lists, strings, numbers, booleans, None) as a JavaScript literal, strings via :func:`js_string`.

    >>> js_value({"title": "{% raw %}", "n": 3, "tags": ["a#b", None, True]})[:10]
    '{"title": '
    >>> json.loads(js_value({"title": "{% raw %}", "n": 3, "tags": ["a#b", None, True]}))
    {'title': '{% raw %}', 'n': 3, 'tags': ['a#b', None, True]}
    """
    if isinstance(value, str):
        return js_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{js_string(str(k))}: {js_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(js_value(v) for v in value) + "]"
    return json.dumps(value, allow_nan=False)


class LiteralText(Element):
    """Markup or script put into the page as it is: never compiled as a Jinja template."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "LiteralText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _render_without_second_pass(self: MacroElement, **kwargs: Any) -> None:
    """``MacroElement.render`` of branca 0.8, with the rendered parts kept as literal text."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise AssertionError("You cannot render this Element if it is not in a Figure.")
    macros = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(LiteralText(str(macro(self, kwargs))), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


_ORIGINAL_RENDER = MacroElement.render


def install() -> None:
    """Make every ``MacroElement`` (folium's and ours) skip branca's second template pass. Idempotent."""
    MacroElement.render = _render_without_second_pass  # type: ignore[method-assign]


def installed() -> bool:
    return MacroElement.render is _render_without_second_pass
