"""The retention end of a file: 1 January of the year after it was closed, plus the years.

Russian archival practice counts a retention period from 1 January of the year following the
year the file (дело) was closed: a 2026/2027 journal closed in June 2027 and kept 5 years is
kept until 1 January 2033.
"""

from __future__ import annotations

import datetime as dt

from retention.errors import RetentionError


def retention_end(closed_on: dt.date, years: int) -> dt.date:
    """The first day the file may be destroyed."""
    if years < 1:
        raise RetentionError(f"срок хранения должен быть не меньше года, указано: {years}")
    return dt.date(closed_on.year + 1 + years, 1, 1)
