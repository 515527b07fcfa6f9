"""The district file and each school's settings: a mistake named before anything opens; each school
its own home, database, document-store part, public address, media and medium-A part."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_service.config import ConfigError, Settings
from archive_service.district import DistrictFile, school_settings

GOOD = """name = "Управление образования"
[[school]]
code = "sch21"
name = "МБОУ СОШ № 21"
[[school]]
code = "gym7"
name = "МБОУ Гимназия № 7"
database_url = "postgresql+psycopg://archive@db/gym7"
home = "/srv/gym7"
timezone = "Asia/Yekaterinburg"
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "district.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, words", [
    ('name = "У"\n[[school]]\ncode = "a b"\nname = "Ш"\n', "код школы «a b» не годится"),
    ('name = "У"\n[[school]]\ncode = "s1"\nname = "Ш"\nrooms = 3\n', "у школы s1 неизвестные ключи: rooms"),
    ('name = "У"\n[[school]]\ncode = "s1"\nname = "Ш"\n[[school]]\ncode = "s1"\nname = "Щ"\n',
     "повторяются коды школ: s1"),
    ('name = "У"\n', "нет ни одной школы"),
    ('[[school]]\ncode = "s1"\nname = "Ш"\n', "не указано name — название органа управления"),
    ('name = "У"\n[[school]]\ncode = "s1"\n', "у школы s1 не указано name"),
    ('name = "У\n', "не читается"),
])
def test_a_mistake_in_the_district_file_is_named(tmp_path, text, words):
    with pytest.raises(ConfigError, match=words):
        DistrictFile.read(_file(tmp_path, text))


def test_a_missing_district_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="не найден"):
        DistrictFile.read(tmp_path / "nowhere.toml")


def test_each_school_gets_its_own_home_database_store_address_and_media(tmp_path):
    path = _file(tmp_path, GOOD)
    district = Settings(home=tmp_path / "home", district=path, public_url="https://archive.enskedu.ru/",
                        document_store="s3://documents/district", s3_bucket="medium-a", s3_prefix="enks/")
    sch21, gym7 = DistrictFile.read(path).schools
    first = school_settings(district, sch21, tmp_path)
    assert first.home == tmp_path / "home" / "schools" / "sch21"
    assert first.database_url == f"sqlite:///{first.home / 'archive.sqlite3'}"
    assert first.document_store == "s3://documents/district/sch21"
    assert first.public_url == "https://archive.enskedu.ru/s/sch21"
    assert (first.medium_a, first.medium_b) == (first.home / "media" / "a", first.home / "media" / "b")
    assert first.s3_prefix == "enks/sch21/" and first.district is None
    second = school_settings(district, gym7, tmp_path)
    assert second.home == Path("/srv/gym7") and second.database_url.endswith("@db/gym7")
    assert second.timezone == "Asia/Yekaterinburg" and first.timezone == "Europe/Moscow"


def test_a_mounted_medium_is_shared_out_by_school_folders(tmp_path):
    path = _file(tmp_path, GOOD)
    district = Settings(home=tmp_path / "home", district=path, medium_b=Path("/media/medium-b"),
                        document_store=str(tmp_path / "docs"))
    sch21 = DistrictFile.read(path).schools[0]
    settings = school_settings(district, sch21, tmp_path)
    assert settings.medium_b == Path("/media/medium-b/sch21")
    assert settings.medium_a == settings.home / "media" / "a"
    assert settings.document_store == f"{tmp_path / 'docs'}/sch21"
