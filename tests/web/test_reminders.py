"""Deadline reminders end to end: made by the command and the beat task, mailed through a real SMTP
server (aiosmtpd on 127.0.0.1) to the e-mail address of the step's role — once each, however often
the job runs — shown on the period's board and the role's home page; without a mail server
nothing fails and the reminders are still shown."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.exc import IntegrityError

from archive_service.adapters.mailer import SmtpMailer, mailer_from
from archive_service.adapters.orm import ReminderRecord
from archive_service.config import Settings
from archive_service.domain.actor import Actor
from archive_service.services import account_email, reminders
from conftest import NOW
from store_support import store_settings
from test_deputy import PERIOD, two_classes  # noqa: F401  (the fixture of the same board)
from web_support import ADMIN

DEPUTY_MAIL = "zavuch@school.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """The SMTP server's handler: every letter it accepts, parsed."""

    def __init__(self):
        self.letters: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.letters.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def settings(db_url, tmp_path, request) -> Settings:
    """The test settings; with the `smtp` fixture, its server as the school's mail server."""
    mail = {}
    if "smtp" in request.fixturenames:
        controller, _ = request.getfixturevalue("smtp")
        mail = {"smtp_host": "127.0.0.1", "smtp_port": controller.port, "smtp_from": "archive@school.test"}
    return Settings(home=tmp_path / "home", database_url=db_url, secret_key="test-secret", key_kdf_log2_n=10,
                    **store_settings(tmp_path / "home"), **mail)


def stored(archive) -> list[tuple[str, str, str, bool]]:
    with archive.uow() as uow:
        return sorted((r.step, r.kind, r.role, r.emailed_at is not None) for r in uow.reminders.listing(limit=100))


def with_deputy_mail(archive) -> None:
    account_email.set_email(archive.uow(), "deputy", f"  {DEPUTY_MAIL} ", actor=ADMIN, now=NOW)


def test_each_reminder_is_mailed_once_to_the_deputy_however_often_the_job_runs(archive, runner, smtp,
                                                                               two_classes):  # noqa: F811
    _, inbox = smtp
    with_deputy_mail(archive)
    first = runner.invoke(args=["reminders", "run"])
    assert first.exit_code == 0, first.output
    rows = stored(archive)
    deputy = [r for r in rows if r[2] == "deputy"]
    assert deputy and all(kind == "missed" and sent for _, kind, _, sent in deputy)  # 10.01: every deadline past
    assert all(not sent for _, _, role, sent in rows if role != "deputy")  # nobody else has an address
    assert len(inbox.letters) == len(deputy)
    for to, letter in inbox.letters:
        assert to == [DEPUTY_MAIL] and letter["To"] == DEPUTY_MAIL
        assert letter["Subject"].startswith("Срок пропущен: «")
        assert letter["Subject"].endswith("», II четверть 2026/2027 учебного года")
        body = letter.get_content()
        assert "Не выполнено в классах: 5А, 5Б." in body and "заместитель директора" in body
    again = runner.invoke(args=["reminders", "run"])
    assert again.exit_code == 0 and "Новых напоминаний: 0; писем отправлено: 0." in again.output
    assert len(inbox.letters) == len(deputy) and stored(archive) == rows


def test_a_letter_the_server_did_not_take_goes_on_the_next_run(archive, staff, smtp, two_classes):  # noqa: F811
    controller, inbox = smtp
    with_deputy_mail(archive)
    today = NOW.date()
    dead = SmtpMailer("127.0.0.1", free_port(), "archive@school.test", timeout=5)
    report = reminders.run(archive.uow(), today, NOW, dead)
    assert report.made and report.failed and not report.sent and not inbox.letters
    with archive.uow() as uow:
        assert all(r.error and r.emailed_at is None for r in uow.reminders.listing(role="deputy"))
    board = reminders.period_steps.period_board(archive.uow(), "2026/2027", "Q2", today)
    shown = reminders.of_period(archive.uow(), board, archive.zone)
    assert "письмо не отправлено, повторим при следующей проверке сроков" in {s.emailed for s in shown}
    live = SmtpMailer("127.0.0.1", controller.port, "archive@school.test")
    report = reminders.run(archive.uow(), today, NOW + dt.timedelta(days=1), live)
    deputy = sum(1 for r in stored(archive) if r[2] == "deputy")
    assert not report.made and not report.failed and len(report.sent) == len(inbox.letters) == deputy
    with archive.uow() as uow:
        assert all(r.error is None and r.emailed_at for r in uow.reminders.listing(role="deputy"))


def test_the_day_before_a_deadline_then_the_day_after_it_on_the_stored_board(archive, two_classes):  # noqa: F811
    board = reminders.period_steps.period_board(archive.uow(), "2026/2027", "Q2", NOW.date())
    deadline = board.deadlines["marks_checked"]
    moment = dt.datetime.combine(deadline, dt.time(4), tzinfo=dt.timezone.utc)
    eve = reminders.run(archive.uow(), deadline - dt.timedelta(days=1), moment, None)
    assert eve.made == ["Завтра срок: «Итоговые отметки проверены», II четверть 2026/2027 учебного года"]
    on_the_day = reminders.run(archive.uow(), deadline, moment, None).made  # the next steps' eves only
    assert on_the_day and not any("Итоговые отметки проверены" in made for made in on_the_day)
    later = reminders.run(archive.uow(), deadline + dt.timedelta(days=3), moment, None).made
    assert "Срок пропущен: «Итоговые отметки проверены», II четверть 2026/2027 учебного года" in later
    month_later = reminders.run(archive.uow(), deadline + dt.timedelta(days=30), moment, None).made
    assert month_later and not any("Итоговые отметки проверены" in made for made in month_later)  # made once
    assert reminders.run(archive.uow(), deadline + dt.timedelta(days=31), moment, None).made == []
    other_year = reminders.run(archive.uow(), dt.date(2027, 9, 10), moment, None)
    assert other_year.made == []  # only the present school year's periods are reminded of


