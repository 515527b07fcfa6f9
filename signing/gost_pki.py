"""A GOST test PKI: a root «УЦ», its CRL, a director's qualified certificate, a timestamp authority.

The same shapes a school meets with a real accredited centre (for directors usually the ФНС УЦ),
offline: GOST R 34.10-2012 keys from the system OpenSSL's GOST engine (signing.gost), certificates
and CRLs built with asn1crypto and signed with id-tc26-signwithdigest-gost3410-12-256/512. The
director's certificate follows the qualified profile of ФСБ order 795 (see signing.qualified).
Keys are written as PKCS#8 PEM, the format `openssl genpkey -engine gost` writes, so the OpenSSL
command line (`openssl cms -engine gost -sign -inkey …`) reads them. Time is an input everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core, crl, keys, pem, x509

from signing import gost
from signing.qualified import IssuerSignTool

# the strings a certificate from a CryptoPro-based centre carries; the conformity certificate numbers
# and the root's ОГРН/ИННЮЛ are made up (a test centre must not pass for a real one)
SIGN_TOOL = "СКЗИ \"КриптоПро CSP\" (версия 5.0)"
ISSUER_TOOLS = ("ПАКМ «КриптоПро HSM» версии 2.0", "ПАК «Удостоверяющий центр «КриптоПро УЦ» версии 2.0»",
                "Сертификат соответствия № СФ/000-0001 (тестовый)",
                "Сертификат соответствия № СФ/000-0002 (тестовый)")
ROOT_OGRN, ROOT_INNLE = "1234567890123", "1234567890"
# CryptoPro CSP's default: a private key may be used for 15 months of its certificate's life
KEY_USAGE_PERIOD = dt.timedelta(days=456)


@dataclass(frozen=True)
class GostPKI:
    """Where the files of a GOST test PKI are (certificates PEM, CRL DER, keys PKCS#8 PEM 0600)."""

    directory: Path

    @property
    def root_cert(self) -> Path:
        return self.directory / "root.pem"

    @property
    def root_key(self) -> Path:
        return self.directory / "root.key"

    @property
    def root_crl(self) -> Path:
        """DER, as a centre publishes it at its distribution point."""
        return self.directory / "root.crl"

    @property
    def director_cert(self) -> Path:
        return self.directory / "director.pem"

    @property
    def director_key(self) -> Path:
        return self.directory / "director.key"

    @property
    def tsa_cert(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key(self) -> Path:
        return self.directory / "tsa.key"

    def exists(self) -> bool:
        return all(p.exists() for p in (self.root_cert, self.root_key, self.root_crl, self.director_cert,
                                        self.director_key, self.tsa_cert, self.tsa_key))


@dataclass(frozen=True)
class Organisation:
    """The school as its director's certificate names it (test values by default)."""

    name: str
    inn_le: str = "7701234567"
    ogrn: str = "1027700123456"
    region: str = "77 г. Москва"
    locality: str = "г. Москва"
    street: str = "ул. Школьная, д. 1"
    email: str = "school@example.ru"


@dataclass(frozen=True)
class Director:
    """The certificate's owner: full name as «Фамилия Имя Отчество», СНИЛС, personal ИНН, title."""

    full_name: str
    snils: str = "12345678901"
    inn: str = "770123456789"
    title: str = "Директор"


# -- building blocks -------------------------------------------------------------------------------

def _attribute(kind: str, value: str) -> x509.RelativeDistinguishedName:
    if kind == "country_name":
        wrapped = x509.DirectoryString(name="printable_string", value=value)
    elif kind == "email_address":
        wrapped = x509.EmailAddress(value)
    elif kind in ("snils", "inn", "innle", "ogrn", "ogrnip"):
        wrapped = core.NumericString(value)
    else:
        wrapped = x509.DirectoryString(name="utf8_string", value=value)
    return x509.RelativeDistinguishedName([x509.NameTypeAndValue({"type": kind, "value": wrapped})])


def _name(pairs: list[tuple[str, str]]) -> x509.Name:
    return x509.Name(name="", value=x509.RDNSequence([_attribute(kind, value) for kind, value in pairs]))


def root_name(title: str) -> x509.Name:
    return _name([("email_address", "uc@example.ru"), ("country_name", "RU"),
                  ("state_or_province_name", "77 г. Москва"), ("locality_name", "г. Москва"),
                  ("street_address", "ул. Тестовая, д. 1"), ("organization_name", title), ("ogrn", ROOT_OGRN),
                  ("innle", ROOT_INNLE), ("common_name", title)])


def director_name(director: Director, organisation: Organisation) -> x509.Name:
    surname, _, given = director.full_name.partition(" ")
    return _name([("surname", surname), ("given_name", given), ("title", director.title),
                  ("organization_name", organisation.name), ("locality_name", organisation.locality),
                  ("state_or_province_name", organisation.region), ("street_address", organisation.street),
                  ("country_name", "RU"), ("email_address", organisation.email), ("snils", director.snils),
                  ("inn", director.inn), ("innle", organisation.inn_le), ("ogrn", organisation.ogrn),
                  ("common_name", director.full_name)])


def _key_id(public_key: keys.PublicKeyInfo) -> bytes:
    """RFC 5280 § 4.2.1.2 (1): SHA-1 of the subjectPublicKey bits (for GOST, the DER OCTET STRING)."""
    return hashlib.sha1(public_key["public_key"].contents[1:]).digest()


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("время без часового пояса: нужен момент с указанием пояса")
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def _time(moment: dt.datetime) -> x509.Time:
    moment = _utc(moment)
    if moment.year < 2050:
        return x509.Time(name="utc_time", value=moment)
    return x509.Time(name="general_time", value=moment)


def _extension(name: str, value: core.Asn1Value, critical: bool = False) -> dict[str, object]:
    return {"extn_id": name, "critical": critical, "extn_value": value}


def _sign_certificate(tbs: x509.TbsCertificate, issuer_key: gost.PrivateKey) -> x509.Certificate:
    algorithm = {"algorithm": issuer_key.signature_algorithm}
    return x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": algorithm,
                             "signature_value": issuer_key.sign(tbs.dump())})


