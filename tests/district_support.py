"""A district of two schools for tests: the same logins in both, a signed and registered journal copy
in each with the school's own name, director and pupils, and each school's markers (what of it must
never show to the other school)."""

from __future__ import annotations

import copy
from pathlib import Path

from archive_service import Settings
from archive_service.app import create_app as create_app_on_clock
from archive_service.domain.actor import Actor
from archive_service.services import audit, tokens
from builders import snapshot
from conftest import NOW, ticking_from
from store_support import store_settings
from web_support import make_staff, signed_registered_journal

SCHOOLS = {"sch-a": "МБОУ СОШ № 21", "sch-b": "МБОУ Гимназия № 7"}
B_PUPILS = {"s1": "Ярошенко Эмилия Тарасовна", "s2": "Цыбульская Ульяна Ефимовна",
            "s3": "Щербинин Фрол Игнатович", "s4": "Эйхвальд Юлиан Богданович"}
DISTRICT = """name = "Управление образования администрации города Энска"
[[school]]
code = "sch-a"
name = "МБОУ СОШ № 21"
[[school]]
code = "sch-b"
name = "МБОУ Гимназия № 7"
"""
OTHER = {"sch-a": "sch-b", "sch-b": "sch-a"}


def school_b_journal() -> dict:
    data = snapshot()
    data["school"] = {"id": "gymnasium-7", "full_name": "МБОУ «Гимназия № 7»", "short_name": "МБОУ Гимназия № 7",
                      "director": {"full_name": "Ястребова Людмила Эдуардовна", "position": "Директор"}}
    for student in data["students"]:
        student["full_name"] = B_PUPILS[student["id"]]
    return data


class School:
    """One school of the district as the test knows it: its archive, document, token and markers."""

    def __init__(self, district, code: str) -> None:
        self.code = code
        self.archive = district.archive(code)
        make_staff(self.archive, NOW)
        data = snapshot() if code == "sch-a" else school_b_journal()
        self.document = signed_registered_journal(self.archive, data=copy.deepcopy(data))
        _, self.token = tokens.issue_token(self.archive.uow(), "журнал", actor=Actor("test", "admin"), now=NOW)
        self.digests = set(self.archive.store.digests())
        # (not its document id: a page at the other school's address may repeat the address asked)
        self.markers = [SCHOOLS[code], data["school"]["director"]["full_name"],
                        *(s["full_name"] for s in data["students"]), *self.digests]

    def audit_events(self) -> int:
        return audit.verify_audit_log(self.archive.uow())[0]


def district_app_in(tmp_path: Path):
    """The district's application (its schools on SQLite in `tmp_path`, documents where this run keeps them)."""
    district_file = tmp_path / "district.toml"
    district_file.write_text(DISTRICT, encoding="utf-8")
    home = tmp_path / "district"
    settings = Settings(home=home, district=district_file, secret_key="test-secret", key_kdf_log2_n=10,
                        **store_settings(home))
    app = create_app_on_clock(settings, moment=ticking_from(NOW))
    app.config.update(TESTING=True)
    yield app
    found = app.extensions["district"]
    for archive in (found.own, *(found.archive(code) for code in SCHOOLS)):
        archive.engine.dispose()
