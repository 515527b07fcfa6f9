"""Reminders of the procedure's deadlines: made each school morning, shown, and sent by e-mail.

`run` reads the board of every period of the present school year with stored snapshots, keeps the
reminders due today (`domain.reminders`: the day before a deadline, and once it is missed) — each
once, by its unique key, whatever runs again or is killed midway — and then, when a mail server is
configured, sends each unsent one to the active accounts of its role that have an e-mail address.
A letter is taken before it is sent (so no run sends it twice); one the server did not take is
left unsent, with why, and tried again on the next run. «Завтра срок» whose day has passed is no
longer sent (the board still shows it).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from archive_service.adapters.orm import ReminderRecord
from archive_service.domain.procedure import PeriodBoard
from archive_service.domain.reminders import KIND_WORDS, Reminder, due_reminders, not_done, school_year_of
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services import period_steps
from archive_service.services.ports import Mailer
from archive_service.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
SHOWN_DAYS = 14
"""The home page shows the reminders of the role due in this many days past."""


@dataclass
class RunReport:
    """What a run did: reminders made, letters sent, and the reminders whose letter did not go."""

    made: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    mail: bool = False

    def as_dict(self) -> dict:
        return {"made": self.made, "sent": self.sent, "failed": self.failed, "mail": self.mail}


def run(uow: UnitOfWork, today: dt.date, now: dt.datetime, mailer: Mailer | None) -> RunReport:
    """Make today's reminders for the present school year, then send the unsent ones (if `mailer`)."""
    report = RunReport(mail=mailer is not None)
    for reminder in due_today(uow, today):
        if _keep(uow, reminder, now):
            report.made.append(reminder.subject)
    if mailer is not None:
        send_unsent(uow, today, now, mailer, report)
    return report


def due_today(uow: UnitOfWork, today: dt.date) -> list[Reminder]:
    """The reminders the boards of the present school year's periods call for today."""
    year = school_year_of(today)
    with uow:
        periods = sorted({r.period_code for r in uow.snapshots.listing(year, latest_only=True)})
    due = []
    for code in periods:
        due.extend(due_reminders(period_steps.period_board(uow, year, code, today), today))
    return due


def _keep(uow: UnitOfWork, reminder: Reminder, now: dt.datetime) -> bool:
    """Store the reminder unless it is stored already; True when this run made it."""
    with uow:
        return uow.reminders.add_new(ReminderRecord(
            academic_year=reminder.academic_year, period_code=reminder.period_code, step=reminder.step,
            kind=reminder.kind, role=reminder.role, subject=reminder.subject, text=reminder.text,
            deadline=reminder.deadline, due_on=reminder.due_on, created_at=now))


def send_unsent(uow: UnitOfWork, today: dt.date, now: dt.datetime, mailer: Mailer, report: RunReport) -> None:
    """Send every reminder not sent yet to its role's addresses; a failure is kept for the next run."""
    with uow:
        waiting = [(r.id, r.role, r.subject, r.text, r.kind, r.deadline) for r in uow.reminders.unsent()]
    for reminder_id, role, subject, text, kind, deadline in waiting:
        if kind == "tomorrow" and deadline < today:
            continue  # its day is past: «срок пропущен» says it now
        with uow:
            to = uow.reminders.addresses(role)
            if not to or not uow.reminders.claim(reminder_id, now):
                continue  # nobody to write to yet, or another run took it
            uow.commit()
        try:
            mailer.send(to, subject, letter_body(text, role))
        except ArchiveError as err:
            log.error("reminder %s not sent: %s", reminder_id, err)
            with uow:
                uow.reminders.release(reminder_id, str(err))
                uow.commit()
            report.failed.append(subject)
            continue
        report.sent.append(subject)


def letter_body(text: str, role: str) -> str:
    """The letter: whom it is for, the reminder, and where to see the period's board."""
    return (f"Здравствуйте!\n\n{text}\n\nНапоминание адресовано: {ROLES.get(role, role)}. Отметить выполненные "
            "шаги можно на странице периода в электронном архиве журналов.\n\n"
            "Это письмо отправлено архивом автоматически; отвечать на него не нужно.\n")


@dataclass(frozen=True)
class Shown:
    """A reminder as a page shows it."""

    kind: str
    text: str
    due_on: dt.date
    emailed: str
    """«письмо отправлено 01.12.2026 в 07:00», «письмо не отправлено, …» or empty (no e-mail)."""
    academic_year: str
    period_code: str


def _shown(row: ReminderRecord, zone: ZoneInfo) -> Shown:
    if row.emailed_at is not None:
        emailed = f"письмо отправлено {row.emailed_at.astimezone(zone):%d.%m.%Y в %H:%M}"
    elif row.error:
        emailed = "письмо не отправлено, повторим при следующей проверке сроков"
    else:
        emailed = ""
    return Shown(KIND_WORDS.get(row.kind, row.kind), row.text, row.due_on, emailed, row.academic_year,
                 row.period_code)


def of_period(uow: UnitOfWork, board: PeriodBoard, zone: ZoneInfo) -> list[Shown]:
    """The period's reminders, newest first, of the steps some class has still not done (for the top
    of its board: one every class has done since is no longer shown there)."""
    open_steps = {step.code for step in board.steps if not_done(board, step)}
    with uow:
        rows = uow.reminders.listing(academic_year=board.academic_year, period_code=board.period_code, limit=50)
        return [_shown(r, zone) for r in rows if r.step in open_steps][:10]


def of_role(uow: UnitOfWork, role: str, today: dt.date, zone: ZoneInfo) -> list[Shown]:
    """The role's reminders of the last `SHOWN_DAYS` days, newest first (for the role's home page)."""
    with uow:
        rows = uow.reminders.listing(role=role, since=today - dt.timedelta(days=SHOWN_DAYS), limit=10)
        return [_shown(r, zone) for r in rows]
