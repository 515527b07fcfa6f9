"""The connector registry finds a system's class lazily, and the secret box keeps secrets sealed."""

from __future__ import annotations

import os
import stat
import sys
import types

import pytest

from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources import Credentials
from archive_service.adapters.sources.registry import ConnectorRegistry, UnknownSystemError
from archive_service.config import ConfigError


class Quiet:
    system = "quiet"

    def __init__(self, credentials, transport):
        self.credentials = credentials

    def sign_in(self): ...

    def fetch(self, cls, period): ...

    def sign_out(self): ...


@pytest.fixture
def quiet_module(monkeypatch):
    module = types.ModuleType("quiet_connector")
    Quiet.__module__ = "quiet_connector"
    module.Quiet = Quiet
    monkeypatch.setitem(sys.modules, "quiet_connector", module)
    return module


def test_the_three_systems_are_known_without_importing_their_modules():
    registry = ConnectorRegistry()
    assert registry.systems == ["dnevnik", "eljur", "netschool"]


def test_a_system_whose_module_is_missing_fails_in_russian_when_used():
    registry = ConnectorRegistry("eljur=archive_service.adapters.sources.not_written_yet")
    with pytest.raises(UnknownSystemError, match="подключение к системе ЭлЖур не установлено"):
        registry.connector_class("eljur")
    with pytest.raises(UnknownSystemError, match="неизвестная журнальная система «epos»"):
        registry.connector_class("epos")


def test_a_module_is_searched_for_the_class_whose_system_is_the_code(quiet_module):
    registry = ConnectorRegistry("quiet=quiet_connector")
    assert registry.connector_class("quiet") is Quiet
    assert ConnectorRegistry("quiet=quiet_connector:Quiet").connector_class("quiet") is Quiet
    with pytest.raises(UnknownSystemError, match="нет подключения к системе"):
        ConnectorRegistry("other=quiet_connector").connector_class("other")


def test_a_malformed_setting_is_refused():
    with pytest.raises(UnknownSystemError, match="ожидается «система=модуль:Класс»"):
        ConnectorRegistry("netschool")


def test_the_key_file_is_created_private_and_a_secret_is_sealed_with_it(tmp_path):
    box = SecretBox.from_key_or_file("", tmp_path / "source_key")
    assert stat.S_IMODE(os.stat(tmp_path / "source_key").st_mode) == 0o600
    sealed = box.seal("пароль")
    assert "пароль".encode() not in sealed and box.open(sealed) == "пароль"
    assert SecretBox.from_key_or_file("", tmp_path / "source_key").open(sealed) == "пароль"
    assert repr(box) == "SecretBox(***)" and "пароль" not in repr(Credentials("http://x", "u", "пароль"))


def test_another_key_cannot_open_a_secret_and_says_so(tmp_path):
    sealed = SecretBox.from_key_or_file("", tmp_path / "a").seal("пароль")
    with pytest.raises(ConfigError, match="не расшифровывается"):
        SecretBox.from_key_or_file("", tmp_path / "b").open(sealed)
    with pytest.raises(ConfigError, match="ключом Fernet"):
        SecretBox.from_key_or_file("не ключ", tmp_path / "c")
