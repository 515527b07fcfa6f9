"""The signature made in the director's browser, phase by phase, on SQLite and PostgreSQL: the
server prepares the hashes, the stand-in token signs them as CryptoPro's plug-in would, the
server finishes, stores and records each document; every wrong completion is refused and writes
nothing."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from archive_service.adapters.orm import DocumentSignature, PreparedSignature
from archive_service.domain.actor import Actor
from archive_service.errors import PermissionDenied
from archive_service.services import audit, browser_signing, documents
from gost_browser_support import (
    PERIOD,
    YEAR,
    gost_archive,
    director_certificate,
    director_token,
    make_app,
    openssl_verifies,
    render_awaiting,
)
from signing import load_pkcs12, verify_pdf
from signing.gost_pki import create_untrusted_pki, load_certificate, revoke
from store_support import Wrapped, lose
from standins.cadesplugin_token import Token, issue_test_certificate
from web_support import make_staff
from conftest import NOW


@pytest.fixture
def gost_app(db_url, tmp_path):
    settings, pki = gost_archive(tmp_path / "home", db_url)
    app = make_app(settings)
    yield app, pki
    app.extensions["archive"].engine.dispose()


@pytest.fixture
def archive(gost_app):
    return gost_app[0].extensions["archive"]


@pytest.fixture
def token(gost_app, tmp_path) -> Token:
    return director_token(gost_app[1], tmp_path / "token")


@pytest.fixture
def director(archive):
    return make_staff(archive, NOW)["director"]


@pytest.fixture
def awaiting(archive, director):
    return render_awaiting(archive, "А", "Б")


def _prepare(archive, director, token, *, now=None, der=None):
    return browser_signing.prepare(archive.uow(), archive.store, archive.gost_preparer(), YEAR, [PERIOD],
                                   der or director_certificate(token).der, owner_id=director.id,
                                   actor=Actor(director.full_name, "director"), now=now or archive.now(),
                                   check=archive.gost_certificate_check())


def _sign(token, item) -> bytes:
    """What the page does with one prepared hash: the plug-in's SignHash, its base64 decoded."""
    algorithm = {"streebog256": 101, "streebog512": 102}[item.digest_algorithm]
    return base64.b64decode(token.sign_hash(director_certificate(token).thumbprint, algorithm, item.digest, 1))


def _complete(archive, director, prepared_id, cms, *, now=None, owner_id=None):
    return browser_signing.complete(archive.uow(), archive.store, archive.gost_completer(), prepared_id, cms,
                                    owner_id=owner_id or director.id, actor=Actor(director.full_name, "director"),
                                    now=now or archive.now())


def _rows(archive, model) -> list:
    with archive.uow() as uow:
        return list(uow.session.query(model).all())


def _actions(archive) -> list[str]:
    with archive.uow() as uow:
        return [e.action for e in uow.audit.entries()]


def test_each_prepared_hash_signed_in_the_browser_makes_a_stored_and_recorded_gost_signature(archive, director,
                                                                                              token, awaiting):
    prepared = _prepare(archive, director, token)
    assert [(i.class_name, i.period_code, i.digest_algorithm, len(i.digest)) for i in prepared.items] == [
        ("5А", PERIOD, "streebog256", 64), ("5Б", PERIOD, "streebog256", 64)]
    assert prepared.done == [] and len(_rows(archive, PreparedSignature)) == 2
    outcomes = [_complete(archive, director, item.id, _sign(token, item)) for item in prepared.items]
    assert [(o.class_name, o.ok) for o in outcomes] == [("5А", True), ("5Б", True)]
    assert token.signed == [i.digest for i in prepared.items], "the token signed exactly the hashes the server gave"
    cert = director_certificate(token).cert
    for row in documents.list_documents(archive.uow(), YEAR, [PERIOD]):
        assert row["signature"]["level"] == "PAdES B-LTA"
        assert row["signature"]["signed_by"] == director.full_name
        signed = archive.store.read(row["signature"]["sha256"])
        assert openssl_verifies(signed, cert)
        report = verify_pdf(signed, archive.trust())
        # the test PKI's root is the list of accredited centres (ARCHIVE_TRUSTED_ROOTS)
        assert report.valid and report.qualified is True, report.as_text()
        assert report.certification_centre == "Тестовый УЦ ГОСТ archive_service"
        assert archive.store.verify(row["sha256"]), "the unsigned copy is kept unchanged"
    assert _rows(archive, PreparedSignature) == [], "a completed preparation is deleted"
    actions = _actions(archive)
    assert actions.count("document.signature_prepared") == 2 and actions.count("document.signed") == 2
    assert audit.verify_audit_log(archive.uow())[1] == []


