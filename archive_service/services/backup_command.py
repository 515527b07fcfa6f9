"""The command «back up» (validate, then run), for every entry point that makes a backup set."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import backup
from archive_service.services.backup import BackupMade
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, Medium

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
"""A monthly copy's month: ГГГГ-ММ."""
MIN_CODE_LENGTH = 6
"""The shortest access code a form accepts (typed twice there); the command line takes what it is given."""


class CreateBackup:
    """The command «back up»: a set of the period (or of a month) on every medium, sealed with the
    director's access code. `validate()` refuses — having written nothing — a missing or short
    code, a code typed differently twice (when `repeated` is given), no periods, a month not
    ГГГГ-ММ, or a period with no stored snapshots; `run()` validates, then writes and verifies."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, media: list[Medium], academic_year: str,
                 periods: Sequence[str], code: str, *, actor: Actor, now: dt.datetime, month: str | None = None,
                 repeated: str | None = None) -> None:
        self.uow, self.store, self.media = uow, store, media
        self.academic_year, self.periods, self.month = academic_year, tuple(periods), month
        self.code, self.repeated, self.actor, self.now = code, repeated, actor, now

    def validate(self) -> None:
        if not self.code:
            raise ArchiveError("введите код доступа директора")
        if self.repeated is not None:
            if self.code != self.repeated:
                raise ArchiveError("код доступа введён по-разному; введите его дважды одинаково")
            if len(self.code) < MIN_CODE_LENGTH:
                raise ArchiveError(f"код доступа слишком короткий: нужно не меньше {MIN_CODE_LENGTH} знаков")
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
        return backup.create_backup(self.uow, self.store, self.media, self.academic_year, self.periods, self.code,
                             actor=self.actor, now=self.now, month=self.month)
