"""People's names in Russian text: the gender a full name tells, and the words that agree with it.

A full name is written «Фамилия Имя Отчество». The patronymic tells the gender for certain (-ич
or «оглы» is a man, -на or «кызы» a woman); declining a name into another case needs a
dictionary of names, which the domain does not hold: the rules that write about a person take a
`NameForms` (the application gives them one backed by a morphological dictionary,
`archive_service.rendering.names`) and fall back to `AS_WRITTEN`, the name as it stands and
words of both genders («ученик(ца)»).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
"""The cases by the codes of the OpenCorpora tag set: именительный … предложный."""


@dataclass(frozen=True)
class Gender:
    """The endings of the words that agree with a person: «обучался», «обучалась», «обучался(ась)»."""

    key: str  # "m", "f" or "" when the name does not tell

    def word(self, male: str, female: str, both: str) -> str:
        return {"m": male, "f": female}.get(self.key, both)


MALE, FEMALE, UNKNOWN = Gender("m"), Gender("f"), Gender("")


def gender_of(full_name: str) -> Gender:
    """From the patronymic (the third word on): -ич / оглы is a man, -на / кызы a woman."""
    words = full_name.split()
    last = words[-1].casefold() if len(words) >= 3 else ""
    if last.endswith("ич") or last == "оглы":
        return MALE
    if last.endswith("на") or last == "кызы":
        return FEMALE
    return UNKNOWN


class NameForms(Protocol):
    """What the rules need to write about a person: the gender, and the name in a case."""

    def gender(self, full_name: str) -> Gender: ...

    def inflect(self, full_name: str, case: str) -> str: ...


class AsWritten:
    """The name as it is written (nominative) and the gender its patronymic tells."""

    def gender(self, full_name: str) -> Gender:
        return gender_of(full_name)

    def inflect(self, full_name: str, case: str) -> str:
        return full_name


AS_WRITTEN: NameForms = AsWritten()


def student_genitive(full_name: str, names: NameForms = AS_WRITTEN) -> str:
    """«у ученицы Киселёвой Кристины Владиславовны», «у ученика(цы) …» when the gender is unknown."""
    gender = names.gender(full_name)
    return f"{gender.word('ученика', 'ученицы', 'ученика(цы)')} {names.inflect(full_name, 'gent')}"


def student_nominative(full_name: str, names: NameForms = AS_WRITTEN) -> str:
    """«ученица Киселёва Кристина Владиславовна», «ученик(ца) …» when the gender is unknown."""
    return f"{names.gender(full_name).word('ученик', 'ученица', 'ученик(ца)')} {full_name}"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count: 1 лист, 2 листа, 5 листов (11–14 take «many»)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
