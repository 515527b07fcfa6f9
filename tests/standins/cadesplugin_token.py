"""A stand-in for the director's token behind CryptoPro's browser plug-in: a small local server.

It holds GOST R 34.10-2012 test keys with their certificates («the token's store») and answers
the two things `tests/standins/cadesplugin.js` asks of it: the certificates of the personal store,
and `SignHash` — a detached CAdES-BES CMS SignedData over a hash the page hands in, made as
CryptoPro makes it: signed attributes contentType, signingTime, messageDigest (= that hash) and
signingCertificateV2 (ESSCertIDv2 with a Streebog hash of the certificate), their DER signed with
the key; the signer's certificate included; base64 with CRLF line breaks, as the real
`CadesSignedData.SignHash` returns it (page samples strip them with `replace(/\\r?\\n/g, "")`).

Like the real plug-in it refuses a hash of the wrong length for the algorithm, an algorithm that
does not match the key, and — when told to (`cancel_next`) — the PIN dialogue being cancelled.
The error texts and codes are those CryptoAPI gives for these cases (0x80070057 «Параметр задан
неверно», 0x80090008 «Указан неправильный алгоритм», 0x8010006E «Действие отменено
пользователем»); that the plug-in passes exactly these codes through is an assumption.

Binds 127.0.0.1 on a free port; the test's browser reaches it through a Playwright binding
(the page's Content-Security-Policy allows only its own origin, and the real plug-in talks to
its native host outside the page too).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import algos, cms, core, tsp, x509
from flask import Flask, jsonify, request
from standins.server import LocalServer

from signing import gost

# CADESCOM_HASH_ALGORITHM values (CryptoPro's cadescom reference; the same numbers in every
# published cadesplugin sample): 101 GOST R 34.11-2012 256-bit, 102 512-bit
HASH_ALGORITHMS = {101: "streebog256", 102: "streebog512"}
DIGEST_SIZE = {"streebog256": 32, "streebog512": 64}
CADESCOM_CADES_BES = 1

BAD_PARAMETER = "Параметр задан неверно. (0x80070057)"
BAD_ALGORITHM = "Указан неправильный алгоритм. (0x80090008)"
CANCELLED = "Действие было отменено пользователем. (0x8010006E)"


@dataclass
class TokenCertificate:
    """A certificate of the store, with its key when the token holds it."""

    der: bytes
    key: gost.PrivateKey | None

    @property
    def cert(self) -> x509.Certificate:
        return x509.Certificate.load(self.der)

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    def listing(self) -> dict:
        cert = self.cert
        validity = cert["tbs_certificate"]["validity"]
        return {"subject": dn_string(cert.subject), "issuer": dn_string(cert.issuer),
                "valid_from": validity["not_before"].native.isoformat(),
                "valid_to": validity["not_after"].native.isoformat(),
                "thumbprint": self.thumbprint, "has_private_key": self.key is not None,
                "key_algorithm": cert["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted,
                "base64": base64.b64encode(self.der).decode()}


def dn_string(name: x509.Name) -> str:
    """A name as CryptoAPI's CertNameToStr writes it: «, »-separated, values with separators quoted
    (the form of the real plug-in's SubjectName; its order is assumed, and the page does not
    depend on it)."""
    parts = []
    short = {"common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU", "title": "T",
             "country_name": "C", "state_or_province_name": "S", "locality_name": "L", "email_address": "E",
             "surname": "SN", "given_name": "G", "street_address": "STREET"}
    for rdn in name.chosen:
        for attr in rdn:
            label = short.get(attr["type"].native, attr["type"].dotted)
            value = str(attr["value"].native)
            if any(c in value for c in ',;="+<>#\n') or value != value.strip():
                value = '"' + value.replace('"', '""') + '"'
            parts.append(f"{label}={value}")
    return ", ".join(parts)


@dataclass
class Token:
    """The token's store; `cancel_next` makes the next signature fail as a cancelled PIN dialogue."""

    certificates: list[TokenCertificate] = field(default_factory=list)
    cancel_next: bool = False
    signed: list[str] = field(default_factory=list)  # hex of every hash signed, in order

    def find(self, thumbprint: str) -> TokenCertificate | None:
        return next((c for c in self.certificates if c.thumbprint == thumbprint.upper()), None)

    def sign_hash(self, thumbprint: str, algorithm: int, hash_hex: str, cades_type: int,
                  *, now: dt.datetime | None = None) -> str:
        """`CadesSignedData.SignHash`: the base64 CMS, or a `TokenError` as the plug-in would throw."""
        entry = self.find(thumbprint)
        if entry is None or entry.key is None:
            raise TokenError("Не удается найти сертификат и закрытый ключ для расшифровки. (0x8009200B)")
        name = HASH_ALGORITHMS.get(algorithm)
        try:
            digest = bytes.fromhex(hash_hex.replace(" ", ""))
        except ValueError:
            raise TokenError(BAD_PARAMETER) from None
        if name is None or len(digest) != DIGEST_SIZE[name] or cades_type != CADESCOM_CADES_BES:
            raise TokenError(BAD_PARAMETER)
        if name != entry.key.digest_name:
            raise TokenError(BAD_ALGORITHM)
        if self.cancel_next:
            self.cancel_next = False
            raise TokenError(CANCELLED)
        der = cades_bes(entry.key, entry.cert, name, digest, now or dt.datetime.now(dt.timezone.utc))
        self.signed.append(digest.hex())
        text = base64.b64encode(der).decode()
        return "\r\n".join(text[i:i + 64] for i in range(0, len(text), 64))


