"""retention: how long archive documents are kept and when they may be destroyed.

A library of rules: no Flask, no database. Time is always an input.
"""

from retention.disposal import Candidate, Decision, backup_set_may_go, decide, select
from retention.errors import RetentionError
from retention.schedule import (
    DEFAULT_CASE_INDEX,
    DEFAULT_YEARS,
    MAX_YEARS,
    MIN_YEARS,
    file_closes_on,
    retention_end,
    years_problem,
)

__all__ = ["DEFAULT_CASE_INDEX", "DEFAULT_YEARS", "MAX_YEARS", "MIN_YEARS", "Candidate", "Decision", "RetentionError",
           "backup_set_may_go", "decide", "file_closes_on", "retention_end", "select", "years_problem"]
