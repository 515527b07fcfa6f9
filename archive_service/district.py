"""A district: many schools in one installation, each school a tenant with an archive of its own.

A school's archive is a whole `Archive` — its own database, document store prefix, media, keys,
secret source key and audit log — built from the district's settings with the school's own
home, database and addresses (`school_settings`). Nothing of one school is a row in another's
tables, so no query, register number, retention schedule, signing key or backup set can reach
across schools by a forgotten filter, and a school that leaves the district (reorganised,
closed: its archive goes to the municipal archive) takes its database and prefix with it.

The district itself is one more archive (`ARCHIVE_HOME`, `ARCHIVE_DATABASE_URL` of the
installation): it holds the district's own accounts — inspectors and administrators of the
education department — their grants to schools and the district's audit log.

The list of schools is a TOML file named by `ARCHIVE_DISTRICT` (docs/district.md):

    name = "Управление образования администрации г. Энска"

    [[school]]
    code = "sch21"                      # its web address: /s/sch21/…, its command line: --school sch21
    name = "МБОУ СОШ № 21"
    database_url = "postgresql://archive@db/sch21"   # default: SQLite in its home
    home = "schools/sch21"              # default: <district home>/schools/<code>
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from archive_service.bootstrap import Archive
from archive_service.config import ConfigError, Settings

CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,31}")
"""A school's code: lower-case Latin letters, digits and «-», 2–32 characters (it is a URL path part)."""
_SCHOOL_KEYS = {"code", "name", "home", "database_url", "document_store", "public_url", "timezone",
                "medium_a", "medium_b", "medium_a_location", "medium_b_location", "s3_bucket"}


@dataclass(frozen=True)
class School:
    """A school of the district as the district file lists it."""

    code: str
    name: str
    values: tuple[tuple[str, str], ...] = ()
    """The school's own settings (home, database_url, …) as the file gives them."""

    def get(self, key: str) -> str:
        return dict(self.values).get(key, "")


@dataclass(frozen=True)
class DistrictFile:
    name: str
    schools: tuple[School, ...]

    @classmethod
    def read(cls, path: Path) -> "DistrictFile":
        """The district file, checked whole: a mistake names the school and the key, nothing is opened."""
        where = f"файл района {path}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"ARCHIVE_DISTRICT: {where} не найден") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"ARCHIVE_DISTRICT: {where} не читается: {err}") from None
        name = str(data.get("name", "")).strip()
        if not name:
            raise ConfigError(f"ARCHIVE_DISTRICT: в {where} не указано name — название органа управления")
        schools = tuple(_school(entry, where) for entry in data.get("school", []))
        codes = [s.code for s in schools]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ConfigError(f"ARCHIVE_DISTRICT: в {where} повторяются коды школ: {', '.join(repeated)}")
        if not schools:
            raise ConfigError(f"ARCHIVE_DISTRICT: в {where} нет ни одной школы ([[school]])")
        return cls(name, schools)


def _school(entry: Any, where: str) -> School:
    if not isinstance(entry, dict):
        raise ConfigError(f"ARCHIVE_DISTRICT: в {where} школа задана не таблицей [[school]]")
    code = str(entry.get("code", ""))
    if not CODE.fullmatch(code):
        raise ConfigError(f"ARCHIVE_DISTRICT: в {where} код школы «{code}» не годится: строчные латинские "
                          "буквы, цифры и «-», от 2 до 32 знаков")
    unknown = sorted(set(entry) - _SCHOOL_KEYS)
    if unknown:
        raise ConfigError(f"ARCHIVE_DISTRICT: в {where} у школы {code} неизвестные ключи: {', '.join(unknown)}")
    name = str(entry.get("name", "")).strip()
    if not name:
        raise ConfigError(f"ARCHIVE_DISTRICT: в {where} у школы {code} не указано name")
    values = tuple((k, str(v)) for k, v in sorted(entry.items()) if k not in ("code", "name"))
    return School(code, name, values)


def school_settings(district: Settings, school: School, base_dir: Path) -> Settings:
    """The settings of one school's archive: the district's, with the school's own home (and so its
    own SQLite database, media, keys, secret source key), database, document store prefix, public
    address (the district's + /s/<code>, which its QR codes print) and the school's own overrides."""
    home = Path(school.get("home") or district.home / "schools" / school.code)
    home = home if home.is_absolute() else base_dir / home
    fields: dict[str, Any] = {
        "home": home, "database_url": school.get("database_url"),
        "document_store": school.get("document_store") or _store_of(district.document_store, school.code),
        "public_url": school.get("public_url") or f"{district.public_url.rstrip('/')}/s/{school.code}",
        "medium_a": _medium_of(district, "a", school),
        "medium_b": _medium_of(district, "b", school),
        # medium A in an Object-Lock bucket: the school's own bucket, or its part of the district's
        "s3_prefix": "" if school.get("s3_bucket") else f"{district.s3_prefix}{school.code}/",
        "cadesplugin_script": district.cadesplugin_script, "district": None,
    }
    for key in ("timezone", "medium_a_location", "medium_b_location", "s3_bucket"):
        if school.get(key):
            fields[key] = school.get(key)
    return replace(district, **fields)


def _medium_of(district: Settings, which: str, school: School) -> Path | None:
    """A backup medium's folder for the school: its own if the file gives one; a folder of its code on
    the district's medium if the installation names one (a mounted disk); else None — its home's."""
    own = school.get(f"medium_{which}")
    if own:
        return Path(own)
    configured = getattr(district, f"medium_{which}")
    return configured / school.code if configured != district.home / "media" / which else None


def _store_of(district_store: str, code: str) -> str:
    """The school's part of the district's document store: its own prefix (or folder). Content
    addressing stays per school: a disposal in one school can never delete another's bytes."""
    if not district_store:
        return ""  # each school's home/documents
    return f"{district_store.rstrip('/')}/{code}"


class District:
    """The schools of the installation and their archives, each built once, when first asked."""

    def __init__(self, settings: Settings, own: Archive, *,
                 make: Callable[[Settings], Archive] | None = None) -> None:
        if settings.district is None:
            raise ConfigError("ARCHIVE_DISTRICT не задан")
        self.settings = settings
        self.own = own
        """The district's own archive: its accounts, grants and audit log."""
        self.file = DistrictFile.read(settings.district)
        self._base = settings.district.parent
        self._make = make or (lambda s: Archive(s, in_worker=own.in_worker, moment=own.moment))
        self._archives: dict[str, Archive] = {}
        self._lock = threading.Lock()
        for school in self.file.schools:  # every school's settings checked at start, not at its first visit
            school_settings(settings, school, self._base)

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def schools(self) -> tuple[School, ...]:
        return self.file.schools

    def school(self, code: str) -> School | None:
        return next((s for s in self.file.schools if s.code == code), None)

    def archive(self, code: str) -> Archive:
        """The school's archive; KeyError for a code the district file does not list."""
        school = self.school(code)
        if school is None:
            raise KeyError(code)
        with self._lock:
            if code not in self._archives:
                made = self._make(school_settings(self.settings, school, self._base))
                made.celery = self.own.celery
                self._archives[code] = made
            return self._archives[code]
