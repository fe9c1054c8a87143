"""The hostile-text corpus (issue 8): every payload must come out as the literal text it was.

Shared by the template, Markdown, export and browser tests. ``PWNED_ENV`` names a folder
that the code-execution payloads would create a file in if any template ever ran them.
"""

from __future__ import annotations

#: Environment variable holding the folder that the code-running payloads would write into.
PWNED_ENV = "FRONTERA_PWN_DIR"
#: The file that would appear in that folder (no quotes needed in the payload: ``dict(pwned=1)|first``).
PWNED_NAME = "pwned"

_RUN = "lipsum.__globals__.os"
_PATH = f"{_RUN}.path.join({_RUN}.environ.{PWNED_ENV}, dict(pwned=1)|first)"

JINJA = [
    "{{ 7*191 }} and {% if true %}IFTRUE{% endif %}",
    "{{ 7*191 }}",
    "{% if true %}IFTRUE{% endif %}",
    "{# a comment #}visible",
    "Attack on {#3 checkpoint reported",
    "Curly notes: {{ and a lone {% in a sentence",
    "}} %} #} closing only",
    "{%- if true -%} WS {%- endif -%}",
    "{{- 7*191 -}}",
    "# for x in range(3)\nline statement\n## line comment",
    "{% raw %}{{ raw }}{% endraw %}",
    f"{{{{ {_RUN}.makedirs({_PATH}) }}}}",
    f"{{% set x = {_RUN}.makedirs({_PATH}) %}}",
    "{{ lipsum.__globals__.os.popen(request).read() }}",
    "{{ config.items() }} {{ self.__init__.__globals__ }}",
    "100% of {people} in #hashtag {0}",
]
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(2)</script>",
    "`${alert(3)}` backtick template",
    "&lt;escaped&gt; already &amp; twice",
    "<!-- comment --> <![CDATA[ x ]]>",
]
MARKDOWN = [
    "![x](http://127.0.0.1:9/md.png)",
    "[click me](javascript:alert(1))",
    "javascript:alert(document.domain)",
    "**bold** _it_ `code` # Heading\n---\n| a | b |",
    ":red[colour] $x^2$ <b>b</b>",
]
CSV_FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "＝1+1",
    "＋1",
    "\u200b=1+1",
    "\ufeff=1+1",
    " =1+1",
]
TERMINAL = [
    "\x1b[31mRED\x1b[0m",
    "\x1b]8;;http://127.0.0.1:9/\x07link\x1b]8;;\x07",
    "bell\x07 back\x08space carriage\rreturn",
]
UNICODE = [
    "Сuilco (Cyrillic С)",
    "\u202eevil\u202c right-to-left",
    "zero\u200bwidth\u200d joiners",
    "Amatenango de la Frontera – «Cártel» 🚩",
]
LONG = ["A" * 20_000 + "{{ 7*191 }}"]

#: Every payload, each a distinct string.
ALL: list[str] = JINJA + HTML + MARKDOWN + CSV_FORMULAS + TERMINAL + UNICODE + LONG
#: A short, representative set where each case is expensive (browser, AppTest).
SHORT: list[str] = [
    "{{ 7*191 }} and {% if true %}IFTRUE{% endif %}",
    "Attack on {#3 checkpoint reported",
    "Curly notes: {{ and a lone {% in a sentence",
    f"{{{{ {_RUN}.makedirs({_PATH}) }}}}",
    "<img src=x onerror=alert(1)>",
    "![x](http://127.0.0.1:9/md.png)",
    "=1+1",
    "\u202eevil\u202c",
]
