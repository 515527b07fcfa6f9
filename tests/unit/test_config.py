"""Settings come from ARCHIVE_* variables, with the embedded default under ARCHIVE_HOME."""

from pathlib import Path

import pytest

from archive_service.config import ConfigError, Settings


def test_the_embedded_default_lives_under_archive_home(tmp_path):
    settings = Settings.from_env({"ARCHIVE_HOME": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    assert (settings.medium_a, settings.medium_b) == (tmp_path / "media/a", tmp_path / "media/b")
    assert settings.broker_url == ""


def test_variables_override_defaults(tmp_path):
    settings = Settings.from_env({"ARCHIVE_HOME": str(tmp_path), "ARCHIVE_PREFLIGHT_MIN_MARKS": "7",
                                  "ARCHIVE_BROKER_URL": "redis://h:6379/0", "ARCHIVE_MEDIUM_B": "/mnt/disk"})
    assert settings.min_marks == 7 and settings.result_backend == "redis://h:6379/0"
    assert settings.medium_b == Path("/mnt/disk")


def test_a_bad_number_is_a_clear_error():
    with pytest.raises(ConfigError, match="ARCHIVE_PREFLIGHT_MIN_MARKS.*целое"):
        Settings.from_env({"ARCHIVE_PREFLIGHT_MIN_MARKS": "пять"})


def test_the_secret_key_is_made_once_and_kept(tmp_path):
    first = Settings(home=tmp_path).with_secret().secret_key
    assert len(first) == 64 and Settings(home=tmp_path).with_secret().secret_key == first
