"""Limits on what people type into the archive's forms: logins, names, passwords, free text.

Every field a person fills in on a screen or at the terminal is checked on the server, whatever
the form's own `maxlength` says: a 300-character login breaks the table of users, a
5,000-character «кто запросил» makes a four-page certificate. A one-line field holds visible
characters and ordinary spaces only; a note may hold line breaks too. `field_problem` says in
Russian what is wrong (None: nothing); services raise it as their error.
"""

from __future__ import annotations

import re

from archive_service.domain.text import forbidden_in_label, forbidden_in_text

LOGIN_LEAST, LOGIN_MOST = 3, 32
NAME_MOST = 120
"""A person's full name: «Фамилия Имя Отчество», with room for double surnames."""
LINE_MOST = 200
"""A one-line free-text field: who asked, what for, where a file is kept."""
NOTE_MOST = 500
"""A note or the reason of a change (a line or two)."""
PASSWORD_MOST = 128
QUERY_MOST = 100
"""What a search box takes: a name, a number, a few words. A longer query is refused with a message
before anything is searched (a 10,000-character query would only make a slow scan)."""
ADDRESS_VALUE_MOST = 1000
"""Any one value in a page's address (`?back=…`, `?teacher=…`): longer ones are refused unread."""


def address_problem(values: list[str]) -> str | None:
    """What is wrong with the values of a page's address: one longer than `ADDRESS_VALUE_MOST`."""
    longest = max(map(len, values), default=0)
    if longest > ADDRESS_VALUE_MOST:
        return (f"Слишком длинный запрос: в адресе страницы значение из {longest} символов, а принимается не "
                f"больше {ADDRESS_VALUE_MOST}. Сократите текст поиска или вернитесь на страницу и повторите.")
    return None

_LOGIN = re.compile(r"[a-z0-9._-]+")


def login_problem(login: str) -> str | None:
    """What is wrong with a login name (already stripped and lower-cased); None if nothing."""
    if not LOGIN_LEAST <= len(login) <= LOGIN_MOST or not _LOGIN.fullmatch(login):
        return (f"имя для входа — от {LOGIN_LEAST} до {LOGIN_MOST} символов: латинские буквы, цифры, "
                "точка «.», подчёркивание «_» и дефис «-»")
    return None


def field_problem(value: str, what: str, *, most: int = LINE_MOST, required: bool = True,
                  lines: bool = False) -> str | None:
    """What is wrong with the text typed into the field `what` («Кто запросил»), already stripped:
    empty when required, longer than `most` characters, or holding a control or invisible
    character (line breaks only where `lines`). None if nothing."""
    if not value:
        return f"заполните поле «{what}»" if required else None
    if len(value) > most:
        return f"поле «{what}» — не длиннее {most} символов (введено {len(value)})"
    if (forbidden_in_text if lines else forbidden_in_label)(value):
        return (f"в поле «{what}» есть управляющий или невидимый символ (так бывает при копировании "
                "из другой программы); наберите текст заново")
    return None


EMAIL_MOST = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def email_problem(address: str) -> str | None:
    """What is wrong with an e-mail address (already stripped); an empty one is no address, not a problem."""
    if not address:
        return None
    if len(address) > EMAIL_MOST or not _EMAIL.fullmatch(address) or forbidden_in_label(address):
        return (f"адрес электронной почты записывается как имя@домен (например, zavuch@school.ru), "
                f"не длиннее {EMAIL_MOST} символов")
    return None
