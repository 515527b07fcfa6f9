"""The qualified profile (ФСБ order 795) read back from certificates, and what a certificate lacks."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import core, x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from signing import create_demo_pki
from signing.gost_pki import create_gost_pki, issue_director, load_certificate
from signing.qualified import qualification_problems, read_profile

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return create_gost_pki(tmp_path_factory.mktemp("gost") / "pki", owner="Сергеева Ольга Викторовна",
                           organisation="МБОУ СОШ № 21", now=NOW)


def test_the_directors_certificate_reads_back_as_qualified(pki):
    cert = load_certificate(pki.director_cert)
    profile = read_profile(cert)
    assert (profile.owner, profile.surname, profile.given_names) == (
        "Сергеева Ольга Викторовна", "Сергеева", "Ольга Викторовна")
    assert (profile.title, profile.organisation) == ("Директор", "МБОУ СОШ № 21")
    assert (profile.snils, profile.inn, profile.inn_le, profile.ogrn) == (
        "12345678901", "770123456789", "7701234567", "1027700123456")
    assert (profile.issuer_name, profile.issuer_ogrn) == ("Тестовый УЦ ГОСТ archive_service", "1234567890123")
    assert profile.tool_classes == ("КС1", "КС2")
    assert profile.subject_sign_tool == "СКЗИ \"КриптоПро CSP\" (версия 5.0)"
    assert len(profile.issuer_sign_tool) == 4 and profile.issuer_sign_tool[1].startswith("ПАК «Удостоверяющий центр")
    assert (profile.identification_kind, profile.identification) == (0, "при личном присутствии")
    assert qualification_problems(cert) == []


def test_identifiers_are_numeric_strings_under_their_oids_and_named_for_people(pki):
    cert = load_certificate(pki.director_cert)
    found = {}
    for rdn in cert.subject.chosen:
        for attribute in rdn:
            found[attribute["type"].dotted] = attribute["value"]
    for dotted, length in (("1.2.643.100.3", 11), ("1.2.643.3.131.1.1", 12), ("1.2.643.100.4", 10),
                           ("1.2.643.100.1", 13)):
        assert isinstance(found[dotted], core.NumericString) and len(found[dotted].native) == length
    assert "СНИЛС: 12345678901" in cert.subject.human_friendly
    extensions = {e["extn_id"].dotted: e for e in cert["tbs_certificate"]["extensions"]}
    assert isinstance(extensions["1.2.643.100.111"]["extn_value"].parsed, core.UTF8String)
    assert extensions["1.2.643.100.114"]["extn_value"].parsed.native == 0
    assert extensions["2.5.29.16"]["extn_value"].parsed["not_before"].native <= NOW


def test_a_certificate_without_the_qualified_extensions_is_named_for_what_it_lacks(pki):
    cert_path, _ = issue_director(pki, owner="Петров Пётр Петрович", not_before=NOW - dt.timedelta(days=1),
                                  not_after=NOW + dt.timedelta(days=365), qualified=False, stem="plain")
    problems = qualification_problems(load_certificate(cert_path))
    assert problems == [
        "не указан класс средства электронной подписи (КС1, КС2 …)",
        "нет сведений о средстве электронной подписи владельца",
        "нет сведений о средствах удостоверяющего центра и их сертификатах соответствия",
    ]


def test_a_certificate_of_the_rsa_ecdsa_demo_is_not_qualified(tmp_path):
    demo = create_demo_pki(tmp_path / "demo", owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                           password=b"pw", now=NOW)
    _, signer, _ = pkcs12.load_key_and_certificates(demo.signer_p12.read_bytes(), b"pw")
    cert = x509.Certificate.load(signer.public_bytes(Encoding.DER))
    problems = qualification_problems(cert)
    assert problems[0] == "ключ не ГОСТ Р 34.10-2012"
    assert "не указан СНИЛС владельца (11 цифр)" in problems
    assert "не указан ОГРН удостоверяющего центра" in problems
    assert "нет сведений о средстве электронной подписи владельца" in problems
    assert read_profile(cert).tool_classes == ()
