"""A small PKI for the demo and for tests: a root CA, the director's certificate, a TSA.

Real schools sign with a qualified certificate from an accredited CA; the demo and the test
suite need the same shapes offline: a root that issues a CRL (so revocation data can be
embedded without a network), a signing certificate with non-repudiation, and a timestamping
certificate. The signing key is ECDSA P-256 (fast to sign with), the TSA's RSA-2048; time
is an input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.errors import SigningError


def _name(common: str, organisation: str, title: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
             x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if title:
        parts.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(parts)


@dataclass(frozen=True)
class DemoPKI:
    """Where the files of a demo PKI are (PEM and DER beside a PKCS#12)."""

    directory: Path

    @property
    def root_cert(self) -> Path:
        return self.directory / "root-ca.pem"

    @property
    def root_crl(self) -> Path:
        return self.directory / "root-ca.crl"

    @property
    def signer_p12(self) -> Path:
        return self.directory / "director.p12"

    @property
    def tsa_cert(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key(self) -> Path:
        return self.directory / "tsa.key"

    @property
    def root_key(self) -> Path:
        """The demo CA's key: kept so it can certify a key generated on a token."""
        return self.directory / "root-ca.key"

    def exists(self) -> bool:
        return all(p.exists() for p in (self.root_cert, self.root_crl, self.signer_p12, self.tsa_cert, self.tsa_key))


def create_demo_pki(directory: Path, *, owner: str, organisation: str, password: bytes,
                    now: dt.datetime, years: int = 3) -> DemoPKI:
    """Issue a root CA, its CRL, the director's certificate (PKCS#12) and a TSA certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = DemoPKI(directory)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("Демо-УЦ archive_service", organisation)
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=365 * (years + 7))
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    leaf_end = now + dt.timedelta(days=365 * years)

    def leaf(name: x509.Name, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, usage: x509.KeyUsage,
             eku: list[x509.ObjectIdentifier] | None) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(root_name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(leaf_end)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(usage, critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                                  critical=False))
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        return builder.sign(root_key, hashes.SHA256())

    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = leaf(_name(owner, organisation, "Директор"), signer_key,
                  x509.KeyUsage(True, True, False, False, False, False, False, False, False), None)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's local TSA is RSA-only
    tsa = leaf(_name("Демо-служба штампов времени", organisation), tsa_key,
               x509.KeyUsage(True, False, False, False, False, False, False, False, False),
               [ExtendedKeyUsageOID.TIME_STAMPING])
    crl = (x509.CertificateRevocationListBuilder().issuer_name(root_name).last_update(start)
           .next_update(now + dt.timedelta(days=365 * (years + 7)))
           .add_extension(x509.CRLNumber(1), critical=False)
           .sign(root_key, hashes.SHA256()))
    pki.root_cert.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.root_crl.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    pki.signer_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"director", signer_key, signer, [root], serialization.BestAvailableEncryption(password)))
    pki.tsa_cert.write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    pki.tsa_key.write_bytes(tsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    pki.tsa_key.chmod(0o600)
    pki.root_key.write_bytes(root_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    pki.root_key.chmod(0o600)
    return pki


def certify_public_key(pki: DemoPKI, public_key_der: bytes, *, owner: str, organisation: str,
                       now: dt.datetime, years: int = 3) -> bytes:
    """A signing certificate (DER) from the demo CA for a key generated elsewhere (a token)."""
    root = x509.load_pem_x509_certificate(pki.root_cert.read_bytes())
    root_key = serialization.load_pem_private_key(pki.root_key.read_bytes(), password=None)
    if not isinstance(root_key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise SigningError("ключ демонстрационного удостоверяющего центра должен быть ECDSA или RSA")
    public_key = serialization.load_der_public_key(public_key_der)
    if not isinstance(public_key, (ec.EllipticCurvePublicKey, rsa.RSAPublicKey)):
        raise SigningError("ключ на носителе должен быть ECDSA или RSA: другой демонстрационный центр не заверяет")
    cert = (x509.CertificateBuilder().subject_name(_name(owner, organisation, "Директор")).issuer_name(root.subject)
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)
