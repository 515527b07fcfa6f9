"""API tokens for the journal system: issued by an administrator, shown once, kept as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from archive_service.adapters.orm import ApiToken
from archive_service.errors import AuthError, NotFoundError
from archive_service.services.unit_of_work import UnitOfWork

PREFIX = "ast_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(uow: UnitOfWork, name: str, *, actor: str, now: dt.datetime) -> tuple[int, str]:
    """A new token (id, plaintext); the plaintext is never stored and cannot be shown again."""
    token = PREFIX + secrets.token_urlsafe(32)
    with uow:
        record = ApiToken(name=name, token_hash=_digest(token), created_at=now, created_by=actor)
        uow.tokens.add(record)
        uow.audit.append(at=now, actor=actor, action="token.issued", object_type="api_token",
                         object_id=str(record.id), details={"name": name})
        uow.commit()
        return record.id, token


def revoke_token(uow: UnitOfWork, token_id: int, *, actor: str, now: dt.datetime) -> None:
    with uow:
        record = uow.tokens.get(token_id)
        if record is None:
            raise NotFoundError(f"токен №{token_id} не найден")
        if record.revoked_at is None:
            record.revoked_at = now
            uow.audit.append(at=now, actor=actor, action="token.revoked", object_type="api_token",
                             object_id=str(token_id), details={"name": record.name})
        uow.commit()


def authenticate(uow: UnitOfWork, token: str, *, now: dt.datetime) -> str:
    """The actor name of a valid token, or `AuthError`."""
    with uow:
        record = uow.tokens.by_hash(_digest(token)) if token.startswith(PREFIX) else None
        if record is None or record.revoked_at is not None:
            raise AuthError("неверный или отозванный токен доступа")
        record.last_used_at = now
        uow.commit()
        return f"token:{record.id}:{record.name}"


def list_tokens(uow: UnitOfWork) -> list[dict]:
    with uow:
        return [{"id": t.id, "name": t.name, "created_at": t.created_at.isoformat(), "created_by": t.created_by,
                 "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                 "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
                for t in uow.tokens.all()]
