"""Support of the browser-signing tests: the director's GOST test token, an archive that trusts its
certificate, documents awaiting the signature, and the independent check with OpenSSL."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

from asn1crypto import cms, x509
from pyhanko.pdf_utils.reader import PdfFileReader

from archive_service import Settings
from archive_service.app import create_app
from builders import render_journals
from conftest import NOW, soon_after_the_quarter
from signing import create_demo_pki, create_gost_pki, gost
from signing.gost_pki import GostPKI, load_certificate
from standins.cadesplugin_token import Token, TokenCertificate, expired_certificate, issue_test_certificate
from store_support import store_settings
from web_support import NAMES

ORGANISATION = "МБОУ СОШ № 21, г. Тула"
YEAR, PERIOD = "2026/2027", "Q2"


def director_token(pki: GostPKI, folder: Path) -> Token:
    """The director's token: their qualified GOST certificate from the test PKI with its key, plus
    what a real store also holds and the page must not offer — an expired certificate with a key,
    and a colleague's certificate without one (made by `openssl req -engine gost`)."""
    own = TokenCertificate(load_certificate(pki.director_cert).dump(),
                           gost.PrivateKey.from_pem(pki.director_key.read_bytes()))
    colleague = issue_test_certificate(folder / "colleague", "Кузнецова Мария Ивановна", ORGANISATION)
    old = expired_certificate("Смирнов Виктор Васильевич (старый сертификат)", own.key,
                              ended=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30))
    return Token([old, own, TokenCertificate(colleague.der, None)])


def director_certificate(token: Token) -> TokenCertificate:
    return next(c for c in token.certificates if c.key is not None and NAMES["director"] == c.cert.subject.native[
        "common_name"])


def gost_archive(home: Path, database_url: str, *, bits: int = 256, **extra) -> tuple[Settings, GostPKI]:
    """Settings of an archive with the GOST test PKI in HOME/pki-gost (its timestamp authority
    answers) and its root trusted; the demo PKI too (the RSA route's key, for refusals)."""
    home.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    create_demo_pki(home / "pki", owner="Демо", organisation=ORGANISATION, password=b"unused", now=now)
    pki = create_gost_pki(home / "pki-gost", owner=NAMES["director"], organisation=ORGANISATION, now=now,
                          director_bits=bits)
    settings = Settings(home=home, database_url=database_url, secret_key="browser-signing-secret",
                        trusted_roots=str(pki.root_cert), trust_crls=str(pki.root_crl), **store_settings(home),
                        **extra)
    return settings, pki


def make_app(settings: Settings):
    app = create_app(settings, moment=soon_after_the_quarter())  # the quarter has ended and was exported
    app.config.update(TESTING=True)
    return app


def render_awaiting(archive, *letters: str) -> list[str]:
    """Class journal copies of Q2 awaiting the signature."""
    return render_journals(archive, "".join(letters), NOW)


def openssl_verifies(pdf: bytes, certificate: x509.Certificate) -> bool:
    """The director's signature checked by OpenSSL's GOST engine, independently of the archive:
    `openssl cms -verify` of the CMS in /Contents over the byte range pyHanko reports (the chain is
    not checked here: -noverify), and the signer is `certificate`."""
    embedded = next(s for s in PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures)
    start1, length1, start2, length2 = (int(v) for v in embedded.byte_range)
    covered = pdf[start1:start1 + length1] + pdf[start2:start2 + length2]
    info = cms.ContentInfo.load(embedded.pkcs7_content)  # the padding zeros after it are left out
    signer = info["content"]["signer_infos"][0]["sid"].chosen
    if signer["serial_number"].native != certificate.serial_number or signer["issuer"] != certificate.issuer:
        return False
    with tempfile.TemporaryDirectory() as folder:
        content, signature = Path(folder) / "range", Path(folder) / "cms.der"
        content.write_bytes(covered)
        signature.write_bytes(info.dump())
        result = subprocess.run(["openssl", "cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER",
                                 "-in", str(signature), "-content", str(content), "-noverify", "-out", "/dev/null"],
                                capture_output=True, text=True)
    return result.returncode == 0 and "Verification successful" in result.stderr
