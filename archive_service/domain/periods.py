"""Names of the school's reporting periods as people read them: «Q2» → «II четверть»."""

import re

PERIOD_TITLES = {"Q1": "I четверть", "Q2": "II четверть", "Q3": "III четверть", "Q4": "IV четверть",
                 "H1": "I полугодие", "H2": "II полугодие", "T1": "I триместр", "T2": "II триместр",
                 "T3": "III триместр", "year": "учебный год"}


def period_title(code: str) -> str:
    return PERIOD_TITLES.get(code, code)


_YEAR_AND_CODE = re.compile(r"(\d{4}/\d{4}), (\w+)")


def readable_period(text: str) -> str:
    """«2026/2027, Q2» (as register entries keep it) → «2026/2027, II четверть»; other text as it is."""
    match = _YEAR_AND_CODE.fullmatch(text)
    if match and match.group(2) in PERIOD_TITLES:
        return f"{match.group(1)}, {PERIOD_TITLES[match.group(2)]}"
    return text
