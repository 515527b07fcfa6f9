"""Which signing key to open: one small frozen dataclass per kind of key.

An entry point (a CLI option, a web form, the demo) says *which* key in one of these; only the
composition root opens it (`Archive.signer(spec)`). Secrets — a key file's password, a token's
PIN, the bytes of an uploaded key file — live in these objects in memory only: they are never
written to the database, a job row or a log, and `repr()` leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from signing.commands import SignerCommand


@dataclass(frozen=True)
class Pkcs12File:
    """A PKCS#12 key file (.p12/.pfx) on this machine."""

    path: Path
    """Where the file is."""
    password: bytes = field(repr=False)
    """The file's password (never stored)."""


@dataclass(frozen=True)
class Pkcs12Upload:
    """A PKCS#12 key file uploaded through the web form, held in memory."""

    name: str
    """The file's name as the person chose it (said in messages)."""
    data: bytes = field(repr=False)
    """The file itself."""
    password: bytes = field(repr=False)
    """The file's password (never stored)."""


@dataclass(frozen=True)
class TokenKey:
    """A key (and its certificate) on a PKCS#11 token (Рутокен, JaCarta, SoftHSM)."""

    library: Path
    """The token's PKCS#11 library (only libraries the server allows are ever named here)."""
    token: str
    """The token's label."""
    key: str
    """The label of the key and of its certificate on the token."""
    pin: str = field(repr=False)
    """The token's PIN (never stored)."""


@dataclass(frozen=True)
class ExternalKey:
    """A key reached through an external signing program: document bytes in, a DER CMS out."""

    command: str | SignerCommand
    """The program's command line ({in}/{out} for programs that work on files), or a ready adapter."""
    certificate: Path
    """The key's certificate: the visible stamp is laid out from it."""


@dataclass(frozen=True)
class CryptoProKey:
    """A GOST key in CryptoPro CSP, chosen by its certificate's SHA-1 thumbprint (cryptcp)."""

    thumbprint: str
    """The thumbprint as certmgr -list shows it."""
    certificate: Path
    """The same certificate exported from CryptoPro's store (checked against the thumbprint)."""
    pin_env: str | None = None
    """The name of the environment variable holding the container's PIN, if it asks for one."""


KeySpec = Union[Pkcs12File, Pkcs12Upload, TokenKey, ExternalKey, CryptoProKey]
"""Any of the keys the archive can sign with."""

__all__ = ["CryptoProKey", "ExternalKey", "KeySpec", "Pkcs12File", "Pkcs12Upload", "TokenKey"]