def test_a_512_bit_key_gets_a_streebog_512_hash(db_url, tmp_path):
    settings, pki = gost_archive(tmp_path / "home", db_url, bits=512)
    app = make_app(settings)
    archive = app.extensions["archive"]
    token = director_token(pki, tmp_path / "token")
    try:
        director = make_staff(archive, NOW)["director"]
        render_awaiting(archive, "А")
        item, = _prepare(archive, director, token).items
        assert (item.digest_algorithm, len(item.digest)) == ("streebog512", 128)
        assert _complete(archive, director, item.id, _sign(token, item)).ok
        row, = documents.list_documents(archive.uow(), YEAR, [PERIOD])
        assert openssl_verifies(archive.store.read(row["signature"]["sha256"]), director_certificate(token).cert)
    finally:
        archive.engine.dispose()


def _nothing_signed(archive) -> None:
    assert _rows(archive, DocumentSignature) == []
    assert "document.signing" not in _actions(archive) and "document.signed" not in _actions(archive)


def test_a_cms_over_another_hash_is_refused_and_the_same_hash_can_still_be_signed(archive, director, token, awaiting):
    first, second = _prepare(archive, director, token).items
    with pytest.raises(browser_signing.SignatureRefused, match="подпись не принята"):
        _complete(archive, director, first.id, _sign(token, second))
    _nothing_signed(archive)
    assert len(_rows(archive, PreparedSignature)) == 2, "the preparation waits for the right signature"
    assert _complete(archive, director, first.id, _sign(token, first)).ok


def test_a_cms_by_another_certificate_is_refused(archive, director, token, awaiting, tmp_path):
    item = _prepare(archive, director, token).items[0]
    stranger = issue_test_certificate(tmp_path / "stranger", "Смирнов Виктор Васильевич", "Другая школа")
    cms = base64.b64decode(Token([stranger]).sign_hash(stranger.thumbprint, 101, item.digest, 1))
    with pytest.raises(browser_signing.SignatureRefused, match="подпись не принята"):
        _complete(archive, director, item.id, cms)
    _nothing_signed(archive)


def test_unknown_foreign_and_expired_preparations_are_refused(archive, director, token, awaiting):
    first, second = _prepare(archive, director, token).items
    with pytest.raises(browser_signing.SignatureRefused, match="не найден"):
        _complete(archive, director, "0" * 32, _sign(token, first))
    with pytest.raises(browser_signing.SignatureRefused, match="другим пользователем"):
        _complete(archive, director, first.id, _sign(token, first), owner_id=director.id + 1000)
    later = archive.now() + browser_signing.LIFETIME + dt.timedelta(minutes=1)
    with pytest.raises(browser_signing.SignatureRefused, match="не найден"):
        _complete(archive, director, second.id, _sign(token, second), now=later)
    _nothing_signed(archive)
    assert _rows(archive, PreparedSignature) == [], "expired preparations are deleted"


def test_preparing_again_replaces_the_earlier_preparation(archive, director, token, awaiting):
    old = _prepare(archive, director, token).items[0]
    new = _prepare(archive, director, token).items[0]
    assert len(_rows(archive, PreparedSignature)) == 2
    with pytest.raises(browser_signing.SignatureRefused, match="не найден"):
        _complete(archive, director, old.id, _sign(token, old))
    assert _complete(archive, director, new.id, _sign(token, new)).ok


