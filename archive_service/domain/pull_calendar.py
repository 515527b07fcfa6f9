"""When scheduled pulls from a journal system run: nightly around the end of each period.

The 5-day procedure closes a period in the first days after its last day, so the journal must be
in the archive during the last week of the period (teachers finish their marks) and the first
days of the holidays (late corrections before the copies are made). The period calendar is the
one the journal system itself reported at its last sign-in (`SourceInfo.periods`): the archive
has no calendar of its own before the first snapshot, and the system's is the one the school
keeps. Every night inside the window [last day − before, last day + after] a pull runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping


@dataclass(frozen=True)
class PullWindow:
    """Days (inclusive) on which a period is pulled every night."""

    period_code: str
    first: dt.date
    last: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def windows(periods: Iterable[Mapping[str, str]], before: int, after: int) -> list[PullWindow]:
    """Each period's window from calendar entries {"code", "end", ...} (ISO dates); sorted by start."""
    out = []
    for period in periods:
        end = dt.date.fromisoformat(period["end"])
        out.append(PullWindow(period["code"], end - dt.timedelta(days=before), end + dt.timedelta(days=after)))
    return sorted(out, key=lambda w: (w.first, w.period_code))


def due_period(periods: Iterable[Mapping[str, str]], today: dt.date, before: int, after: int) -> str | None:
    """The period to pull tonight, if any (the one ending last when windows overlap, e.g. Q2 and H1)."""
    due = [w for w in windows(periods, before, after) if w.covers(today)]
    return max(due, key=lambda w: w.last).period_code if due else None


def next_run(periods: Iterable[Mapping[str, str]], now: dt.datetime, hour: int, before: int,
             after: int) -> dt.datetime | None:
    """The next scheduled pull at `hour` in `now`'s time zone, or None when no window lies ahead."""
    today = now.date()
    for window in windows(periods, before, after):
        if window.last < today:
            continue
        day = max(window.first, today)
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=now.tzinfo)
        if moment <= now:
            day += dt.timedelta(days=1)
            if day > window.last:
                continue
            moment = dt.datetime.combine(day, dt.time(hour), tzinfo=now.tzinfo)
        return moment
    return None
