"""A GOST timestamp authority in this process (RFC 3161, GOST R 34.10-2012 / 34.11-2012).

The demo and the tests need a timestamp authority that signs with a GOST key, as the accredited
services schools use do (КриптоПро TSP, the ФНС's). This one answers pyHanko's `TimeStamper`
interface, so everything that asks a real authority over HTTP (`http_timestamper`, with a
«streebog256» imprint) asks this one the same way.

The token is a CMS SignedData over a TSTInfo: signed attributes content type, signing time,
message digest (Streebog-256 of the TSTInfo) and ESS signing-certificate-v2 naming the
authority's certificate by its Streebog-256 hash; signer identified by issuer and serial number;
the signature algorithm field holds the key's algorithm, as OpenSSL's GOST engine and CryptoPro
write it (RFC 4490 § 3.2).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Callable

from asn1crypto import algos, cms, core, tsp, x509
from pyhanko.sign.timestamps import TimeStamper

from signing import gost

# the «example» arc of ITU-T X.660 (2.999): a demo authority must not claim a real TSA's policy
DEMO_POLICY = "2.999.1.3161"


class GostTimestampAuthority(TimeStamper):
    """Timestamps signed by `key` under `certificate` (EKU timeStamping) at `clock()`."""

    def __init__(self, certificate: x509.Certificate, key: gost.PrivateKey,
                 clock: Callable[[], dt.datetime] | None = None, policy: str = DEMO_POLICY):
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]  # pyHanko's is unannotated
        certificate = x509.Certificate.load(certificate.dump())  # fresh, unparsed: dumped as it stands
        self.key = key
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.policy = policy
        self._digest = gost.digest_for_key(certificate["tbs_certificate"]["subject_public_key_info"])
        self.certificate = certificate
        # the parts every token repeats, encoded once (asn1crypto re-encodes nested objects otherwise)
        ess = tsp.SigningCertificateV2({"certs": [tsp.ESSCertIDv2({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": self._digest}),
            "cert_hash": gost.digest(self._digest, certificate.dump()),
            "issuer_serial": {"issuer": [x509.GeneralName({"directory_name": certificate.issuer})],
                              "serial_number": certificate.serial_number},
        })]})
        self._ess = cms.CMSAttribute.load(cms.CMSAttribute({"type": "signing_certificate_v2",
                                                            "values": [ess]}).dump())
        self._tsa_name = x509.GeneralName({"directory_name": certificate.subject}).dump()
        self._sid = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": certificate.issuer, "serial_number": certificate.serial_number})}).dump()
        self._signature_algorithm = algos.SignedDigestAlgorithm({
            "algorithm": certificate["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted
        }).dump()
        self._certificates = cms.CertificateSet([cms.CertificateChoices({"certificate": certificate})]).dump()

    @classmethod
    def from_files(cls, certificate: Path, key: Path, clock: Callable[[], dt.datetime] | None = None,
                   policy: str = DEMO_POLICY) -> "GostTimestampAuthority":
        from signing.pades import load_cert

        return cls(load_cert(certificate), gost.PrivateKey.from_pem(key.read_bytes()), clock, policy)

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self.respond(req)

    def respond(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """The response to a request (also what a local HTTP stand-in of a TSA would send)."""
        now = self.clock().astimezone(dt.timezone.utc).replace(microsecond=0)
        info = {"version": "v1", "policy": self.policy, "message_imprint": req["message_imprint"],
                "serial_number": secrets.randbits(63), "gen_time": now,
                "tsa": x509.GeneralName.load(self._tsa_name)}
        if req["nonce"].native is not None:
            info["nonce"] = req["nonce"]
        tst_info = tsp.TSTInfo(info).dump()
        signed_attrs = cms.CMSAttributes([
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [gost.digest(self._digest, tst_info)]}),
            self._ess,
        ])
        signer_info = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier.load(self._sid),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": self._digest}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm.load(self._signature_algorithm),
            "signature": self.key.sign(signed_attrs.dump()),
        })
        fields = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": self._digest})],
            "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(tst_info)},
            "signer_infos": [signer_info],
        }
        if req["cert_req"].native:
            fields["certificates"] = cms.CertificateSet.load(self._certificates)
        signed = cms.SignedData(fields)
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})


class DigestRoutedTimestamper(TimeStamper):
    """The demo's two local authorities as one: requests with a Streebog imprint (GOST-signed
    documents) go to the GOST authority, others to the RSA one; a missing one is a Russian error."""

    def __init__(self, default: TimeStamper | None, gost_authority: TimeStamper | None):
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]  # pyHanko's is unannotated
        self.default = default
        self.gost_authority = gost_authority

    def _route(self, md_algorithm: str) -> TimeStamper:
        wanted = self.gost_authority if md_algorithm.startswith("streebog") else self.default
        if wanted is None:
            from signing.errors import SigningError

            raise SigningError("нет службы штампов времени для этого алгоритма: " + (
                "для документов, подписанных ключом ГОСТ, нужна служба ГОСТ (ARCHIVE_TSA_URL)"
                if md_algorithm.startswith("streebog") else "задайте ARCHIVE_TSA_URL"))
        return wanted

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        return await self._route(md_algorithm).async_timestamp(message_digest, md_algorithm)

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        algorithm = req["message_imprint"]["hash_algorithm"]["algorithm"].native
        return await self._route(algorithm).async_request_tsa_response(req)
