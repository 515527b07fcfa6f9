"""The limits of `domain.fields` as services apply them: the text stripped, or an `ArchiveError`
in Russian before anything is written."""

from __future__ import annotations

from archive_service.domain.fields import LINE_MOST, field_problem
from archive_service.errors import ArchiveError


def checked(value: str | None, what: str, *, most: int = LINE_MOST, required: bool = True,
            lines: bool = False) -> str:
    """`value` stripped, if the field `what` may hold it; else `ArchiveError` saying why."""
    text = (value or "").strip()
    problem = field_problem(text, what, most=most, required=required, lines=lines)
    if problem:
        raise ArchiveError(problem)
    return text
