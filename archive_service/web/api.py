"""The JSON API under /api/v1: bearer tokens, structured errors, views that only translate."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from archive_service.domain.actor import SYSTEM_ROLE, Actor
from archive_service.errors import ArchiveError, AuthError
from archive_service.services import ingest, snapshots, tokens
from archive_service.tenancy import current_archive

PREFIX = "/api/v1"
api = Blueprint("api", __name__, url_prefix=PREFIX)


def _archive():
    return current_archive()


def _error(code: str, message: str, status: int, **extra: Any):
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


@api.errorhandler(ArchiveError)
def _archive_error(err: ArchiveError):
    body = err.as_dict()
    return _error(body.pop("code"), body.pop("message"), err.http_status, **body)


_HTTP_MESSAGES = {
    400: "неверный запрос", 401: "нужна авторизация", 403: "доступ запрещён", 404: "нет такого адреса API",
    405: "метод не поддерживается", 406: "такой формат ответа не поддерживается", 413: "слишком большой запрос",
    415: "такой тип содержимого не поддерживается", 429: "слишком много запросов, повторите позже",
    500: "внутренняя ошибка сервера: запрос не выполнен, ничего не сохранено; сообщите администратору",
}


def too_large():
    """A body over `ARCHIVE_MAX_UPLOAD_MB`, refused unread: the limit in words and in bytes."""
    limit = _archive().settings.max_upload_mb
    return _error("http_413", f"слишком большой запрос: не больше {limit} МБ", 413,
                  limit_bytes=limit * 1024 * 1024)


@api.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    """Werkzeug's errors (and an unhandled exception, as 500) in the API's JSON, in Russian."""
    if isinstance(err, RequestEntityTooLarge):
        return too_large()
    status = err.code or 500
    message = _HTTP_MESSAGES.get(status, f"ошибка запроса (код {status})")
    allow = {name: value for name, value in err.get_headers() if name.lower() == "allow"}
    body, status = _error(f"http_{status}", message, status)
    return body, status, allow


@api.app_errorhandler(HTTPException)
def _routing_error(err: HTTPException):
    """A method an API address does not take is found before any blueprint: answer it here too."""
    if request.path.startswith(PREFIX + "/"):
        return _http_error(err)
    return err  # pages keep their own handling


@api.before_request
def _refuse_nul_in_parameters() -> None:
    """A NUL character cannot be compared with stored text (PostgreSQL refuses it): refuse it here."""
    for name, values in request.args.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise ArchiveError("параметр запроса содержит недопустимый нулевой символ")


def token_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AuthError("нужен заголовок Authorization: Bearer <токен>")
        archive = _archive()
        g.actor = tokens.authenticate(archive.uow(), token.strip(), now=archive.now())
        return view(*args, **kwargs)

    return wrapper


def _required(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise ArchiveError(f"не указан параметр «{name}»")
    return value


def _version(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.strip().lstrip("-").isdigit():
        raise ArchiveError(f"параметр «{name}» должен быть номером версии (целым числом)")
    return int(value)


@api.post("/snapshots")
@token_required
def post_snapshot():
    """Push one snapshot: the body is the snapshot JSON; `?reason=` for a new version."""
    archive = _archive()
    result = ingest.ingest_snapshot(archive.uow(), request.get_data(),
                                    actor=Actor(g.actor, SYSTEM_ROLE, request.remote_addr or ""),
                                    reason=request.args.get("reason"), now=archive.now())
    return jsonify(result.as_dict()), 200 if result.status == "duplicate" else 201


@api.get("/snapshots")
@token_required
def get_snapshots():
    return jsonify({"snapshots": [row.as_dict() for row in snapshots.list_snapshots(
        _archive().uow(), request.args.get("year"), request.args.getlist("period"),
        request.args.getlist("class"))]})


@api.get("/snapshots/diff")
@token_required
def get_snapshot_diff():
    diff = snapshots.diff_versions(_archive().uow(), _required("year"), _required("period"), _required("class"),
                                   _version("from"), _version("to"))
    return jsonify(diff.as_dict())


@api.get("/preflight")
@token_required
def get_preflight():
    archive = _archive()
    periods = request.args.getlist("period") or [_required("period")]
    reports = snapshots.preflight_period(archive.uow(), _required("year"), periods,
                                         request.args.getlist("class"), archive.thresholds)
    return jsonify({"classes": [r.as_dict() for r in reports]})
