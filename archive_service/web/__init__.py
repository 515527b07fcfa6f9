"""Web entry points: the JSON API and the pages of each role.

Each page blueprint module declares `NAV`: (endpoint, label, roles) entries of the top menu, made
by `web.auth.menu` from the permission table (`domain/permissions.py`). Access is checked per view
by `web.auth` (deny by default).
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from archive_service.web.api import api
from archive_service.web.auth import bp as auth_bp
from archive_service.web.auth import csrf, init_auth
from archive_service.web.limits import init_limits

PAGE_MODULES = ("pages", "admin", "procedures", "board", "inspector", "check", "openapi", "director", "deputy",
                "secretary", "sources", "temporary", "control", "district")


def register_blueprints(app: Flask) -> None:
    init_auth(app)
    app.register_blueprint(api)
    csrf.exempt(api)
    app.register_blueprint(auth_bp)
    nav: list[tuple[str, str, frozenset[str]]] = []
    for name in PAGE_MODULES:
        module = import_module(f"archive_service.web.{name}")
        app.register_blueprint(module.bp)
        nav.extend(getattr(module, "NAV", []))
    app.config["NAV"] = nav
    init_limits(app)
