"""archive_service: the archive of electronic class journals of a school.

`create_app()` builds the Flask application. Importing the package does nothing else and
pulls in neither Flask nor the database layer, so the domain stays importable on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from archive_service.bootstrap import Archive
    from archive_service.config import Settings

__all__ = ["Archive", "Settings", "create_app"]


def create_app(test_config: "dict[str, Any] | Settings | None" = None) -> "Flask":
    """The application; `test_config` may be Settings or overrides of Settings fields."""
    from archive_service.app import create_app as factory

    return factory(test_config)


def __getattr__(name: str) -> Any:
    if name == "Archive":
        from archive_service.bootstrap import Archive

        return Archive
    if name == "Settings":
        from archive_service.config import Settings

        return Settings
    raise AttributeError(name)
