"""The real clock, as the entry point's composition root knows it.

Destroying archive material (composing, approving and carrying out a disposal act) reads the
date only from a `Clock` that the entry point takes from the composition root: no command-line
option, form field or API parameter reaches it, so nobody can destroy «as of» another day. A
dry run may look at any day; tests build a clock that stands at the moment they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo


SCHOOL_TIMEZONE = "Europe/Moscow"
"""The time zone a school's paper is dated in when nothing else is said (`ARCHIVE_TIMEZONE` sets it)."""


@dataclass(frozen=True)
class Clock:
    now: Callable[[], dt.datetime]
    """The present moment, timezone-aware (UTC)."""
    timezone: str = SCHOOL_TIMEZONE
    """The school's time zone: the day a person at the school calls today."""

    def today(self) -> dt.date:
        return self.now().astimezone(ZoneInfo(self.timezone)).date()