class TokenError(Exception):
    pass


def cades_bes(key: gost.PrivateKey, cert: x509.Certificate, digest_name: str, digest: bytes,
              now: dt.datetime) -> bytes:
    """A detached CAdES-BES SignedData over `digest` (RFC 5652 § 5.4: the signature covers the
    DER of the signed attributes as a SET OF, which DER orders by encoding)."""
    digest_oid = {"streebog256": gost.DIGEST_256, "streebog512": gost.DIGEST_512}[digest_name]
    cert_id = tsp.ESSCertIDv2({
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": digest_oid}),
        "cert_hash": gost.digest(digest_name, cert.dump()),
        "issuer_serial": {"issuer": [x509.GeneralName({"directory_name": cert.issuer})],
                          "serial_number": cert.serial_number}})
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
        cms.CMSAttribute({"type": "signing_certificate_v2",
                          "values": [tsp.SigningCertificateV2({"certs": [cert_id]})]}),
    ]
    signed_attrs = cms.CMSAttributes(sorted(attributes, key=lambda a: a.dump()))
    signature = key.sign(signed_attrs.dump())
    key_oid = cert["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_oid}),
        "signed_attrs": signed_attrs,
        # the key's algorithm here, as OpenSSL's GOST engine (and, by its samples, CryptoPro) writes it
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": key_oid}),
        "signature": signature,
    })
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_oid})],
        "encap_content_info": {"content_type": "data"},
        "certificates": [cms.CertificateChoices({"certificate": cert})],
        "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


# --- test keys and certificates -----------------------------------------------------------------

def issue_test_certificate(folder: Path, owner: str, organisation: str, *, bits: int = 256,
                           title: str = "Директор", days: int = 365) -> TokenCertificate:
    """A GOST key and a self-signed certificate made by `openssl req -engine gost` (the stand-in
    PKI until signing/gost_pki.py issues qualified ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = gost.PrivateKey.generate(bits)
    key_path, cert_path = folder / f"key-{bits}.pem", folder / f"cert-{bits}.pem"
    key_path.write_bytes(key.to_pem())
    key_path.chmod(0o600)
    subject = f"/CN={owner}/O={organisation}/title={title}/C=RU"
    subprocess.run(["openssl", "req", "-engine", "gost", "-new", "-x509", f"-md_gost12_{bits}", "-key", str(key_path),
                    "-utf8", "-subj", subject, "-days", str(days), "-out", str(cert_path), "-outform", "DER"],
                   check=True, capture_output=True)
    return TokenCertificate(cert_path.read_bytes(), key)


def expired_certificate(owner: str, key: gost.PrivateKey, *, ended: dt.datetime) -> TokenCertificate:
    """A self-signed GOST certificate whose validity ended at `ended` (openssl req cannot backdate)."""
    name = x509.Name.build({"common_name": owner, "country_name": "RU"})
    tbs = x509.TbsCertificate({
        "version": "v3", "serial_number": 0x5EED, "issuer": name, "subject": name,
        "signature": {"algorithm": key.signature_algorithm},
        "validity": {"not_before": x509.Time({"utc_time": ended - dt.timedelta(days=365)}),
                     "not_after": x509.Time({"utc_time": ended})},
        "subject_public_key_info": key.public_key})
    cert = x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": {"algorithm": key.signature_algorithm},
                             "signature_value": key.sign(tbs.dump())})
    return TokenCertificate(cert.dump(), key)


# --- the server ---------------------------------------------------------------------------------

def token_app(token: Token) -> Flask:
    app = Flask("cadesplugin_token")

    @app.post("/certificates")
    def certificates():
        return jsonify([c.listing() for c in token.certificates])

    @app.post("/sign_hash")
    def sign_hash():
        body = request.get_json(force=True)
        try:
            cms_b64 = token.sign_hash(body.get("thumbprint", ""), int(body.get("algorithm", -1)),
                                      str(body.get("hash", "")), int(body.get("cades_type", -1)))
        except TokenError as err:
            return jsonify({"error": str(err)}), 400
        return jsonify({"cms": cms_b64})

    return app


class TokenServer(LocalServer):
    """`with TokenServer(token) as server: server.url` — the token on 127.0.0.1, a free port."""

    def __init__(self, token: Token):
        self.token = token
        super().__init__(token_app(token), "")

    def call(self, method: str, payload: str) -> str:
        """Forward one call of the page's stand-in plug-in (a JSON string both ways, errors included)."""
        import urllib.error
        import urllib.request

        req = urllib.request.Request(f"{self.url}/{method}", data=payload.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as err:
            return err.read().decode()
