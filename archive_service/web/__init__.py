"""Web entry points: the JSON API (and, later, the UI blueprints per role)."""

from __future__ import annotations

from flask import Flask

from archive_service.web.api import api
from archive_service.web.pages import pages


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(api)
    app.register_blueprint(pages)
