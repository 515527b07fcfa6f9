"""gunicorn's workers with the archive's own answer to a request gunicorn refuses before the app.

An address longer than `limit_request_line` (a long search typed into a box, a link pasted twice),
too many or too large headers, or a request line gunicorn cannot read never reach Flask: gunicorn
answers them itself, in English («Request Line is too large (10034 > 4094)»). These workers answer
the same statuses (414, 431, 400) with a short page in Russian and log as gunicorn does; anything
else stays gunicorn's own handling. `gunicorn_conf.py` selects them.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from gunicorn import util
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidHeaderName,
    InvalidHTTPVersion,
    InvalidRequestLine,
    InvalidRequestMethod,
    LimitRequestHeaders,
    LimitRequestLine,
)
from gunicorn.http.wsgi import Response, default_environ
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

UNREADABLE = (400, "Bad Request", "Неверный запрос",
              "Сервер архива не смог прочитать запрос. Откройте страницу архива заново — из закладки или с "
              "главной страницы.")
REFUSALS: dict[type[Exception], tuple[int, str, str, str]] = {
    LimitRequestLine: (414, "URI Too Long", "Слишком длинный адрес страницы",
                       "Адрес страницы слишком длинный, сервер архива его не принимает. Сократите текст поиска "
                       "и повторите или вернитесь на главную страницу."),
    LimitRequestHeaders: (431, "Request Header Fields Too Large", "Слишком большой запрос",
                          "Браузер прислал слишком много служебных данных. Закройте вкладки архива, удалите "
                          "cookie сайта архива в настройках браузера и войдите снова."),
    InvalidRequestLine: UNREADABLE, InvalidRequestMethod: UNREADABLE, InvalidHTTPVersion: UNREADABLE,
    InvalidHeader: UNREADABLE, InvalidHeaderName: UNREADABLE,
}


def error_page(title: str, message: str, status: int) -> bytes:
    """The page, in the archive's plain words (no server name, no English)."""
    return (f'<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
            '<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em">'
            f'<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p><p><a href="/">На главную</a></p>'
            f'<p style="color: #666">Код ошибки: {status}</p></body></html>\n').encode()


def response_bytes(status: int, reason: str, body: bytes) -> bytes:
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class RussianErrors:
    """The override of `gunicorn.workers.base.Worker.handle_error` both workers share."""

    log: Any
    cfg: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        refusal = next((r for kind, r in REFUSALS.items() if isinstance(exc, kind)), None)
        if refusal is None:
            super().handle_error(req, client, addr, exc)  # type: ignore[misc]
            return
        status, reason, title, message = refusal
        addr = addr or ("", -1)  # a unix socket
        self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
        started = datetime.now()
        if req is not None:
            environ = default_environ(req, client, self.cfg)
            environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = addr[0], str(addr[1])
            resp = Response(req, client, self.cfg)
            resp.status = f"{status} {reason}"
            self.log.access(resp, req, environ, datetime.now() - started)
        try:
            util.write_nonblock(client, response_bytes(status, reason, error_page(title, message, status)))
        except Exception:
            self.log.debug("Failed to send error message.")


class RussianSyncWorker(RussianErrors, SyncWorker):
    """gunicorn's sync worker (one request at a time per process)."""


class RussianThreadWorker(RussianErrors, ThreadWorker):
    """gunicorn's gthread worker (`threads` requests at a time per process)."""
