"""Which school's archive a request, a task, a job or a command works on: the one rule.

A single school's installation has one archive and this module always answers it. In a district
(`archive_service.district`) the school comes from, in this order: the code set for the running
job, task or command (`school_context`), then the web address the request came to (`/s/<code>/…`,
put aside by `SchoolPrefix`); with none, the district's own archive (its accounts and grants).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, current_app, has_request_context, request

from archive_service.config import ConfigError

if TYPE_CHECKING:
    from archive_service.bootstrap import Archive
    from archive_service.district import District

ENVIRON_KEY = "archive.school"
"""Where `SchoolPrefix` leaves the code of the school a web address is for."""
TASK_KEYWORD = "archive_school"
"""The keyword a task sent on a school's behalf carries its code in (taken off before the task runs)."""
_school: ContextVar[str | None] = ContextVar("archive_school", default=None)


def district(app: Flask | None = None) -> District | None:
    return (app or current_app).extensions.get("district")


def school_code() -> str | None:
    """The school being worked on: a job's, task's or command's, else the web address's; None: none."""
    code = _school.get()
    if code is None and has_request_context():
        code = request.environ.get(ENVIRON_KEY)
    return code


def current_archive(app: Flask | None = None) -> Archive:
    """The archive to work on now (see the module's docstring)."""
    app = app or current_app
    found = district(app)
    code = school_code()
    if found is None or code is None:
        return app.extensions["archive"]
    try:
        return found.archive(code)
    except KeyError:
        if has_request_context():
            abort(404)
        raise ConfigError(f"в районе нет школы с кодом «{code}» (школы: "
                          f"{', '.join(s.code for s in found.schools)})") from None


def choose_school(code: str | None) -> None:
    """The school a command line run works on, for the rest of the run (`--school`)."""
    if code:
        _school.set(code)


@contextmanager
def school_context(code: str | None) -> Iterator[None]:
    """Work inside the block is the school `code`'s (a background job's thread, a task, a command)."""
    token = _school.set(code)
    try:
        yield
    finally:
        _school.reset(token)


def task_kwargs() -> dict[str, Any]:
    """What a task sent now must carry so that its worker works on the same school."""
    code = school_code()
    return {TASK_KEYWORD: code} if code else {}


class SchoolPrefix:
    """WSGI middleware: `/s/<code>/rest` is the school `code`'s page `/rest`. The prefix moves to
    SCRIPT_NAME, so every link the school's pages make (`url_for`) keeps it; an unknown code is
    left in the path and answers 404."""

    def __init__(self, app: Any, codes: frozenset[str]) -> None:
        self.app = app
        self.codes = codes

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/s/"):
            code, _, rest = path[3:].partition("/")
            if code in self.codes:
                environ[ENVIRON_KEY] = code
                environ["SCRIPT_NAME"] = f"{environ.get('SCRIPT_NAME', '').rstrip('/')}/s/{code}"
                environ["PATH_INFO"] = f"/{rest}"
        return self.app(environ, start_response)
