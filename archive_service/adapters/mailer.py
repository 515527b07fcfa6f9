"""Letters through the school's mail server (SMTP, the standard library's `smtplib`).

The settings say where (`ARCHIVE_SMTP_HOST`, `ARCHIVE_SMTP_PORT`), from whom (`ARCHIVE_SMTP_FROM`),
with which account (`ARCHIVE_SMTP_USER`, `ARCHIVE_SMTP_PASSWORD`) and whether to switch to TLS
(`ARCHIVE_SMTP_STARTTLS`). No host: no letters (`mailer_from` gives None).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Sequence

from archive_service.config import Settings
from archive_service.errors import ArchiveError

TIMEOUT = 30
"""Seconds to wait for the mail server before the letter is left for the next run."""


class MailError(ArchiveError):
    """A letter the mail server did not take; the message says why, in Russian."""


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, user: str = "", password: str = "",
                 starttls: bool = False, timeout: float = TIMEOUT):
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls, self.timeout = user, password, starttls, timeout

    def letter(self, to: Sequence[str], subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, ", ".join(to), subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(body, charset="utf-8")
        return message

    def send(self, to: Sequence[str], subject: str, body: str) -> None:
        """One letter to every address in `to`; `MailError` if the server cannot be reached or refuses it."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.letter(to, subject, body), to_addrs=list(to))
        except (OSError, smtplib.SMTPException) as err:
            raise MailError(f"почтовый сервер {self.host}:{self.port} не принял письмо ({err})") from err


def mailer_from(settings: Settings) -> SmtpMailer | None:
    """The mailer the settings describe; None when no mail server is configured."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_from, user=settings.smtp_user,
                      password=settings.smtp_password, starttls=settings.smtp_starttls)
