"""The GOST test PKI: its certificates and CRLs as the OpenSSL GOST engine checks them."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess

import pytest
from asn1crypto import crl, pem

from signing import gost
from signing.gost_pki import create_gost_pki, create_untrusted_pki, issue_director, load_certificate, revoke

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
OWNER, SCHOOL = "Сергеева Ольга Викторовна", "МБОУ СОШ № 21"


def openssl(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, cwd=cwd, check=False)


def verify_with_crl(pki, cert_path, at: dt.datetime = NOW) -> subprocess.CompletedProcess:
    crl_pem = pki.directory / "crl.pem"
    converted = openssl("crl", "-inform", "DER", "-in", str(pki.root_crl), "-out", str(crl_pem))
    assert converted.returncode == 0, converted.stderr
    return openssl("verify", "-engine", "gost", "-attime", str(int(at.timestamp())), "-CAfile", str(pki.root_cert),
                   "-crl_check", "-CRLfile", str(crl_pem), str(cert_path))


@pytest.fixture
def pki(tmp_path):
    return create_gost_pki(tmp_path / "pki", owner=OWNER, organisation=SCHOOL, now=NOW)


def test_the_director_and_the_timestamp_authority_chain_to_the_root_with_the_crl_checked(pki):
    assert pki.exists()
    for cert in (pki.director_cert, pki.tsa_cert):
        result = verify_with_crl(pki, cert)
        assert result.returncode == 0 and f"{cert}: OK" in result.stdout, result.stderr


def test_certificates_and_the_crl_are_signed_with_gost_2012_and_verify_in_process(pki):
    root = load_certificate(pki.root_cert)
    director = load_certificate(pki.director_cert)
    revocation_list = crl.CertificateList.load(pki.root_crl.read_bytes())
    root_key = root["tbs_certificate"]["subject_public_key_info"]
    assert director["signature_algorithm"]["algorithm"].dotted == gost.SIGN_256
    assert director["signature_algorithm"]["parameters"].native is None
    assert gost.verify(root_key, director["tbs_certificate"].dump(), director["signature_value"].native)
    assert gost.verify(root_key, revocation_list["tbs_cert_list"].dump(), revocation_list["signature"].native)
    assert gost.certificate_is_gost(director)


def test_the_crl_has_a_number_the_authority_key_and_a_next_update(pki):
    tbs = crl.CertificateList.load(pki.root_crl.read_bytes())["tbs_cert_list"]
    extensions = {e["extn_id"].native: e["extn_value"].native for e in tbs["crl_extensions"]}
    root = load_certificate(pki.root_cert)
    assert extensions["crl_number"] == 1
    assert extensions["authority_key_identifier"]["key_identifier"] == root.key_identifier
    assert tbs["next_update"].native > NOW
    assert tbs["issuer"].dump() == root.subject.dump()


def test_keys_are_private_pkcs8_files_openssl_reads(pki):
    for key in (pki.director_key, pki.tsa_key, pki.root_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    result = openssl("pkey", "-engine", "gost", "-in", str(pki.director_key), "-pubout")
    assert result.returncode == 0, result.stderr
    director = load_certificate(pki.director_cert)["tbs_certificate"]["subject_public_key_info"]
    assert pem.unarmor(result.stdout.encode())[2] == director.dump()


def test_the_timestamp_authority_may_only_stamp_time(pki):
    tsa = load_certificate(pki.tsa_cert)
    assert tsa.extended_key_usage_value.native == ["time_stamping"]
    critical = {e["extn_id"].native: e["critical"].native for e in tsa["tbs_certificate"]["extensions"]}
    assert critical["extended_key_usage"] is True
    assert tsa.key_usage_value.native == {"digital_signature", "non_repudiation"}
    result = openssl("verify", "-engine", "gost", "-attime", str(int(NOW.timestamp())), "-purpose", "timestampsign",
                     "-CAfile", str(pki.root_cert), str(pki.tsa_cert))
    assert result.returncode == 0, result.stderr


def test_a_revoked_director_fails_the_crl_check_and_the_crl_number_grows(pki):
    serial = load_certificate(pki.director_cert).serial_number
    _, other_key = issue_director(pki, owner="Петров Пётр Петрович", not_before=NOW - dt.timedelta(days=1),
                                  not_after=NOW + dt.timedelta(days=365), stem="other")
    other_serial = load_certificate(pki.directory / "other.pem").serial_number
    revoke(pki, serial, NOW - dt.timedelta(hours=2))
    revoke(pki, other_serial, NOW - dt.timedelta(hours=1))
    result = verify_with_crl(pki, pki.director_cert)
    assert result.returncode != 0 and "certificate revoked" in result.stdout + result.stderr
    assert "certificate revoked" in (lambda r: r.stdout + r.stderr)(verify_with_crl(pki, pki.directory / "other.pem"))
    tbs = crl.CertificateList.load(pki.root_crl.read_bytes())["tbs_cert_list"]
    assert [e["user_certificate"].native for e in tbs["revoked_certificates"]] == [serial, other_serial]
    assert next(e["extn_value"].native for e in tbs["crl_extensions"] if e["extn_id"].native == "crl_number") == 3
    assert verify_with_crl(pki, pki.tsa_cert).returncode == 0


def test_an_expired_director_fails_the_check(pki):
    cert, _ = issue_director(pki, owner=OWNER, not_before=NOW - dt.timedelta(days=800),
                             not_after=NOW - dt.timedelta(days=35), stem="expired")
    result = verify_with_crl(pki, cert)
    assert result.returncode != 0 and "certificate has expired" in result.stdout + result.stderr


def test_a_director_of_another_root_is_not_trusted_by_this_one(pki, tmp_path):
    stranger = create_untrusted_pki(tmp_path / "other", owner=OWNER, organisation=SCHOOL, now=NOW)
    result = verify_with_crl(pki, stranger.director_cert)
    assert result.returncode != 0 and "unable to get local issuer certificate" in result.stdout + result.stderr
    assert verify_with_crl(stranger, stranger.director_cert).returncode == 0


@pytest.mark.parametrize("bits, digest", [(256, "md_gost12_256"), (512, "md_gost12_512")])
def test_openssl_signs_cades_with_the_director_files_and_the_signature_verifies(pki, tmp_path, bits, digest):
    cert, key = issue_director(pki, owner=OWNER, bits=bits, not_before=NOW - dt.timedelta(days=1),
                               not_after=NOW + dt.timedelta(days=365), stem=f"director{bits}")
    assert verify_with_crl(pki, cert).returncode == 0
    data = tmp_path / "document.bin"
    data.write_bytes(b"%PDF-1.7 byte range stand-in\n" * 10)
    signature = tmp_path / "signature.p7s"
    signed = openssl("cms", "-engine", "gost", "-sign", "-binary", "-in", str(data), "-signer", str(cert),
                     "-inkey", str(key), "-md", digest, "-outform", "DER", "-nosmimecap", "-cades",
                     "-out", str(signature))
    assert signed.returncode == 0, signed.stderr
    checked = openssl("cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER", "-in", str(signature),
                      "-content", str(data), "-CAfile", str(pki.root_cert), "-attime", str(int(NOW.timestamp())),
                      "-out", "/dev/null")
    assert checked.returncode == 0 and "Verification successful" in checked.stderr, checked.stderr
    algorithm = load_certificate(cert)["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"]
    assert algorithm.dotted == {256: gost.KEY_256, 512: gost.KEY_512}[bits]


def test_a_512_bit_root_issues_a_512_bit_director(tmp_path):
    pki = create_gost_pki(tmp_path / "pki512", owner=OWNER, organisation=SCHOOL, now=NOW, director_bits=512,
                          root_bits=512)
    director = load_certificate(pki.director_cert)
    assert director["signature_algorithm"]["algorithm"].dotted == gost.SIGN_512
    assert verify_with_crl(pki, pki.director_cert).returncode == 0
    assert pem.detect(pki.director_cert.read_bytes())
