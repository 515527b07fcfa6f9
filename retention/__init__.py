"""retention: how long archive documents are kept and when they may be destroyed.

A library of rules: no Flask, no database. Time is always an input.
"""

from retention.errors import RetentionError
from retention.schedule import retention_end

__all__ = ["RetentionError", "retention_end"]
