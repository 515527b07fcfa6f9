"""Connectors to the schools' journal systems (NetSchool, ЭлЖур, Дневник.ру) behind one interface."""

from archive_service.adapters.sources.base import (ClassRef, Credentials, JournalSource, PeriodRef, SessionExpiredError,
                                                   SourceAuthError, SourceError, SourceInfo, SourceShapeError,
                                                   SourceUnreachableError)

__all__ = ["ClassRef", "Credentials", "JournalSource", "PeriodRef", "SessionExpiredError", "SourceAuthError",
           "SourceError", "SourceInfo", "SourceShapeError", "SourceUnreachableError"]
