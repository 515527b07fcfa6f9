"""The command «back up» (validate, then run), for every entry point that makes a backup set."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import archive_keys, backup
from archive_service.services.backup import BackupMade
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, Medium

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
"""A monthly copy's month: ГГГГ-ММ."""


class CreateBackup:
    """The command «back up»: a set of the period (or of a month) on every medium, sealed for the
    director's archive key — nobody types a code to make one. `validate()` refuses — having
    written nothing — when the director has not set the archive key yet, no periods, a month not
    ГГГГ-ММ, or a period with no stored snapshots; `run()` validates, then writes and verifies."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, media: list[Medium], academic_year: str,
                 periods: Sequence[str], *, actor: Actor, now: dt.datetime, month: str | None = None) -> None:
        self.uow, self.store, self.media = uow, store, media
        self.academic_year, self.periods, self.month = academic_year, tuple(periods), month
        self.actor, self.now = actor, now

    def validate(self) -> None:
        archive_keys.current_seal(self.uow)  # «ключ архива ещё не создан…» before anything else
        if not self.periods:
            raise ArchiveError("не выбран ни один период")
        if self.month is not None and not MONTH.fullmatch(self.month):
            raise ArchiveError(f"месяц указывается как ГГГГ-ММ, например 2026-12, а не «{self.month}»")
        with self.uow:
            stored = any(self.uow.snapshots.listing(self.academic_year, code, latest_only=True)
                         for code in self.periods)
        if not stored:
            raise NotFoundError(f"нет снимков журнала для резервной копии: {self.academic_year} "
                                f"{', '.join(self.periods)}")

    def run(self) -> BackupMade:
        self.validate()
        return backup.create_backup(self.uow, self.store, self.media, self.academic_year, self.periods,
                                    actor=self.actor, now=self.now, month=self.month)


def previous_month(today: dt.date) -> str:
    """The month before `today`'s, as ГГГГ-ММ (the monthly copy made on the 1st is of the month past)."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return f"{last:%Y-%m}"


def monthly_backup(uow: UnitOfWork, store: ContentStore, media: list[Medium], month: str, *, actor: Actor,
                   now: dt.datetime) -> list[BackupMade]:
    """The monthly copy (reference 004 § 3.11): for each academic year with snapshots exported in
    `month`, a set of those snapshots, sealed for the archive key — no code. Nothing exported in
    the month: nothing to do."""
    with uow:
        exported = [(r.academic_year, r.period_code) for r in uow.snapshots.listing(latest_only=True)
                    if f"{r.exported_at:%Y-%m}" == month]
    years: dict[str, list[str]] = {}
    for academic_year, code in exported:
        if code not in years.setdefault(academic_year, []):
            years[academic_year].append(code)
    return [CreateBackup(uow, store, media, academic_year, codes, actor=actor, now=now, month=month).run()
            for academic_year, codes in sorted(years.items())]
