"""Which connector class speaks which journal system, imported only when a source is used.

The built-in systems are named by module; the class is the one in that module whose `system`
attribute is the code (so a connector module needs no agreed class name). A setting
(`ARCHIVE_SOURCE_CONNECTORS`, «system=package.module:Class») adds systems or replaces a
built-in one — pilots and tests register their own connector this way, in any process
(a Celery worker too). A system whose module is not installed fails with a Russian message
when it is used, not when the archive starts.
"""

from __future__ import annotations

import inspect
from importlib import import_module
from typing import Any, Callable, Mapping

from archive_service.adapters.sources.base import Credentials, JournalSource, SourceError
from archive_service.adapters.sources.transport import Transport

BUILT_IN: Mapping[str, str] = {
    "netschool": "archive_service.adapters.sources.netschool",
    "eljur": "archive_service.adapters.sources.eljur",
    "dnevnik": "archive_service.adapters.sources.dnevnik",
}
TITLES: Mapping[str, str] = {
    "netschool": "«Сетевой город. Образование»",
    "eljur": "ЭлЖур",
    "dnevnik": "Дневник.ру",
}

Connector = Callable[[Credentials, Transport], JournalSource]


class UnknownSystemError(SourceError):
    """No connector for this system code, or its module cannot be imported."""


def system_title(code: str) -> str:
    """The system as people call it: «выгрузка из ЭлЖур»."""
    return TITLES.get(code, code)


class ConnectorRegistry:
    """system code → connector class; entries are dotted names until first use, or classes."""

    def __init__(self, extra: str = ""):
        self._entries: dict[str, str | type] = dict(BUILT_IN)
        for item in filter(None, (part.strip() for part in extra.split(","))):
            code, sep, target = item.partition("=")
            if not sep or not code.strip() or not target.strip():
                raise UnknownSystemError(f"ARCHIVE_SOURCE_CONNECTORS: «{item}» — ожидается «система=модуль:Класс»")
            self._entries[code.strip()] = target.strip()

    def register(self, code: str, connector: str | type) -> None:
        """Add or replace the connector of a system (a class, or «package.module:Class»)."""
        self._entries[code] = connector

    @property
    def systems(self) -> list[str]:
        return sorted(self._entries)

    def connector_class(self, code: str) -> type:
        entry = self._entries.get(code)
        if entry is None:
            known = ", ".join(self.systems)
            raise UnknownSystemError(f"неизвестная журнальная система «{code}»; поддерживаются: {known}")
        if isinstance(entry, type):
            return entry
        module_name, _, class_name = entry.partition(":")
        try:
            module = import_module(module_name)
        except ImportError:
            raise UnknownSystemError(f"подключение к системе {system_title(code)} не установлено в этой версии "
                                     f"архива (нет модуля {module_name}); снимки можно передавать через API "
                                     "(см. docs/connecting.md)") from None
        cls = getattr(module, class_name, None) if class_name else _find_connector(module, code)
        if cls is None:
            raise UnknownSystemError(f"в модуле {module_name} нет подключения к системе {system_title(code)}")
        self._entries[code] = cls
        return cls

    def open(self, code: str, credentials: Credentials, transport: Transport) -> JournalSource:
        """A connector of the system over the given transport (not yet signed in)."""
        return self.connector_class(code)(credentials, transport)


def _find_connector(module: Any, code: str) -> type | None:
    found = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
             if obj.__module__ == module.__name__ and getattr(obj, "system", None) == code
             and callable(getattr(obj, "fetch", None)) and callable(getattr(obj, "sign_in", None))]
    return found[0] if len(found) == 1 else None