def issue_certificate(*, subject: x509.Name, public_key: keys.PublicKeyInfo, issuer: x509.Name,
                      issuer_key: gost.PrivateKey, not_before: dt.datetime, not_after: dt.datetime,
                      extensions: list[dict[str, object]]) -> x509.Certificate:
    """A v3 certificate signed by `issuer_key` (GOST), with SKI and (when not self-signed) AKI added."""
    extensions = [*extensions, _extension("key_identifier", core.OctetString(_key_id(public_key)))]
    if issuer_key.public_key.dump() != public_key.dump():
        extensions.append(_extension("authority_key_identifier",
                                     x509.AuthorityKeyIdentifier({"key_identifier": _key_id(issuer_key.public_key)})))
    tbs = x509.TbsCertificate({
        "version": "v3", "serial_number": secrets.randbits(127) | (1 << 120),
        "signature": {"algorithm": issuer_key.signature_algorithm}, "issuer": issuer,
        "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
        "subject": subject, "subject_public_key_info": public_key, "extensions": extensions,
    })
    return _sign_certificate(tbs, issuer_key)


def _write_key(path: Path, key: gost.PrivateKey) -> None:
    """PKCS#8 PEM, readable by its owner only from the first byte on."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(key.to_pem())


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(pem.armor("CERTIFICATE", cert.dump()))


def load_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


# -- the PKI ---------------------------------------------------------------------------------------

def create_gost_pki(directory: Path, *, owner: str, organisation: str, now: dt.datetime, years: int = 3,
                    director_bits: int = 256, root_bits: int = 256,
                    root_title: str = "Тестовый УЦ ГОСТ archive_service",
                    crl_url: str = "http://uc.example.ru/cdp/root.crl") -> GostPKI:
    """Issue a root «УЦ», its CRL, the director's qualified certificate and a timestamp authority."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = GostPKI(directory)
    root_key = gost.PrivateKey.generate(root_bits)
    subject = root_name(root_title)
    root = issue_certificate(
        subject=subject, public_key=root_key.public_key, issuer=subject, issuer_key=root_key,
        not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365 * (years + 12)),
        extensions=[_extension("basic_constraints", x509.BasicConstraints({"ca": True}), critical=True),
                    _extension("key_usage", x509.KeyUsage({"digital_signature", "key_cert_sign", "crl_sign"}),
                               critical=True),
                    _extension("subject_sign_tool", core.UTF8String(SIGN_TOOL))])
    _write_cert(pki.root_cert, root)
    _write_key(pki.root_key, root_key)
    _write_crl(pki, [], number=1, now=now)
    issue_director(pki, bits=director_bits, owner=owner, organisation=organisation,
                   not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365 * years),
                   crl_url=crl_url)
    tsa_key = gost.PrivateKey.generate(256)
    tsa = issue_certificate(
        subject=_name([("country_name", "RU"), ("organization_name", root_title),
                       ("common_name", "Служба штампов времени " + root_title)]),
        public_key=tsa_key.public_key, issuer=root.subject, issuer_key=root_key,
        not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365 * (years + 5)),
        extensions=[_extension("basic_constraints", x509.BasicConstraints({"ca": False}), critical=True),
                    _extension("key_usage", x509.KeyUsage({"digital_signature", "non_repudiation"}), critical=True),
                    _extension("extended_key_usage", x509.ExtKeyUsageSyntax(["time_stamping"]), critical=True)])
    _write_cert(pki.tsa_cert, tsa)
    _write_key(pki.tsa_key, tsa_key)
    return pki


