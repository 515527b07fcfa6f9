"""Fixtures: the app on SQLite and on the machine's PostgreSQL server, its client and CLI runner.

Database-backed tests take the `db_url` fixture (directly or through `app`) and run twice:
once on a fresh SQLite file, once on a fresh PostgreSQL database created for this test run
(`ARCHIVE_TEST_POSTGRES_URL`, default the local server's `test` database as its admin entry).
An unreachable PostgreSQL fails those tests; it never skips them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))

from archive_service.domain.actor import Actor
from archive_service import Settings  # noqa: E402
from archive_service.app import create_app as create_app_on_clock  # noqa: E402  (tests' own composition)
from archive_service.adapters import db  # noqa: E402
from archive_service.adapters.orm import Base  # noqa: E402
from archive_service.services import tokens  # noqa: E402
from store_support import store_settings  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("ARCHIVE_TEST_POSTGRES_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)


def ticking_from(start: dt.datetime):
    """A clock that stands on `start` when made and ticks with the machine's from there."""
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


AFTER_THE_QUARTER = dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.timezone.utc)
"""Two days after the builders' quarter was exported."""


def soon_after_the_quarter():
    """A clock soon after the builders' quarter (or the machine's, if later): for the GOST test PKI,
    whose revocation lists are good for 30 days from when a test makes them."""
    return ticking_from(max(AFTER_THE_QUARTER, dt.datetime.now(dt.timezone.utc)))


@pytest.fixture(scope="session")
def postgres_database():
    """A database of its own on the PostgreSQL server, migrated once, dropped at the end."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"archive_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    db.upgrade(engine)
    yield url, engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    url, engine = request.getfixturevalue("postgres_database")
    _truncate(engine)
    return url


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", database_url=db_url, secret_key="test-secret",
                    key_kdf_log2_n=10,  # the archive key sealed fast in tests (production: 2^17)
                    **store_settings(tmp_path / "home"))  # the documents where this run keeps them


@pytest.fixture
def app(settings):
    # the app's clock starts on NOW, after the builders' period (II четверть 2026/2027, ended 25.12.2026)
    # and its export (26.12.2026): what it closes is final and may be signed and registered
    app = create_app_on_clock(settings, moment=ticking_from(NOW))
    app.config.update(TESTING=True)
    yield app
    app.extensions["archive"].engine.dispose()


@pytest.fixture
def archive(app):
    return app.extensions["archive"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app, staff):
    """The command line, with one account per role to act as (`--as deputy`, `--as director`, …)."""
    return app.test_cli_runner()


@pytest.fixture
def api_token(archive) -> str:
    _, token = tokens.issue_token(archive.uow(), "test journal", actor=Actor("test", "admin"), now=NOW)
    return token


@pytest.fixture
def auth(api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token}"}


@pytest.fixture
def staff(archive):
    """One web account per role, login = role code, password `web_support.PASSWORD`."""
    from web_support import make_staff

    return make_staff(archive, NOW)


@pytest.fixture
def login_as(app, staff):
    """login_as("deputy") → a test client signed in as the deputy head."""
    from web_support import client_factory

    return client_factory(app)


@pytest.fixture
def browser_app(tmp_path):
    """The app on its own SQLite file (the embedded default) with one account per role, for
    browser tests: they drive the pages, whose logic runs on both databases in tests/web."""
    from web_support import make_staff

    app = create_app_on_clock(Settings(home=tmp_path / "home",
                                       database_url=f"sqlite:///{tmp_path / 'browser.sqlite3'}",
                                       secret_key="browser-test-secret", **store_settings(tmp_path / "home")),
                              moment=ticking_from(NOW))
    make_staff(app.extensions["archive"], NOW)
    yield app
    app.extensions["archive"].engine.dispose()


# --- the fuzzers' counts, printed at the end of the run (tests/fuzz) ----------------------

_FUZZ_LINES: list[str] = []


def pytest_runtest_logreport(report):
    """Collect the counts a fuzz test recorded (its user properties travel from xdist workers)."""
    if report.when == "call":
        _FUZZ_LINES.extend(value for name, value in report.user_properties if name == "fuzz_counts")


def pytest_terminal_summary(terminalreporter):
    if _FUZZ_LINES:
        terminalreporter.section("fuzzing")
        for line in _FUZZ_LINES:
            terminalreporter.line(line)
