"""Sealing a backup with the director's access code: scrypt for the key, AES-256-GCM for the data.

The code is never stored. The sealed stream is a header (magic, KDF parameters, salt) and
4 MiB chunks, each authenticated with its index and a last-chunk flag, so a truncated,
reordered or altered file — or a wrong code — fails to open instead of yielding wrong data.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from storage.errors import StorageError

MAGIC = b"ARCHSEAL1"
CHUNK = 4 * 1024 * 1024
_HEADER = struct.Struct(">9sBBB16s")  # magic, log2 n, r, p, salt


class WrongAccessCode(StorageError):
    """The access code does not open this backup (or the sealed file is damaged)."""


@dataclass(frozen=True)
class KdfParams:
    """The scrypt parameters a new backup is sealed with (a sealed file names its own in its
    header, so a backup sealed with other parameters still opens)."""

    log2_n: int = 15
    r: int = 8
    p: int = 1

    def describe(self) -> str:
        """How a set's bag-info names its sealing: «scrypt (n=2^15, r=8) + AES-256-GCM»."""
        return f"scrypt (n=2^{self.log2_n}, r={self.r}) + AES-256-GCM"


SEALING = KdfParams()
"""The parameters of every new backup: the one home of the backup encryption parameters."""


def _key(code: str, salt: bytes, params: KdfParams) -> bytes:
    if not code:
        raise StorageError("не указан код доступа к резервной копии")
    return Scrypt(salt=salt, length=32, n=2 ** params.log2_n, r=params.r, p=params.p).derive(code.encode("utf-8"))


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def seal(data: bytes, code: str, params: KdfParams = SEALING) -> bytes:
    salt = os.urandom(16)
    aead = AESGCM(_key(code, salt, params))
    prefix = os.urandom(8)
    out = [_HEADER.pack(MAGIC, params.log2_n, params.r, params.p, salt), prefix]
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sealed = aead.encrypt(_nonce(prefix, index), chunk, struct.pack(">I?", index, last))
        out.append(struct.pack(">I", len(sealed)) + sealed)
    return b"".join(out)


def unseal(blob: bytes, code: str) -> bytes:
    try:
        magic, log2_n, r, p, salt = _HEADER.unpack_from(blob)
    except struct.error:
        raise StorageError("файл резервной копии повреждён: нет заголовка") from None
    if magic != MAGIC:
        raise StorageError("файл не является запечатанной резервной копией")
    aead = AESGCM(_key(code, salt, KdfParams(log2_n, r, p)))
    offset = _HEADER.size
    prefix, offset = blob[offset:offset + 8], offset + 8
    parts, index, last = [], 0, False
    while offset < len(blob):
        (size,) = struct.unpack_from(">I", blob, offset)
        sealed = blob[offset + 4:offset + 4 + size]
        offset += 4 + size
        last = offset >= len(blob)
        try:
            parts.append(aead.decrypt(_nonce(prefix, index), sealed, struct.pack(">I?", index, last)))
        except InvalidTag:
            raise _why(aead, prefix, index, sealed, last) from None
        index += 1
    if not last:
        raise StorageError("резервная копия повреждена: данные обрезаны")
    return b"".join(parts)


def _why(aead: AESGCM, prefix: bytes, index: int, sealed: bytes, last: bool) -> StorageError:
    """Tell a wrong code from damage: a chunk that opens as a non-final one means truncation."""
    try:
        aead.decrypt(_nonce(prefix, index), sealed, struct.pack(">I?", index, not last))
    except InvalidTag:
        if index == 0:
            return WrongAccessCode("неверный код доступа к резервной копии (или копия повреждена)")
        return StorageError("резервная копия повреждена: часть данных не проходит проверку")
    return StorageError("резервная копия повреждена: данные обрезаны")
