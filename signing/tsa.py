"""A local RFC 3161 timestamp authority for the demo and the tests (pyHanko's, key parsed once).

pyHanko's in-process authority parses its RSA key for every timestamp (about 20 ms with
cryptography's key checks); a B-LTA signature takes two timestamps, so the key is parsed once
here and kept. Production uses a real authority over HTTP (`http_timestamper`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asn1crypto import cms, core, keys, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from signing.errors import SigningError


class LocalTimestampAuthority(DummyTimeStamper):
    def __init__(self, tsa_cert: x509.Certificate, tsa_key: keys.PrivateKeyInfo, **options: Any) -> None:
        super().__init__(tsa_cert, tsa_key, **options)
        key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
        if not isinstance(key, RSAPrivateKey):
            raise SigningError("ключ местной службы штампов времени должен быть RSA")
        self._key = key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper()))
        return signature, signed_attrs