def issue_director(pki: GostPKI, *, owner: str, not_before: dt.datetime, not_after: dt.datetime,
                   organisation: str | None = None, bits: int = 256, qualified: bool = True,
                   stem: str = "director",
                   crl_url: str = "http://uc.example.ru/cdp/root.crl") -> tuple[Path, Path]:
    """Another director's certificate from the PKI's root: `<stem>.pem` and `<stem>.key` in its directory.

    `organisation` defaults to the one in the PKI's first director certificate. `qualified=False`
    leaves out the policies, the signature-tool extensions and the identification kind (an ordinary
    certificate from the same centre). Serial numbers are random; read them from the certificate.
    """
    root = load_certificate(pki.root_cert)
    root_key = gost.PrivateKey.from_pem(pki.root_key.read_bytes())
    key = gost.PrivateKey.generate(bits)
    extensions = [
        _extension("key_usage", x509.KeyUsage({"digital_signature", "non_repudiation", "key_encipherment"}),
                   critical=True),
        _extension("extended_key_usage", x509.ExtKeyUsageSyntax(["client_auth", "email_protection"])),
        _extension("crl_distribution_points", x509.CRLDistributionPoints([{
            "distribution_point": x509.DistributionPointName(name="full_name", value=[
                x509.GeneralName(name="uniform_resource_identifier", value=crl_url)])}])),
        _extension("private_key_usage_period", x509.PrivateKeyUsagePeriod({
            "not_before": _utc(not_before), "not_after": _utc(min(not_after, not_before + KEY_USAGE_PERIOD))})),
    ]
    if qualified:
        extensions += [
            _extension("certificate_policies", x509.CertificatePolicies(
                [{"policy_identifier": oid} for oid in ("1.2.643.100.113.1", "1.2.643.100.113.2")])),
            _extension("subject_sign_tool", core.UTF8String(SIGN_TOOL)),
            _extension("issuer_sign_tool", IssuerSignTool(dict(zip(
                ("sign_tool", "ca_tool", "sign_tool_cert", "ca_tool_cert"), ISSUER_TOOLS)))),
            _extension("identification_kind", core.Integer(0)),
        ]
    if organisation is None:
        organisation = load_certificate(pki.director_cert).subject.native["organization_name"]
    cert = issue_certificate(subject=director_name(Director(owner), Organisation(organisation)),
                             public_key=key.public_key, issuer=root.subject, issuer_key=root_key,
                             not_before=not_before, not_after=not_after, extensions=extensions)
    cert_path, key_path = pki.directory / f"{stem}.pem", pki.directory / f"{stem}.key"
    _write_cert(cert_path, cert)
    _write_key(key_path, key)
    return cert_path, key_path


def _write_crl(pki: GostPKI, revoked: list[tuple[int, dt.datetime]], *, number: int, now: dt.datetime) -> None:
    root = load_certificate(pki.root_cert)
    root_key = gost.PrivateKey.from_pem(pki.root_key.read_bytes())
    algorithm = {"algorithm": root_key.signature_algorithm}
    fields = {
        "version": "v2", "signature": algorithm, "issuer": root.subject,
        "this_update": _time(now - dt.timedelta(minutes=1)), "next_update": _time(now + dt.timedelta(days=30)),
        "crl_extensions": [
            {"extn_id": "crl_number", "critical": False, "extn_value": number},
            {"extn_id": "authority_key_identifier", "critical": False,
             "extn_value": x509.AuthorityKeyIdentifier({"key_identifier": _key_id(root_key.public_key)})},
        ],
    }
    if revoked:  # an empty list would be encoded as an empty SEQUENCE, which RFC 5280 forbids
        fields["revoked_certificates"] = [{"user_certificate": serial, "revocation_date": _time(at)}
                                          for serial, at in revoked]
    tbs = crl.TbsCertList(fields)
    certificate_list = crl.CertificateList({"tbs_cert_list": tbs, "signature_algorithm": algorithm,
                                            "signature": root_key.sign(tbs.dump())})
    pki.root_crl.write_bytes(certificate_list.dump())


def revoke(pki: GostPKI, serial: int, at: dt.datetime, *, now: dt.datetime | None = None) -> None:
    """Re-issue the root's CRL with the next CRL number and `serial` revoked at `at` (issued at `now`, else `at`)."""
    current = crl.CertificateList.load(pki.root_crl.read_bytes())
    tbs = current["tbs_cert_list"]
    revoked = [(entry["user_certificate"].native, entry["revocation_date"].native)
               for entry in tbs["revoked_certificates"]]
    number = next(e["extn_value"].native for e in tbs["crl_extensions"] if e["extn_id"].native == "crl_number")
    _write_crl(pki, [*revoked, (serial, at)], number=number + 1, now=now or at)


def create_untrusted_pki(directory: Path, *, owner: str, organisation: str, now: dt.datetime,
                         director_bits: int = 256) -> GostPKI:
    """A second root («not from the trusted list») with its own director, in the same qualified profile."""
    return create_gost_pki(directory, owner=owner, organisation=organisation, now=now, director_bits=director_bits,
                           root_title="Посторонний УЦ (нет в перечне аккредитованных)",
                           crl_url="http://other-uc.example.ru/cdp/root.crl")
