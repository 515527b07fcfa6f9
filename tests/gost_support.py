"""Fixtures of the GOST signing tests: the qualified test PKI, its trust, a GOST timestamp authority,
and the OpenSSL GOST engine as the stand-in for CryptoPro's command-line signer."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms

from archive_service.config import PROJECT_ROOT
from signing.cryptopro import openssl_gost_command
from signing.external import ExternalCommandSigner
from signing.gost_pki import GostPKI, create_gost_pki
from signing.gost_tsa import GostTimestampAuthority
from signing.pades import Trust
from signing.trusted_list import load_trusted_list

FONT = PROJECT_ROOT / "templates/fonts/PTS55F.ttf"
OWNER, SCHOOL = "Сергеева Ольга Викторовна", "МБОУ СОШ № 21"


openssl_signer_command = openssl_gost_command  # the OpenSSL GOST engine standing in for CryptoPro


def gost_trust(pki: GostPKI) -> Trust:
    from asn1crypto import crl

    trusted = load_trusted_list(pki.root_cert)
    return Trust(tuple(trusted.roots), (crl.CertificateList.load(pki.root_crl.read_bytes()),), accredited=trusted)


def gost_timestamper(pki: GostPKI) -> GostTimestampAuthority:
    return GostTimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key)


def external_signer(pki: GostPKI, cert: Path, key: Path, trust: Trust | None = None) -> ExternalCommandSigner:
    return ExternalCommandSigner(openssl_signer_command(cert, key), cert, gost_timestamper(pki),
                                 trust or gost_trust(pki), FONT)


def covered_and_container(pdf: bytes, signature) -> tuple[bytes, bytes]:
    start, first, second, length = (int(x) for x in signature.byte_range)
    der = cms.ContentInfo.load(bytes(signature.pkcs7_content), strict=False).dump()
    return pdf[start:start + first] + pdf[second:second + length], der


def openssl_cms_verify(covered: bytes, container: bytes, root: Path, tmp: Path,
                       purpose: str = "any") -> subprocess.CompletedProcess:
    """`openssl cms -verify` with the GOST engine: the independent check of a signature."""
    (tmp / "covered.bin").write_bytes(covered)
    (tmp / "container.p7s").write_bytes(container)
    return subprocess.run(["openssl", "cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER",
                           "-in", str(tmp / "container.p7s"), "-content", str(tmp / "covered.bin"),
                           "-CAfile", str(root), "-purpose", purpose, "-out", "/dev/null"],
                          capture_output=True, text=True)


ENGINE_CONFIG = """openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
"""


def openssl_ts_verify(covered: bytes, token: bytes, root: Path, tmp: Path) -> subprocess.CompletedProcess:
    """`openssl ts -verify`: the document timestamp stamps these bytes and its authority chains to the
    root (`ts` loads the CA file before `-engine` takes effect, so the engine comes from a config)."""
    import os

    (tmp / "stamped.bin").write_bytes(covered)
    (tmp / "token.der").write_bytes(token)
    (tmp / "gost.cnf").write_text(ENGINE_CONFIG)
    return subprocess.run(["openssl", "ts", "-verify", "-data", str(tmp / "stamped.bin"), "-in", str(tmp / "token.der"),
                           "-token_in", "-CAfile", str(root)], capture_output=True, text=True,
                          env={**os.environ, "OPENSSL_CONF": str(tmp / "gost.cnf")})


@pytest.fixture(scope="module")
def gost_pki(tmp_path_factory) -> GostPKI:
    return create_gost_pki(tmp_path_factory.mktemp("gost-pki"), owner=OWNER, organisation=SCHOOL,
                           now=dt.datetime.now(dt.timezone.utc))
