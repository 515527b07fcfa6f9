"""Finding entries in the register: each row with its document's kind and class, and the search
of the register page («12/2027», «№ 12», «5а сводн», «шкаф 2»)."""

from __future__ import annotations

import re
from typing import Any, Mapping

from archive_service.domain.periods import readable_period
from archive_service.services.certificates import normalise_name
from archive_service.services.fields import checked_query
from archive_service.services.register import described_rows
from archive_service.services.unit_of_work import UnitOfWork

FILTERS = ("q", "year", "status", "kind")
"""What the register page filters by: the search words, the year, the status, the kind of document."""
LABELS = {"q": "Поиск", "year": "Год реестра", "status": "Состояние", "kind": "Вид документа"}


def wanted(values: Mapping[str, str]) -> dict[str, str]:
    """The filters given (stripped, empty ones left out); `ArchiveError` in Russian for one longer
    than a search box takes, before anything is searched."""
    return {k: v for k, v in checked_query(values, LABELS).items() if v}


def described_register(uow: UnitOfWork, year: int | None = None) -> list[dict[str, Any]]:
    """The register's rows (as `register.list_register`: with the kind and class of each document)."""
    with uow:
        return [row.as_dict() for row in described_rows(uow, year)]


def matches(row: Mapping[str, Any], query: str) -> bool:
    """«12/2027», «№ 12» find an entry by number; otherwise every word of the query is the number
    or the beginning of a word of the entry («5а», «сводн», «II», «шкаф»)."""
    if not query:
        return True
    number = re.fullmatch(r"№\s*(\d+)(?:\s*/\s*(\d{4}))?|(\d+)\s*/\s*(\d{4})", query)
    if number:
        wanted, year = number[1] or number[3], number[2] or number[4]
        return row["number"] == int(wanted) and (not year or row["year"] == int(year))
    text = " ".join([row["title"], readable_period(row["period"]), row["case_index"], row.get("place", ""),
                     row["room"], row["cabinet"], row["folder"]])
    words = normalise_name(re.sub(r"[,«»\"()]", " ", text)).split()
    return all(token == str(row["number"]) or any(w.startswith(token) for w in words)
               for token in normalise_name(query).split())


def search(rows: list[dict[str, Any]], wanted: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rows of the year, status and kind wanted (each when given) that match the search words."""
    return [r for r in rows if str(r["year"]) == wanted.get("year", str(r["year"]))
            and r["status"] == wanted.get("status", r["status"]) and r["kind"] == wanted.get("kind", r["kind"])
            and matches(r, wanted.get("q", ""))]
