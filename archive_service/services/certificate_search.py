"""Finding a former pupil for an archival certificate from what the person asking remembers.

A visitor says «Киселева, 2011 года» — not the full name exactly as the journal spelt it, and not
always the birth date. The secretary types a surname (a first name and a patronymic may follow,
an initial will do) and/or the birth year or the full birth date; every pupil of the year snapshots
(their newest versions: what the summary sheets print) who fits is a candidate, with the classes and
school years the pupil appears in. Case, «ё»/«е», extra spaces and a typo or two (edit distance:
one for a word of up to six letters, two for a longer one) do not matter; the closest come first.
The secretary then issues the certificate for one exact candidate (`certificates.issue_certificate`
with that candidate's name and birth date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from archive_service.domain.fields import QUERY_MOST
from archive_service.errors import ArchiveError
from archive_service.services.certificates import normalise_name
from archive_service.services.fields import checked
from archive_service.services.unit_of_work import UnitOfWork

CANDIDATES_MOST = 30
"""Candidates shown at most: more means the query should say more (a first name, the year)."""
NO_MATCH = 99


@dataclass(frozen=True)
class Candidate:
    """A pupil who fits the query: the name as the newest summary sheet spells it, the birth date,
    and every (school year, class) whose summary sheet lists the pupil, oldest first."""

    full_name: str
    birth_date: dt.date
    classes: tuple[tuple[str, str], ...]
    distance: int
    """How far the name typed is from this pupil's (0: the same, letters «ё»/«е» and case aside)."""


@dataclass(frozen=True)
class Found:
    candidates: list[Candidate]
    total: int
    """Every candidate that fits; only the first `CANDIDATES_MOST` are in `candidates`."""

    @property
    def cut(self) -> bool:
        return self.total > len(self.candidates)


@dataclass(frozen=True)
class BirthWanted:
    """The birth year, or the full date, typed into the search."""

    year: int | None = None
    date: dt.date | None = None

    @property
    def span(self) -> tuple[dt.date | None, dt.date | None]:
        if self.date is not None:
            return self.date, self.date
        if self.year is not None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        return None, None

    def words(self) -> str:
        if self.date is not None:
            return f"с датой рождения {self.date:%d.%m.%Y}"
        return f"{self.year} года рождения" if self.year is not None else ""


def read_birth(text: str | None) -> BirthWanted:
    """«2011», «07.07.2011», «7.7.2011», «2011-07-07» or nothing; else `ArchiveError` in Russian."""
    value = checked(text, "Год или дата рождения", most=QUERY_MOST, required=False)
    if not value:
        return BirthWanted()
    if re.fullmatch(r"\d{4}", value) and 1900 <= int(value) <= 2100:
        return BirthWanted(year=int(value))
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return BirthWanted(year=day.year, date=day)
    raise ArchiveError(f"не удалось прочитать год или дату рождения «{value}»: укажите год (2011) "
                       "или дату (07.07.2011)")


def _allowed(word: str) -> int:
    """The typos a word of the query may hold: none in a word of up to three letters, one up to six."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


def name_distance(query: list[str], name: list[str]) -> int:
    """How far the words typed (surname, then first name and patronymic, each optional) are from a
    pupil's name, or `NO_MATCH`. A first name or patronymic may be given by its beginning («Крис»,
    «К.»); the surname must be whole, within its typos."""
    if len(query) > len(name):
        return NO_MATCH
    total = 0
    for position, (typed, word) in enumerate(zip(query, name)):
        typed = typed.rstrip(".")
        if position and typed and word.startswith(typed):
            continue
        distance = Levenshtein.distance(typed, word, score_cutoff=_allowed(typed))
        if distance > _allowed(typed):
            return NO_MATCH
        total += distance
    return total


def find_candidates(uow: UnitOfWork, name: str | None, born: str | None) -> Found:
    """The pupils of the summary sheets who fit a surname (and more of the name) and/or a birth
    year or date, closest first, then by name and birth date."""
    typed = normalise_name(checked(name, "Фамилия, имя, отчество", most=QUERY_MOST, required=False)).split()
    birth = read_birth(born)
    if not typed and birth.year is None:
        raise ArchiveError("укажите фамилию или год рождения (можно и то и другое)")
    with uow:
        rows = uow.snapshots.year_pupils(*birth.span)
    pupils: dict[tuple[str, dt.date], list[tuple[str, int, str, str]]] = {}
    for full_name, birth_date, year, grade, class_name in rows:
        pupils.setdefault((normalise_name(full_name), birth_date), []).append((year, grade, class_name, full_name))
    found = []
    for (normal, birth_date), seen in pupils.items():
        distance = name_distance(typed, normal.split()) if typed else 0
        if distance != NO_MATCH:
            seen.sort()
            classes = tuple(dict.fromkeys((year, class_name) for year, _, class_name, _ in seen))
            found.append(Candidate(seen[-1][3], birth_date, classes, distance))
    found.sort(key=lambda c: (c.distance, normalise_name(c.full_name), c.birth_date))
    return Found(found[:CANDIDATES_MOST], len(found))


def nothing_found(name: str | None, born: str | None) -> str:
    """What the page says when nobody fits the query."""
    birth = read_birth(born)
    asked = ", ".join(filter(None, [f"«{' '.join((name or '').split())}»" if (name or "").strip() else "",
                                    birth.words()]))
    return (f"По запросу {asked} в сводных ведомостях архива никто не найден. Проверьте написание фамилии и год "
            "рождения или укажите только фамилию: буквы «е» и «ё», заглавные и строчные не различаются, "
            "опечатка в одну-две буквы допускается.")


def person_key(candidate: Candidate) -> str:
    """The value of a candidate's «Выдать справку» button: the birth date and the exact name."""
    return f"{candidate.birth_date.isoformat()} {candidate.full_name}"


def read_person(value: str | None) -> tuple[str, dt.date]:
    """(exact name, birth date) from a candidate's button; `ArchiveError` for anything else."""
    born, _, name = (value or "").partition(" ")
    try:
        day = dt.date.fromisoformat(born)
    except ValueError:
        raise ArchiveError("выберите учащегося в списке найденных") from None
    return checked(name, "Учащийся", most=QUERY_MOST * 2), day
