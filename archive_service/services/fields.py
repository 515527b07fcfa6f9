"""The limits of `domain.fields` as services apply them: the text stripped, or an `ArchiveError`
in Russian before anything is written."""

from __future__ import annotations

from typing import Mapping

from archive_service.domain.fields import LINE_MOST, QUERY_MOST, field_problem
from archive_service.errors import ArchiveError


def checked(value: str | None, what: str, *, most: int = LINE_MOST, required: bool = True,
            lines: bool = False) -> str:
    """`value` stripped, if the field `what` may hold it; else `ArchiveError` saying why."""
    text = (value or "").strip()
    problem = field_problem(text, what, most=most, required=required, lines=lines)
    if problem:
        raise ArchiveError(problem)
    return text


def checked_query(values: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    """The search fields `labels` names (field → its label on the page) as typed, stripped, none
    longer than `QUERY_MOST`; else `ArchiveError` naming the field before anything is searched."""
    return {field: checked(values.get(field), label, most=QUERY_MOST, required=False)
            for field, label in labels.items()}
