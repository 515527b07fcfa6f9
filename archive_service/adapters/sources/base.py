"""What every journal-system connector offers, and the errors it raises.

A connector (NetSchool, ЭлЖур, Дневник.ру) speaks its system's wire format over a `Transport`
and hands back `journal-snapshot/1` dicts that go through the same strict ingest as a push; it
never writes to the archive itself. A connector that meets a response it does not understand
(a field missing, a value of another type, an inferred field that turned out otherwise) raises
`SourceShapeError` naming the field in Russian — it never guesses a snapshot into being.

Error tree:

    SourceError                 the base: a message for people, in Russian
     ├── SourceAuthError        wrong password / token / devkey, or a role that sees too little
     ├── SessionExpiredError    an imported session token that no longer works (sign in again)
     ├── SourceUnreachableError connection refused, time-out, 5xx after retries
     └── SourceShapeError       a response not of the documented shape (names the field)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class SourceError(Exception):
    """A journal system could not give what was asked; `str(err)` is for people, in Russian."""


class SourceAuthError(SourceError):
    """The system refused the credentials."""


class SessionExpiredError(SourceAuthError):
    """An imported session (e.g. after a Госуслуги sign-in) has expired: import a fresh one."""


class SourceUnreachableError(SourceError):
    """The server did not answer, or answered with a server error after the retries."""


class SourceShapeError(SourceError):
    """A response does not have the documented shape; the message names the field."""


@dataclass(frozen=True)
class Credentials:
    """What a connector signs in with. Secrets live only in memory (stored encrypted elsewhere)."""

    url: str
    login: str = ""
    secret: str = field(default="", repr=False)  # password, imported session token, OAuth access token or ЭлЖур devkey
    school: str = ""  # the system's school id where the system needs one
    extra: dict[str, str] = field(default_factory=dict, repr=False)  # system-specific (ЭлЖур vendor, devkey)


@dataclass(frozen=True)
class ClassRef:
    """A class as the system names it: its id in that system, the name, the grade."""

    id: str
    name: str
    grade: int | None = None


@dataclass(frozen=True)
class PeriodRef:
    """A period of the school year as the system has it, mapped to the snapshot's period code
    (Q1–Q4, H1–H2, T1–T3, year)."""

    code: str
    system_id: str
    name: str
    start: str  # ISO date
    end: str  # ISO date


@dataclass(frozen=True)
class SourceInfo:
    """What `source test` reports after signing in: what the account sees."""

    system: str  # the system's product name as it calls itself (goes into `source.system`)
    school: str
    academic_year: str
    classes: list[ClassRef]
    periods: list[PeriodRef]


class JournalSource(Protocol):
    """One signed-in conversation with a journal system."""

    system: str  # "netschool" | "eljur" | "dnevnik"

    def sign_in(self) -> SourceInfo: ...

    def fetch(self, cls: ClassRef, period: PeriodRef) -> dict:
        """One class's journal for one period as a `journal-snapshot/1` dict."""
        ...

    def sign_out(self) -> None: ...
