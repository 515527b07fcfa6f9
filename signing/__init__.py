"""signing: the director's electronic signature on archive documents (PAdES with pyHanko).

A library: it knows nothing of Flask, the database or archive_service. `PadesSigner` signs at
B-LTA with a key prepared once (`load_pkcs12`), a timestamp authority (`local_timestamper`,
`http_timestamper`) and offline trust (`Trust`: roots and CRLs); `verify_pdf` reports on a
signed file; `create_demo_pki` makes the demo's and the tests' certificates.
"""

from signing.errors import KeyAccessError, PinRejectedError, SigningError, VerificationError
from signing.pades import PadesSigner, Trust, http_timestamper, load_pkcs12, local_timestamper
from signing.pki import DemoPKI, certify_public_key, create_demo_pki
from signing.pkcs11 import pkcs11_key
from signing.renewal import add_document_timestamp, newest_timestamp_expiry
from signing.verify import VerificationReport, verify_pdf

__all__ = [
    "DemoPKI",
    "KeyAccessError",
    "PadesSigner",
    "PinRejectedError",
    "SigningError",
    "Trust",
    "VerificationError",
    "VerificationReport",
    "add_document_timestamp",
    "certify_public_key",
    "create_demo_pki",
    "http_timestamper",
    "load_pkcs12",
    "local_timestamper",
    "newest_timestamp_expiry",
    "pkcs11_key",
    "verify_pdf",
]
