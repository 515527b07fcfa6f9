"""signing: the director's electronic signature on archive documents (PAdES with pyHanko).

A library: it knows nothing of Flask, the database or archive_service. `PadesSigner` signs at
B-LTA with a key prepared once (`load_pkcs12`), a timestamp authority (`local_timestamper`,
`http_timestamper`) and offline trust (`Trust`: roots and CRLs); `verify_pdf` reports on a
signed file; `create_demo_pki` makes the demo's and the tests' certificates, `create_gost_pki` their GOST
counterparts in the qualified profile; `qualification_problems` says what a certificate lacks to
be qualified; `load_trusted_list` reads the trusted roots (PEM, folder, Минцифры list).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from signing.errors import KeyAccessError, PinRejectedError, SigningError, VerificationError
    from signing.gost_pki import GostPKI, create_gost_pki
    from signing.pades import PadesSigner, Trust, http_timestamper, load_pkcs12, local_timestamper
    from signing.pki import DemoPKI, certify_public_key, create_demo_pki
    from signing.pkcs11 import pkcs11_key
    from signing.qualified import QualifiedProfile, qualification_problems, read_profile
    from signing.renewal import add_document_timestamp, newest_timestamp_expiry
    from signing.signer import SignerCertificate, signer_certificate
    from signing.trusted_list import TrustedList, TrustedListError, load_trusted_list
    from signing.verify import VerificationReport, verify_pdf

_HOMES = {
    "signing.errors": ("KeyAccessError", "PinRejectedError", "SigningError", "VerificationError"),
    "signing.gost_pki": ("GostPKI", "create_gost_pki"),
    "signing.pades": ("PadesSigner", "Trust", "http_timestamper", "load_pkcs12", "local_timestamper"),
    "signing.pki": ("DemoPKI", "certify_public_key", "create_demo_pki"),
    "signing.pkcs11": ("pkcs11_key",),
    "signing.qualified": ("QualifiedProfile", "qualification_problems", "read_profile"),
    "signing.renewal": ("add_document_timestamp", "newest_timestamp_expiry"),
    "signing.signer": ("SignerCertificate", "signer_certificate"),
    "signing.trusted_list": ("TrustedList", "TrustedListError", "load_trusted_list"),
    "signing.verify": ("VerificationReport", "verify_pdf"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Each name is imported from its module when first asked for (PEP 562): a process that only
    renders or stores never loads pyHanko (~25 MiB and ~0.5 s per process start)."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'signing' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DemoPKI",
    "GostPKI",
    "KeyAccessError",
    "PadesSigner",
    "PinRejectedError",
    "QualifiedProfile",
    "SignerCertificate",
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
    "signer_certificate",
    "verify_pdf",
]
