"""Дневник.ру partner API v2 on the wire: its error types, its fields, dates and reporting periods."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from archive_service.adapters.sources.base import (SessionExpiredError, SourceAuthError, SourceShapeError,
                                                   SourceUnreachableError)
from archive_service.adapters.sources.transport import Reply

PRODUCT = "Дневник.ру"
DEFAULT_LOGIN_URL = "https://login.dnevnik.ru/"
SCOPE = "CommonInfo,ContactInfo,FriendsAndRelatives,EducationalInfo"

AUTH_ERRORS = frozenset({"authorizationFailed", "authorizationInvalidToken", "authorizationTokenRequired",
                         "invalidToken", "tokenRequired"})
SCOPE_ERRORS = frozenset({"authorizationOutOfScope", "authorizationNotOwner", "authorizationOwnerForbidden",
                          "authorizationSystemForbidden", "outOfScope", "notOwner", "ownerForbidden",
                          "systemForbidden"})
SERVER_ERRORS = frozenset({"apiServerError", "apiUnknownError", "serverError", "apiRequestLimit", "requestLimit"})

#: reporting-period `type` → snapshot period kind (I: the values are not in a public source)
PERIOD_KINDS = {"Quarter": "quarter", "HalfYear": "half_year", "Semester": "half_year",
                "Trimester": "trimester", "Year": "year"}
PERIOD_PREFIX = {"quarter": "Q", "half_year": "H", "trimester": "T"}
ABSENCE_CODES = {"Absent": "Н", "Ill": "Б", "Late": "О", "Pass": "У"}
PRESENT = "Attend"
PASS_WORDS = {"зачёт": "зач", "зачет": "зач", "зач": "зач", "незачёт": "незач", "незачет": "незач", "незач": "незач"}
PERIOD_WORDS = {"н/а": "н/а", "осв": "осв", "освобождён": "осв", "освобожден": "осв"}
_MARK5 = re.compile(r"([1-5])([+-]?)")


def _shape(what: str) -> SourceShapeError:
    return SourceShapeError(f"{PRODUCT}: {what}")


def _field(obj: Any, name: str, where: str) -> Any:
    """`obj[name]`, or a `SourceShapeError` naming the field and the response it is missing from."""
    if not isinstance(obj, dict) or obj.get(name) is None:
        raise _shape(f"в ответе {where} нет поля «{name}»")
    return obj[name]


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise _shape(f"ответ {where} — не список")
    return value


def _day(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _shape(f"в ответе {where} дата «{value}» не в формате ГГГГ-ММ-ДД") from None


PERSON_KEYS = ("lastName", "firstName", "middleName")
TEACHER_KEYS = ("LastName", "FirstName", "MiddleName")  # schools/{s}/teachers spells them so (MR `SchoolTeacher`)


def _within(day: str | None, start: dt.date, end: dt.date) -> str | None:
    """A register date as the snapshot holds it: only when it falls within the period."""
    return day if day and start.isoformat() <= day <= end.isoformat() else None


def _full_name(person: dict, where: str, keys: tuple[str, ...] = PERSON_KEYS) -> str:
    last, first = _field(person, keys[0], where), _field(person, keys[1], where)
    return " ".join(p for p in (last, first, person.get(keys[2]) or "") if p).strip()


def period_code(kind: str, number: int) -> str:
    return "year" if kind == "year" else PERIOD_PREFIX[kind] + str(number)


def map_period(period_type: Any, number: Any, where: str) -> tuple[str, int]:
    """(kind, number) of a reporting period; an unknown type or number stops the pull."""
    kind = PERIOD_KINDS.get(period_type) if isinstance(period_type, str) else None
    if kind is None:
        raise _shape(f"тип периода «{period_type}» в ответе {where} не сопоставлен с четвертью, полугодием, "
                     "триместром или годом")
    limit = {"quarter": 4, "half_year": 2, "trimester": 3, "year": 1}[kind]
    if kind == "year":
        return kind, 1
    if not isinstance(number, int) or not 1 <= number <= limit:
        raise _shape(f"номер периода «{number}» (тип «{period_type}») в ответе {where} вне 1–{limit}")
    return kind, number


def read_reply(reply: Reply, path: str) -> Any:
    """An answer as JSON, or the error it is: a dead token (`SessionExpiredError`), missing rights,
    a server failure, a refused parameter, anything else not of the documented shape."""
    content_type = str({k.lower(): v for k, v in reply.headers.items()}.get("content-type", ""))
    if content_type.startswith("text/html"):
        if reply.status in (401, 403):
            raise SessionExpiredError(f"{PRODUCT}: токен доступа больше не действует — получите новый")
        raise _shape(f"на запрос {path} пришла страница ошибки (код {reply.status}) вместо данных")
    body = reply.json(f"{PRODUCT}, {path}")
    # an error is `{type, description}`; a resource may have a `type` of its own (an edu-group's «Group»)
    kind = body.get("type") if isinstance(body, dict) and "description" in body else None
    if kind in AUTH_ERRORS or (reply.status == 401 and kind is None):
        raise SessionExpiredError(f"{PRODUCT}: токен доступа больше не действует — получите новый")
    if kind in SCOPE_ERRORS:
        raise SourceAuthError(f"{PRODUCT}: учётной записи не хватает прав для {path} ({kind}); нужна учётная "
                              "запись администратора школы и право EducationalInfo")
    if kind in SERVER_ERRORS:
        raise SourceUnreachableError(f"{PRODUCT}: ошибка на сервере при запросе {path} ({kind})")
    if kind == "parameterInvalid":
        raise _shape(f"сервер счёл параметры запроса {path} неверными: {body.get('description') or ''}".rstrip())
    if reply.status >= 400:
        raise _shape(f"на запрос {path} пришёл ответ с кодом {reply.status} ({kind or 'без описания'})")
    return body
