"""Names of the school's reporting periods as people read them: «Q2» → «II четверть»."""

PERIOD_TITLES = {"Q1": "I четверть", "Q2": "II четверть", "Q3": "III четверть", "Q4": "IV четверть",
                 "H1": "I полугодие", "H2": "II полугодие", "T1": "I триместр", "T2": "II триместр",
                 "T3": "III триместр", "year": "учебный год"}


def period_title(code: str) -> str:
    return PERIOD_TITLES.get(code, code)
