"""The address a printed QR code points to (`ARCHIVE_PUBLIC_URL`): required in production.

A school's installation (`ARCHIVE_PRODUCTION`) refuses to render copies while the address is the
server's own (127.0.0.1, localhost) — in the service layer, before anything is written — and the
administrator's page says so; the demo and the tests keep the loopback default."""

from __future__ import annotations

import dataclasses

import pytest

from archive_service.config import Settings
from archive_service.domain.actor import Actor
from archive_service.domain.public_address import is_local_address
from archive_service.adapters.orm import DocumentRecord
from archive_service.adapters.orm.work import Job
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.period_close import ClosePeriod
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import csrf_token
from store_support import store_settings, stored_files

DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "web 127.0.0.1", "deputy")


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    """A school's installation that kept the demo's loopback address."""
    return Settings(home=tmp_path / "home", database_url=db_url, secret_key="test-secret", key_kdf_log2_n=10,
                    production=True, **store_settings(tmp_path / "home"))


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:5000", True), ("http://localhost:8000/", True), ("https://LOCALHOST", True),
    ("http://127.5.0.1", True), ("http://[::1]:5000", True), ("http://0.0.0.0:8000", True), ("", True),
    ("http://app.localhost", True), ("not a url", True),
    ("https://archive.school21.ru", False), ("http://10.0.0.7:8000", False), ("http://192.168.1.20", False),
    ("http://archive:8000", False),
])
def test_which_addresses_open_nothing_off_the_server(url, local):
    assert is_local_address(url) is local


def _stored_rows(archive) -> tuple[int, int]:
    """(documents recorded, audit events of documents and periods)."""
    with archive.uow() as uow:
        docs = uow.session.query(DocumentRecord).count()
        events = sum(1 for e in uow.audit.entries() if e.action.startswith(("document.", "period.")))
    return docs, events


def test_production_with_a_loopback_address_refuses_to_render_before_writing_anything(archive):
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    options = archive.render_options
    assert options.production and options.public_url == "http://127.0.0.1:5000"
    files_before = stored_files(archive.store)
    with pytest.raises(documents.PublicAddressNotSet) as refused:
        documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                  "class_journal", options, actor=DEPUTY, now=NOW)
    message = str(refused.value)
    assert "копии не изготовлены" in message and "http://127.0.0.1:5000" in message and "сети школы" in message
    with pytest.raises(documents.PublicAddressNotSet):
        ClosePeriod(archive.uow(), archive.runner, "2026/2027", ["Q2"], actor=DEPUTY, clock=archive.clock,
                    options=options).validate()
    assert _stored_rows(archive) == (0, 0)
    assert stored_files(archive.store) == files_before
    fixed = dataclasses.replace(options, public_url="https://archive.school21.ru")
    made = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                     "class_journal", fixed, actor=DEPUTY, now=NOW)
    assert made.status == "rendered"


def test_the_deputy_sees_why_no_copies_are_made_and_no_job_is_started(archive, login_as):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    deputy = login_as("deputy")
    token = csrf_token(deputy, "/period/2026-2027/Q2")
    response = deputy.post("/period/2026-2027/Q2/copies", data={"csrf_token": token}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Копии не изготовлены: в QR-коде листа был бы адрес «http://127.0.0.1:5000»" in page
    with archive.uow() as uow:
        assert uow.session.query(Job).count() == 0
        assert uow.session.query(DocumentRecord).count() == 0


def test_the_administrator_page_warns_that_copies_are_refused(login_as):
    page = login_as("admin").get("/admin/media").get_data(as_text=True)
    assert 'id="public-address-warning"' in page and "flash error" in page
    assert "это адрес самого сервера" in page and "архив не изготавливает копии журналов" in page
    assert "http://127.0.0.1:5000" in page


def test_production_with_the_school_address_renders_and_does_not_warn(tmp_path, db_url):
    from archive_service.app import create_app

    settings = Settings(home=tmp_path / "school", database_url=db_url, secret_key="test-secret",
                        key_kdf_log2_n=10, production=True, public_url="https://archive.school21.ru",
                        **store_settings(tmp_path / "school"))
    app = create_app(settings)
    try:
        a = app.extensions["archive"]
        documents.require_public_address(a.render_options)  # no refusal
        assert a.render_options.public_url == "https://archive.school21.ru"
    finally:
        app.extensions["archive"].engine.dispose()


def test_production_is_read_from_the_environment():
    assert Settings.from_env({"ARCHIVE_PRODUCTION": "true"}).production is True
    assert Settings.from_env({}).production is False
    assert Settings.from_env({}).public_url == "http://127.0.0.1:5000"


def test_the_command_line_refuses_to_close_a_period_with_a_loopback_address(archive, runner):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    result = runner.invoke(args=["--as", "deputy", "period", "close", "--year", "2026/2027", "--period", "Q2"])
    assert result.exit_code != 0
    assert "копии не изготовлены" in result.output and "http://127.0.0.1:5000" in result.output
    assert "Traceback" not in result.output
    assert _stored_rows(archive) == (0, 0)
