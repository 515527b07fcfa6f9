"""retention: how long archive documents are kept and when they may be destroyed.

A library of rules: no Flask, no database. Time is always an input.
"""

from retention.errors import RetentionError
from retention.schedule import DEFAULT_YEARS, file_closes_on, retention_end

__all__ = ["DEFAULT_YEARS", "RetentionError", "file_closes_on", "retention_end"]
