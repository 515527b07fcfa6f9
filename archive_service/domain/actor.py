"""Who acts on archive material: the one value every service is given and every audit event,
journal line and printed act is written from.

An `Actor` is a person (their full name as it is printed: «Петрова Анна Сергеевна»), the role they
act in (a code of `ROLES`), and where the action came from (`origin`: «web 10.0.0.7», «командная
строка на archive-01, учётная запись zavuch», «по расписанию»). `account` is the login when there
is one; a scheduled job has none. Entry points build the actor (the web from the signed-in
account, the command line from the account named by `--as LOGIN` or `ARCHIVE_OPERATOR`, Celery
beat as the system); services receive it and never build one themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from archive_service.domain.roles import ROLES

SYSTEM_ROLE = "system"
"""The archive itself acting on a schedule (the nightly audit of media, the monthly copy)."""

VISITOR_ROLE = "visitor"
"""Someone not signed in: whoever scanned a printed sheet's QR code (the public sheet check)."""

ROLE_WORDS = ROLES | {SYSTEM_ROLE: "система", VISITOR_ROLE: "посетитель без входа"}

TERMINAL_PREFIX = "cli:"
"""How the command line recorded who acted at the terminal before it acted as named accounts:
«cli:» and the operating-system account («cli:root»). Such old records name no person, so they are
never printed as they are."""
UNNAMED_AT_TERMINAL = "администратор (командная строка)"
"""What paper says instead of «cli:<account>» in the records written before that."""


def known_name(person: str) -> str:
    """The person's name as recorded, or "" when the record names nobody (an old record of the
    terminal's account): an act then leaves the name line blank for the signer to write in."""
    return "" if person.startswith(TERMINAL_PREFIX) else person


def printed_name(person: str) -> str:
    """Who acted, as paper prints it: the recorded name, or «администратор (командная строка)»
    for an old record of the terminal's account. The one place that maps a recorded actor to
    printed words."""
    return known_name(person) or UNNAMED_AT_TERMINAL


@dataclass(frozen=True)
class Actor:
    person: str
    """Full name as printed on acts and journals; never a login or a technical name."""
    role: str
    """A code of `ROLES`, or `SYSTEM_ROLE`, or `VISITOR_ROLE`."""
    origin: str = ""
    """Where the action came from, for the audit log."""
    account: str = ""
    """The login of the account acting, if any."""

    def __post_init__(self) -> None:
        if not self.person.strip():
            raise ValueError("an actor needs a person")
        if self.role not in ROLE_WORDS:
            raise ValueError(f"unknown role code {self.role!r}")

    @property
    def role_words(self) -> str:
        """The role in Russian («заместитель директора»), as journals and acts print it."""
        return ROLE_WORDS[self.role]

    @classmethod
    def system(cls, origin: str = "по расписанию") -> Actor:
        """The archive acting on its own schedule."""
        return cls("Архив (автоматически)", SYSTEM_ROLE, origin)

    @classmethod
    def visitor(cls, origin: str) -> Actor:
        """Someone not signed in, known only by where the request came from."""
        return cls("Посетитель без входа", VISITOR_ROLE, origin)

    def as_dict(self) -> dict[str, str]:
        """The actor as plain data, for a message that crosses a broker (a Celery task's arguments)."""
        return {"person": self.person, "role": self.role, "origin": self.origin, "account": self.account}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Actor:
        """The actor `as_dict` wrote; a wrong person or role is refused as at construction."""
        return cls(data["person"], data["role"], data.get("origin", ""), data.get("account", ""))
