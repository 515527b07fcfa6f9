"""API tokens for the journal system: issued by an administrator, shown once, kept as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from archive_service.adapters.orm import ApiToken
from archive_service.domain.actor import Actor
from archive_service.errors import AuthError, NotFoundError
from archive_service.services.accounts import require_manager
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked

PREFIX = "ast_"


@dataclass(frozen=True)
class TokenInfo:
    """An issued token as the administrator sees it (never the token itself)."""

    id: int
    name: str
    created_at: dt.datetime
    created_by: str
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        """For `token list --json`: the moments in ISO 8601."""
        return {"id": self.id, "name": self.name, "created_at": self.created_at.isoformat(),
                "created_by": self.created_by, "revoked_at": _iso(self.revoked_at),
                "last_used_at": _iso(self.last_used_at)}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _record(uow: UnitOfWork, actor: Actor, action: str, token_id: int, name: str, now: dt.datetime) -> None:
    """The audit event of a token issued or revoked, in the transaction that does it."""
    uow.audit.append(at=now, actor=actor.person, action=action, object_type="api_token", object_id=str(token_id),
                     origin=actor.origin, details={"name": name})


def issue_token(uow: UnitOfWork, name: str, *, actor: Actor, now: dt.datetime) -> tuple[int, str]:
    """A new token (id, plaintext); the plaintext is never stored and cannot be shown again."""
    require_manager(actor)
    name = checked(name, "Система", most=100)
    token = PREFIX + secrets.token_urlsafe(32)
    with uow:
        record = ApiToken(name=name, token_hash=_digest(token), created_at=now, created_by=actor.person)
        uow.tokens.add(record)
        _record(uow, actor, "token.issued", record.id, name, now)
        uow.commit()
        return record.id, token


def revoke_token(uow: UnitOfWork, token_id: int, *, actor: Actor, now: dt.datetime) -> None:
    require_manager(actor)
    with uow:
        record = uow.tokens.get(token_id)
        if record is None:
            raise NotFoundError(f"токен №{token_id} не найден")
        if record.revoked_at is None:
            record.revoked_at = now
            _record(uow, actor, "token.revoked", token_id, record.name, now)
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


def list_tokens(uow: UnitOfWork) -> list[TokenInfo]:
    with uow:
        return [TokenInfo(t.id, t.name, t.created_at, t.created_by, t.revoked_at, t.last_used_at)
                for t in uow.tokens.all()]
