"""The school's reporting periods — the one home of their codes, kinds and Russian names.

A period is a kind (`quarter`, `half_year`, `trimester`, `year`) and a number; its code is the
kind's letter and the number («Q2»); people read it in Russian («II четверть»), and the printed
grid heads its column with a short label («II», «1п»). Every page, document and message takes
these names from here.
"""

import re
from typing import Iterable

KINDS = {"quarter": ("Q", 4, "четверть"), "half_year": ("H", 2, "полугодие"), "trimester": ("T", 3, "триместр")}
"""kind → (code letter, periods in a year, the word people use)."""
YEAR_TITLE = "учебный год"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

PERIOD_NUMBERS = {**{kind: count for kind, (_, count, _) in KINDS.items()}, "year": 1}
"""How many periods of each kind a school year has."""
PERIOD_TITLES = {**{f"{letter}{n}": f"{ROMAN[n]} {word}" for letter, count, word in KINDS.values()
                    for n in range(1, count + 1)}, "year": YEAR_TITLE}
"""code → Russian name, in the order Q1…Q4, H1, H2, T1…T3, year."""
PERIOD_LABELS = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV", "H1": "1п", "H2": "2п", "T1": "1т",
                 "T2": "2т", "T3": "3т", "year": "год", "exam": "экз", "final": "итог"}
"""code → the short label heading the period's column in a printed grid."""
VOLUME = "volume"
"""The period code of a class's volume of the school year (all its periods bound as one file): a
code of documents, never of snapshots (002 § 5.3, 003 прил. 2 § 3.4)."""
VOLUME_TITLE = "том за учебный год"
COLUMN_NAMES = {**PERIOD_TITLES, "year": "годовая", "exam": "экзаменационная", "final": "итоговая"}
"""code → what a reader of a printed grid is told a column holds («I — I четверть», «итог — итоговая»)."""


def column_legend(codes: list[str]) -> str:
    """The Russian key to the columns a grid shows: «I — I четверть, …, итог — итоговая»."""
    return ", ".join(f"{PERIOD_LABELS[c]} — {COLUMN_NAMES[c]}" for c in codes)


def period_code(kind: str, number: int) -> str:
    """(«quarter», 2) → «Q2»; the year's code is «year»."""
    return "year" if kind == "year" else KINDS[kind][0] + str(number)


def period_title(code: str) -> str:
    """«Q2» → «II четверть», «volume» → «том за учебный год»; an unknown code as it is."""
    return VOLUME_TITLE if code == VOLUME else PERIOD_TITLES.get(code, code)


def kind_title(kind: str, number: int, default: str | None = None) -> str:
    """(«quarter», 2) → «II четверть» (numbers beyond IV in digits); an unknown kind → `default`."""
    if kind == "year":
        return YEAR_TITLE
    if kind not in KINDS:
        if default is None:
            raise KeyError(kind)
        return default
    return f"{ROMAN.get(number, str(number))} {KINDS[kind][2]}"


_YEAR_AND_CODE = re.compile(r"(\d{4}/\d{4}), (\w+)")


def readable_period(text: str) -> str:
    """«2026/2027, Q2» (as register entries keep it) → «2026/2027, II четверть»; other text as it is."""
    match = _YEAR_AND_CODE.fullmatch(text)
    if match and (match.group(2) in PERIOD_TITLES or match.group(2) == VOLUME):
        return f"{match.group(1)}, {period_title(match.group(2))}"
    return text


def periods_title(codes: Iterable[str]) -> str:
    """(«Q1», «Q2») → «I четверть, II четверть»: period codes as people read them; unknown codes as they are."""
    return ", ".join(period_title(code) for code in codes)


def period_file_word(code: str) -> str:
    """The period in a file name people read: «Q2» → «2_четверть», «H1» → «1_полугодие», «year» → «год»."""
    if code == "year":
        return "год"
    if code == VOLUME:
        return "том_за_год"
    for letter, _, word in KINDS.values():
        if len(code) > 1 and code[0] == letter and code[1:].isdigit():
            return f"{int(code[1:])}_{word}"
    return code


def set_periods_title(label: str) -> str:
    """A backup set's periods «Q2,H1» → «II четверть, I полугодие»; a monthly copy's «месяц 2026-12» as it is."""
    return label if label.startswith("месяц") else periods_title(code.strip() for code in label.split(",") if code)
