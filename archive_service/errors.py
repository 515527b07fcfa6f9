"""The application's errors, one tree under `ArchiveError`.

    ArchiveError
     ├── SnapshotRejected      the snapshot breaks the format or a domain rule (carries problems)
     ├── ReasonRequired        a new version of a snapshot without the reason for the change
     ├── NotFoundError         an id, class or period that is not stored
     ├── AuthError             a missing, unknown or revoked API token
     ├── PermissionDenied      the role may not do this (only the director signs)
     ├── DraftRefused          a draft (made before its period ended) offered for signing or the register
     └── TooEarly              signing or registering before the period ended or its snapshot was exported

Every error carries a Russian message for people (`str(err)`) and a stable `code` for the API.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

from archive_service.domain.problems import Problem


class ArchiveError(Exception):
    code = "archive_error"
    http_status = 400

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self)}


class SnapshotRejected(ArchiveError):
    code = "snapshot_rejected"
    http_status = 422

    def __init__(self, problems: Sequence[Problem], message: str | None = None):
        self.problems = list(problems)
        super().__init__(message or f"снимок журнала отклонён: найдено ошибок — {len(self.problems)}")

    def as_dict(self) -> dict:
        return {**super().as_dict(), "problems": [p.as_dict() for p in self.problems]}


class ReasonRequired(ArchiveError):
    code = "reason_required"
    http_status = 409


class NotFoundError(ArchiveError):
    code = "not_found"
    http_status = 404


class AuthError(ArchiveError):
    code = "unauthorized"
    http_status = 401


class PermissionDenied(ArchiveError):
    code = "forbidden"
    http_status = 403


class DraftRefused(ArchiveError):
    code = "draft_document"
    http_status = 409


class TooEarly(ArchiveError):
    code = "too_early"
    http_status = 409


_Found = TypeVar("_Found")


def found(value: _Found | None, message: str) -> _Found:
    """`value`, or `NotFoundError(message)` (a Russian sentence) when there is none."""
    if value is None:
        raise NotFoundError(message)
    return value
