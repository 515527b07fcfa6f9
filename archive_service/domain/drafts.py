"""Dates that cannot be true: drafts, and what may not be signed or registered yet.

A copy made while its period still runs (by the clock of the composition root, never a date
someone typed) is a draft: its marks may still change, so every page says «ЧЕРНОВИК — период не
завершён», and nobody signs it or enters it in the register. Closing the period after its end
makes the final copy. A signature or a register entry is a statement «this is the journal of the
period as it was exported»: it cannot be made before the period ended, nor before the snapshot
it certifies was exported. This module is the one rule; it knows nothing of databases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from archive_service.domain.clock import SCHOOL_TIMEZONE as DEFAULT_ZONE  # the one school time zone

DRAFT_MARK = "ЧЕРНОВИК — период не завершён"
"""Printed on every page of a draft."""

ACTIONS = {"sign": "Подписать", "register": "Внести в реестр"}
"""What is refused, as the refusal starts."""


def is_draft(period_end: dt.date, today: dt.date) -> bool:
    """A copy made on `today` is a draft while its period has not ended: its last day included."""
    return today <= period_end


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class CopyFacts:
    """What the rule needs to know of a copy."""

    label: str
    """How people name the copy: «5А, II четверть 2026/2027»."""
    period_end: dt.date
    exported_at: dt.datetime
    """When the journal system exported the snapshot the copy is made from (timezone-aware)."""
    draft: bool = False


def draft_problem(action: str, copy: CopyFacts) -> str:
    """Why a draft is refused, in Russian."""
    return (f"{ACTIONS[action]} нельзя: копия {copy.label} — черновик, изготовлена до окончания периода "
            f"({fmt_date(copy.period_end)}). Подписывается и вносится в реестр только окончательная копия: "
            "закройте период после его окончания")


def date_problem(action: str, copy: CopyFacts, now: dt.datetime, *, on: dt.date | None = None,
                 zone: str = DEFAULT_ZONE) -> str | None:
    """Why `action` («sign» or «register») may not be done to `copy` at the moment `now` (and, for a
    register entry, with the date `on` written in it), in Russian; None when it may.

    `now` comes from the clock of the composition root: no option, form field or parameter sets it."""
    verb, local = ACTIONS[action], ZoneInfo(zone)
    if copy.draft:
        return draft_problem(action, copy)
    today = now.astimezone(local).date()
    if is_draft(copy.period_end, today):
        return (f"{verb} нельзя до окончания периода: {copy.label} — период заканчивается "
                f"{fmt_date(copy.period_end)}, сегодня {fmt_date(today)}")
    exported = copy.exported_at.astimezone(local)
    if now < copy.exported_at:
        return (f"{verb} нельзя раньше выгрузки снимка журнала: {copy.label} — снимок выгружен "
                f"{exported:%d.%m.%Y %H:%M}, сейчас {now.astimezone(local):%d.%m.%Y %H:%M}")
    if on is not None and is_draft(copy.period_end, on):
        return (f"{verb} нельзя датой {fmt_date(on)}: {copy.label} — период закончился "
                f"{fmt_date(copy.period_end)}, запись датируется днём после его окончания или позже")
    if on is not None and on < exported.date():
        return (f"{verb} нельзя датой {fmt_date(on)}: {copy.label} — снимок журнала выгружен "
                f"{fmt_date(exported.date())}, запись не может быть раньше выгрузки")
    return None