def test_only_the_director_prepares_and_completes(archive, director, token, awaiting):
    cert = director_certificate(token)
    with pytest.raises(PermissionDenied):
        browser_signing.prepare(archive.uow(), archive.store, archive.gost_preparer(), YEAR, [PERIOD], cert.der,
                                owner_id=director.id, actor=Actor("Иванова", "deputy"), now=archive.now())
    item = _prepare(archive, director, token).items[0]
    with pytest.raises(PermissionDenied):
        browser_signing.complete(archive.uow(), archive.store, archive.gost_completer(), item.id, _sign(token, item),
                                 owner_id=director.id, actor=Actor("Иванова", "deputy"), now=archive.now())
    _nothing_signed(archive)


def test_a_certificate_that_is_not_gost_valid_or_trusted_is_refused_before_anything_is_prepared(
        archive, director, token, awaiting, tmp_path):
    rsa = load_pkcs12(archive.demo_pki.signer_p12, b"unused").signing_cert
    expired = next(c for c in token.certificates if "старый" in c.cert.subject.native["common_name"])
    other_centre = create_untrusted_pki(tmp_path / "other", owner=director.full_name, organisation="МБОУ СОШ № 21",
                                        now=archive.now())
    stranger = load_certificate(other_centre.director_cert)
    self_signed = issue_test_certificate(tmp_path / "self-signed", director.full_name, "МБОУ СОШ № 21")
    for der, reason in ((rsa.dump(), "не сертификат ГОСТ"), (expired.der, "срок действия сертификата закончился"),
                        (b"not a certificate", "не читается"),
                        (stranger.dump(), "подписывать нельзя: сертификат выдан удостоверяющим центром «Посторонний "
                                          "УЦ .*», которого нет в списке доверенных"),
                        (self_signed.der, "подписывать нельзя: сертификат самоподписанный")):
        with pytest.raises(browser_signing.SignatureRefused, match=reason):
            _prepare(archive, director, token, der=der)
    assert _rows(archive, PreparedSignature) == []
    assert "document.signature_prepared" not in _actions(archive)


def test_a_revoked_certificate_is_refused(gost_app, archive, director, token, awaiting):
    _, pki = gost_app
    revoke(pki, director_certificate(token).cert.serial_number, archive.now() - dt.timedelta(hours=1))
    with pytest.raises(browser_signing.SignatureRefused, match="сертификат отозван"):
        _prepare(archive, director, token)


def test_one_document_that_cannot_be_prepared_leaves_the_others_to_sign(archive, director, token, awaiting):
    first = documents.list_documents(archive.uow(), YEAR, [PERIOD])[0]
    lose(archive.store, first["sha256"])
    prepared = _prepare(archive, director, token)
    assert [(o.class_name, o.ok) for o in prepared.done] == [("5А", False)]
    assert [i.class_name for i in prepared.items] == ["5Б"]
    assert "document.sign_failed" in _actions(archive)


class PowerCut(BaseException):
    """The process dies here (nothing after it runs, no handler catches it)."""


class DyingStore(Wrapped):
    """Stores the signed file, then the power goes: before the signature is recorded."""

    def put(self, data: bytes) -> str:
        self.inner.put(data)
        raise PowerCut


def test_a_signed_file_left_by_a_crash_is_adopted_when_the_director_prepares_again(archive, director, token,
                                                                                    awaiting):
    first, second = _prepare(archive, director, token).items
    with pytest.raises(PowerCut):
        browser_signing.complete(archive.uow(), DyingStore(archive.store), archive.gost_completer(), first.id,
                                 _sign(token, first), owner_id=director.id,
                                 actor=Actor(director.full_name, "director"), now=archive.now())
    assert _rows(archive, DocumentSignature) == [] and "document.signing" in _actions(archive)
    again = _prepare(archive, director, token)
    assert [(o.class_name, o.ok, o.message.split(",")[0]) for o in again.done] == [
        ("5А", True, "подписан ранее")]
    assert [i.class_name for i in again.items] == ["5Б"], "the adopted document is not signed twice"
    row = next(r for r in documents.list_documents(archive.uow(), YEAR, [PERIOD]) if r["class"] == "5А")
    assert openssl_verifies(archive.store.read(row["signature"]["sha256"]), director_certificate(token).cert)
