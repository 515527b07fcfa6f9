"""Limits the web application holds to before a view runs: the length of what a page's address
carries, and how often one address may open the public sheet check.

* A value in the query string longer than `domain.fields.ADDRESS_VALUE_MOST` is refused with a
  Russian page (400; the API's JSON under /api) before any view reads it; each search box has its
  own, shorter limit in the service that searches (`QUERY_MOST`). An address too long for the web
  server at all is answered by gunicorn's worker (`archive_service.gunicorn_worker`), in Russian too.
* The public sheet check (`check.sheet`: no login, anyone who scans a QR code) takes at most
  `ARCHIVE_CHECK_PER_MINUTE` requests a minute from one address (flask-limiter; counts kept in
  `ARCHIVE_RATELIMIT_STORAGE`: memory, or Redis shared by the workers). Past that: 429, said in
  Russian, with Retry-After. If Redis is down the counts fall back to memory rather than the page.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Flask, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

from archive_service.domain.fields import address_problem

LIMITED = "check.sheet"
"""The endpoint whose requests are counted: the only page that answers without a login."""


def _too_long_address():
    problem = address_problem([value for _, value in request.args.items(multi=True)])
    if problem is None:
        return None
    if request.path.startswith("/api/"):
        return {"error": {"code": "http_400", "message": problem}}, 400
    return render_template("error.html", code=400, title="Слишком длинный запрос", message=problem), 400


def _too_many(err: TooManyRequests):
    retry = {name: value for name, value in err.get_headers() if name.lower() == "retry-after"}
    if request.path.startswith("/api/"):
        return {"error": {"code": "http_429", "message": "слишком много запросов, повторите позже"}}, 429, retry
    return render_template("error.html", code=429, title="Слишком много проверок",
                           message="С этого адреса за минуту проверено слишком много листов. Подождите минуту "
                                   "и отсканируйте код ещё раз."), 429, retry


def init_limits(app: Flask) -> None:
    """Hold the app to both limits; call once the blueprints are registered."""
    settings = app.extensions["archive"].settings
    app.before_request(_too_long_address)
    app.register_error_handler(TooManyRequests, _too_many)
    if not settings.check_per_minute:
        return
    app.config.update(RATELIMIT_HEADERS_ENABLED=True, RATELIMIT_SWALLOW_ERRORS=True,
                      RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True)
    limiter = Limiter(get_remote_address, app=app, storage_uri=settings.ratelimit_storage,
                      key_prefix="archive-check")
    counted = limiter.limit(f"{settings.check_per_minute} per minute")(app.view_functions[LIMITED])
    app.view_functions[LIMITED] = cast(Any, counted)
