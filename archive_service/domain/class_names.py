"""The order of classes on paper: by grade as a number, then by letter (1А, 2А … 10А, 11А).

Class names are text («10А», «5Б», «11 физ-мат»); sorted as text, «10А» comes before «1А». Every
list of classes printed or shown in order takes its key from here.
"""

from __future__ import annotations

import re

_GRADE = re.compile(r"\s*(\d+)\s*(.*)", re.S)


def class_sort_key(name: str) -> tuple[int, int, str]:
    """«1А» < «2А» < «10А» < «11Б»; a name without a leading grade number sorts after all numbered
    ones, by its text. Within a grade, letters in Russian order (Ё right after Е, not before А)."""
    match = _GRADE.fullmatch(name)
    if match is None:
        return (1, 0, _letters(name))
    return (0, int(match.group(1)), _letters(match.group(2)))


def _letters(text: str) -> str:
    return text.strip().casefold().replace("ё", "е\uffff")