def test_without_a_mail_server_nothing_fails_and_the_reminders_are_on_the_board(archive, runner, login_as,
                                                                                 two_classes):  # noqa: F811
    with_deputy_mail(archive)
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    assert "Почтовый сервер не настроен" in result.output
    assert stored(archive) and all(not sent for *_, sent in stored(archive))
    deputy = login_as("deputy")
    board = deputy.get(PERIOD).get_data(as_text=True)
    top = board[board.index("<main>"):board.index("dep-actions")]
    assert "Напоминания о сроках" in top and "срок пропущен" in top
    assert "Не выполнено в классах: 5А, 5Б." in top and "письмо" not in top
    home = deputy.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Напоминания о сроках" in home and "Итоговые отметки проверены" in home
    reminders.period_steps.record_step(archive.uow(), "2026/2027", "Q2", "marks_checked", ["5А", "5Б"],
                                       actor=Actor("Иванова Татьяна Петровна", "deputy"), now=NOW)
    board = deputy.get(PERIOD).get_data(as_text=True)
    top = board[board.index("<main>"):board.index("dep-actions")]
    assert "Итоговые отметки проверены" not in top and "Копии напечатаны" in top  # done since: no longer shown
    director_home = login_as("director").get("/", follow_redirects=True).get_data(as_text=True)
    assert "Директор подписал бумажные копии, печать" in director_home  # the director's own steps…
    assert "Итоговые отметки проверены" not in director_home  # …not the deputy's


def test_the_administrator_sets_and_clears_an_address_and_a_bad_one_is_refused(archive, login_as):
    from test_deputy import post

    admin = login_as("admin")
    post(admin, "/admin/users/deputy", {"action": "email", "email": "завуч без собаки"})
    with archive.uow() as uow:
        assert uow.accounts.by_login("deputy").email is None
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "адрес электронной почты записывается как имя@домен" in page
    post(admin, "/admin/users/deputy", {"action": "email", "email": DEPUTY_MAIL})
    post(admin, "/admin/users/deputy", {"action": "email", "email": ""})
    with archive.uow() as uow:
        assert uow.accounts.by_login("deputy").email is None
        changes = [e.details for e in uow.audit.entries() if e.action == "user.email_set"]
    assert changes == [{"from": "", "to": DEPUTY_MAIL}, {"from": DEPUTY_MAIL, "to": ""}]


def test_the_beat_runs_the_reminders_every_school_morning(app, archive, two_classes):  # noqa: F811
    celery = app.extensions["celery"]
    entry = celery.conf.beat_schedule["deadline-reminders-daily"]
    assert entry["task"] == "archive.send_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert entry["schedule"].nowfun().utcoffset() == dt.timedelta(hours=3)  # the school's time, Moscow
    result = celery.tasks[entry["task"]].delay().get()
    assert result["made"] and result["mail"] is False and stored(archive)
    assert celery.tasks[entry["task"]].delay().get()["made"] == []


def test_the_reminder_hour_is_a_setting():
    assert Settings.from_env({"ARCHIVE_REMINDER_HOUR": "6"}).reminder_hour == 6
    with pytest.raises(ValueError, match="ARCHIVE_REMINDER_HOUR"):
        Settings.from_env({"ARCHIVE_REMINDER_HOUR": "25"})


def test_the_database_keeps_one_reminder_per_year_period_step_and_kind(archive):
    def row(kind: str) -> ReminderRecord:
        return ReminderRecord(academic_year="2026/2027", period_code="Q2", step="marks_checked", kind=kind,
                              role="deputy", subject="тема", text="текст", deadline=dt.date(2026, 12, 26),
                              due_on=dt.date(2026, 12, 27), created_at=NOW)

    with archive.uow() as uow:
        assert uow.reminders.add_new(row("missed")) and uow.reminders.add_new(row("tomorrow"))
        assert not uow.reminders.add_new(row("missed"))
        uow.session.add(row("missed"))  # a second run racing past the check meets the unique key
        with pytest.raises(IntegrityError):
            uow.session.commit()
        uow.rollback()
        (first, *_) = uow.reminders.unsent()
        assert uow.reminders.claim(first.id, NOW) and not uow.reminders.claim(first.id, NOW)  # one run takes it
    assert len(stored(archive)) == 2


def test_no_mail_server_means_no_mailer():
    assert mailer_from(Settings()) is None
    mailer = mailer_from(Settings(smtp_host="mail.school.test", smtp_port=587, smtp_starttls=True,
                                  smtp_from="archive@school.test"))
    assert isinstance(mailer, SmtpMailer) and (mailer.port, mailer.starttls) == (587, True)
    letter = mailer.letter(["zavuch@school.test"], "Срок пропущен: «Копии напечатаны»", "Текст")
    assert letter["Subject"] == "Срок пропущен: «Копии напечатаны»" and letter["From"] == "archive@school.test"
