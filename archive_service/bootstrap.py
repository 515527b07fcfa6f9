"""The composition root: the one place that picks the database, media and thresholds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive_service.adapters import db
from archive_service.config import Settings
from archive_service.domain.preflight import PreflightThresholds
from archive_service.rendering import DocumentRenderer, RenderOptions
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore


@dataclass
class Archive:
    """What every entry point (web, CLI, tasks) needs, built once per process."""

    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        if self.settings.database_url.startswith("sqlite"):
            self.settings.home.mkdir(parents=True, exist_ok=True)
        return db.make_engine(self.settings.database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return db.make_session_factory(self.engine)

    @property
    def thresholds(self) -> PreflightThresholds:
        return PreflightThresholds(self.settings.min_marks_one_hour, self.settings.min_marks)

    @cached_property
    def store(self) -> ContentStore:
        """Where rendered documents live, named by their SHA-256."""
        return ContentStore(self.settings.home / "documents")

    @cached_property
    def renderer(self) -> DocumentRenderer:
        return DocumentRenderer(self.settings.templates_dir)

    @property
    def render_options(self) -> RenderOptions:
        return RenderOptions(duplex=self.settings.print_duplex, public_url=self.settings.public_url)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def upgrade_schema(self) -> None:
        db.upgrade(self.engine)

    def prepare_home(self) -> None:
        """Create the embedded installation's directories (media A and B)."""
        for path in (self.settings.home, self.settings.medium_a, self.settings.medium_b):
            path.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)
