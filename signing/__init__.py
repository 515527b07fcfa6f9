"""signing: the director's electronic signature on archive documents (PAdES with pyHanko).

A library: it knows nothing of Flask, the database or archive_service. `PadesSigner` signs at
B-LTA with a key prepared once (`load_pkcs12`), a timestamp authority (`local_timestamper`,
`http_timestamper`) and offline trust (`Trust`: roots and CRLs); `verify_pdf` reports on a
signed file; `create_demo_pki` makes the demo's and the tests' certificates, `create_gost_pki` their GOST
counterparts in the qualified profile; `qualification_problems` says what a certificate lacks to
be qualified; `load_trusted_list` reads the trusted roots (PEM, folder, Минцифры list).
"""

from signing.errors import KeyAccessError, SigningError, VerificationError
from signing.gost_pki import GostPKI, create_gost_pki
from signing.pades import PadesSigner, Trust, http_timestamper, load_pkcs12, local_timestamper
from signing.pki import DemoPKI, certify_public_key, create_demo_pki
from signing.pkcs11 import pkcs11_key
from signing.qualified import QualifiedProfile, qualification_problems, read_profile
from signing.renewal import add_document_timestamp, newest_timestamp_expiry
from signing.trusted_list import TrustedList, TrustedListError, load_trusted_list
from signing.verify import VerificationReport, verify_pdf

__all__ = [
    "DemoPKI",
    "GostPKI",
    "KeyAccessError",
    "PadesSigner",
    "QualifiedProfile",
    "SigningError",
    "Trust",
    "TrustedList",
    "TrustedListError",
    "VerificationError",
    "VerificationReport",
    "add_document_timestamp",
    "certify_public_key",
    "create_demo_pki",
    "create_gost_pki",
    "http_timestamper",
    "load_pkcs12",
    "load_trusted_list",
    "local_timestamper",
    "newest_timestamp_expiry",
    "pkcs11_key",
    "qualification_problems",
    "read_profile",
    "verify_pdf",
]
