"""Russian full names declined by a morphological dictionary (pymorphy3 with OpenCorpora's).

«Киселёва Кристина Владиславовна» → «Киселёвой Кристины Владиславовны». Each part is declined
as what it is — a surname (each half of a double one), a given name, a patronymic — in the
gender the patronymic tells (or, without one, the given name, when the dictionary knows it as a
name of one gender). A part the dictionary does not know as such a name stays as written
(«Белых», «Шевчук» of a woman, a foreign name), and so does the whole name when the gender
cannot be told: a name is never guessed into a wrong form, and nothing here raises for an odd
name. «оглы» / «кызы» patronymics stay as written, as they are in documents.

The dictionary (about 15 MB) is loaded once per process, on the first name declined.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from archive_service.domain.names import CASES, FEMALE, MALE, UNKNOWN, Gender, gender_of

_TAG_GENDER = {"m": "masc", "f": "femn"}
_TURKIC = ("оглы", "кызы")


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3  # loaded on first use: 0.2 s and the dictionary's memory, only where names are declined

    return pymorphy3.MorphAnalyzer()


def _match_letters(written: str, declined: str) -> str:
    """The declined form spelled as the name was written: capitals, and «е» kept where «ё» was not used."""
    if "ё" not in written.casefold():
        declined = declined.replace("ё", "е")
    if written.isupper() and len(written) > 1:
        return declined.upper()
    if written[:1].isupper():
        return declined[:1].upper() + declined[1:]
    return declined


def _decline_word(word: str, role: str, gender: Gender, case: str) -> str:
    """One word of a name (`role`: «Surn», «Name», «Patr») into `case`; as written when unknown."""
    if not word or not word.isalpha():
        return word
    wanted = _TAG_GENDER[gender.key]
    for parse in _analyzer().parse(word):
        grammemes = parse.tag.grammemes
        if {role, "nomn", "sing"} <= grammemes and (wanted in grammemes or "ms-f" in grammemes):
            form = parse.inflect({case})
            return _match_letters(word, form.word) if form is not None else word
    return word


def _decline_part(part: str, role: str, gender: Gender, case: str) -> str:
    """A double surname or name declines in each half: «Римской-Корсаковой»."""
    return "-".join(_decline_word(half, role, gender, case) for half in part.split("-"))


def _gender_by_given_name(given: str) -> Gender:
    genders = {g for p in _analyzer().parse(given) if {"Name", "nomn"} <= p.tag.grammemes
               for g in p.tag.grammemes & {"masc", "femn", "ms-f"}}
    if genders == {"masc"}:
        return MALE
    if genders == {"femn"}:
        return FEMALE
    return UNKNOWN


class RussianNames:
    """`NameForms` backed by pymorphy3: what the rules use to write about a person."""

    def gender(self, full_name: str) -> Gender:
        known = gender_of(full_name)
        words = full_name.split()
        if known.key or len(words) < 2:
            return known
        return _gender_by_given_name(words[1])

    def inflect(self, full_name: str, case: str) -> str:
        """The full name in `case` (an OpenCorpora code: «gent», «datv», …); as written if it cannot be done."""
        if case not in CASES:
            raise ValueError(f"неизвестный падеж: {case}")
        return _inflect(full_name, case)


@lru_cache(maxsize=4096)
def _inflect(full_name: str, case: str) -> str:
    words = full_name.split()
    gender = RUSSIAN_NAMES.gender(full_name)
    if case == "nomn" or not words or not gender.key:
        return full_name
    surname, given, rest = words[0], words[1:2], words[2:]
    declined = [_decline_part(surname, "Surn", gender, case)]
    declined += [_decline_part(w, "Name", gender, case) for w in given]
    if rest and rest[-1].casefold() in _TURKIC:
        declined += rest  # «Ибрагим оглы»: as written
    else:
        declined += [_decline_part(w, "Patr", gender, case) for w in rest]
    return " ".join(declined)


RUSSIAN_NAMES = RussianNames()


def decline(full_name: str, case: str) -> str:
    """«Киселёва Кристина Владиславовна», «gent» → «Киселёвой Кристины Владиславовны»."""
    return RUSSIAN_NAMES.inflect(full_name, case)
