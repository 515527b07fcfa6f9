"""The Flask application factory.

`create_app()` builds the Flask application; nothing happens at import time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from flask import Flask

from archive_service.bootstrap import Archive
from archive_service.config import Settings
from archive_service.district import District
from archive_service.tenancy import SchoolPrefix



def create_app(test_config: dict[str, Any] | Settings | None = None, *,
               moment: Callable[[], dt.datetime] | None = None) -> Flask:
    """The application; `test_config` may be Settings or overrides of Settings fields. `moment` is
    for tests only (a clock standing where they need it); every entry point leaves the real one."""
    if isinstance(test_config, Settings):
        settings = test_config
    else:
        settings = Settings.from_env(**(test_config or {}))
    settings = settings.with_secret()
    app = Flask(__name__, template_folder=str(settings.templates_dir / "web"),
                static_folder=str(settings.templates_dir / "web" / "static"))
    # a request larger than the limit is refused (413, in Russian: web.auth) before it is read or parsed
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    archive = Archive(settings) if moment is None else Archive(settings, moment=moment)
    app.extensions["archive"] = archive
    if settings.database_url.startswith("sqlite"):
        # the embedded installation migrates itself; a server database is migrated by
        # `archive-service db upgrade` once per deployment, never by each web worker
        archive.prepare_home()
        archive.upgrade_schema()

    from archive_service.tasks import celery_init_app
    from archive_service.web import register_blueprints
    from archive_service.cli import register_commands

    archive.celery = celery_init_app(app, settings)
    if settings.district is not None:
        _open_district(app, archive)
    register_blueprints(app)
    register_commands(app)
    return app


def _open_district(app: Flask, own: Archive) -> None:
    """Many schools in this installation: each school's pages under /s/<code>/, its embedded
    (SQLite) archive prepared and migrated like the district's own."""
    district = District(own.settings, own)
    app.extensions["district"] = district
    app.wsgi_app = SchoolPrefix(app.wsgi_app, frozenset(s.code for s in district.schools))  # type: ignore[method-assign]
    for school in district.schools:
        archive = district.archive(school.code)
        if archive.settings.database_url.startswith("sqlite"):
            archive.prepare_home()
            archive.upgrade_schema()
