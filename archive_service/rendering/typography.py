"""Russian typography of printed text: where a line may not break.

One place for the rule, used by every print template as the Jinja filter `typo`: a non-breaking
space (U+00A0) ties «№» to its number, initials to each other and to the surname, a number to
«г.», «л.», «МБ» and the like, «г.» to the city («г. Москва»), and a dash to the word before
it. A school named «МБОУ СОШ № 21» then never ends a line with «№» and starts the next with
«21», and «Иванова И. И.» is never split.
"""

from __future__ import annotations

import re

from markupsafe import Markup

NBSP = "\u00a0"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # «№ 21», «№21» → «№ 21» (the sign is never alone at a line end)
    (re.compile(r"(№№?)[ \t]*(?=\S)"), r"\1" + NBSP),
    # an initial and what follows it: «И. И. Иванова», «И. Иванова»
    (re.compile(r"(?<![\w.])([А-ЯЁA-Z]\.)[ \t]+(?=[А-ЯЁA-Z])"), r"\1" + NBSP),
    # a surname and the initials after it: «Иванова И. И.»
    (re.compile(r"(?<=[а-яёa-z])[ \t]+(?=[А-ЯЁA-Z]\.(?:$|[\s,;:)/]|[А-ЯЁA-Z]\.))"), NBSP),
    # a number and its unit: «2026 г.», «12 л.», «27,6 МБ» (not «№ 21 г. Москвы»)
    (re.compile(r"(?<=\d)[ \t]+(?=гг?\.(?![ \t]*[А-ЯЁ])|(?:лл?|шт|руб|коп|с|стр)\.|[КМГТ]Б(?!\w)|мм(?!\w)|%)"), NBSP),
    # an abbreviation and the number or name it introduces: «л. 3–4», «г. Москва», «с. 5»
    (re.compile(r"(?<![\w.])(лл?|стр|с|гг?|п|ст|ч|т|д|ул)\.[ \t]+(?=\d|[А-ЯЁ])"), r"\1." + NBSP),
    # a dash never starts a line
    (re.compile(r"[ \t]+(—)"), NBSP + r"\1"),
)


def typeset(text: str) -> str:
    """`text` with the non-breaking spaces Russian typography asks for."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def typo(value: object) -> str | Markup:
    """The Jinja filter: plain text stays plain (autoescaped later), markup stays markup."""
    if isinstance(value, Markup):
        return Markup(typeset(str(value)))
    return typeset("" if value is None else str(value))
