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
FOR_KEY_MAGIC = b"ARCHSEAL2"
"""A set sealed for the director's archive key (`archive_key`), not with a code."""
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
"""The parameters of a set sealed with a code (format 1, before the director's archive key)."""

KEY_SEALING = KdfParams(log2_n=17, r=8, p=1)
"""The parameters the director's archive private key is sealed with under the access code
(`archive_key`): scrypt with 128 MiB of memory, about half a second per try here. With sets
sealed for the archive key (X25519 + HKDF-SHA256 wrapping an AES-256-GCM data key, chunks as
above), this module is the one home of the backup encryption parameters."""


@dataclass(frozen=True)
class CodeSeal:
    """Sealing and opening with an access code (format 1): the sets written before the
    director's archive key, and the tests of the format itself."""

    code: str
    params: KdfParams = SEALING

    def seal(self, data: bytes) -> bytes:
        return seal(data, self.code, self.params)

    def unseal(self, blob: bytes) -> bytes:
        return unseal(blob, self.code)

    def describe(self) -> str:
        return self.params.describe()


def _key(code: str, salt: bytes, params: KdfParams) -> bytes:
    if not code:
        raise StorageError("не указан код доступа к резервной копии")
    return Scrypt(salt=salt, length=32, n=2 ** params.log2_n, r=params.r, p=params.p).derive(code.encode("utf-8"))


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def seal(data: bytes, code: str, params: KdfParams = SEALING) -> bytes:
    """Seal with a code (format 1: the sets written before the director's archive key)."""
    salt = os.urandom(16)
    header = _HEADER.pack(MAGIC, params.log2_n, params.r, params.p, salt)
    return header + seal_chunks(AESGCM(_key(code, salt, params)), data)


def unseal(blob: bytes, code: str) -> bytes:
    """Open a set sealed with a code (format 1)."""
    try:
        magic, log2_n, r, p, salt = _HEADER.unpack_from(blob)
    except struct.error:
        raise StorageError("файл резервной копии повреждён: нет заголовка") from None
    if magic == FOR_KEY_MAGIC:
        raise WrongAccessCode("эта резервная копия запечатана ключом архива: её открывает код доступа директора "
                              "к ключу архива, а не код отдельной копии")
    if magic != MAGIC:
        raise StorageError("файл не является резервной копией, запечатанной кодом доступа")
    return open_chunks(AESGCM(_key(code, salt, KdfParams(log2_n, r, p))), blob, _HEADER.size)


def seal_chunks(aead: AESGCM, data: bytes) -> bytes:
    """A random nonce prefix, then the data in `CHUNK`s, each authenticated with its index and
    whether it is the last, so truncation, reordering and alteration are all detected."""
    prefix = os.urandom(8)
    out = [prefix]
    view = memoryview(data)
    count = max(1, -(-len(data) // CHUNK))
    for index in range(count):
        sealed = aead.encrypt(_nonce(prefix, index), view[index * CHUNK:(index + 1) * CHUNK],
                              struct.pack(">I?", index, index == count - 1))
        out += (struct.pack(">I", len(sealed)), sealed)  # no concatenation: the join is the one copy
    return b"".join(out)


def open_chunks(aead: AESGCM, blob: bytes, offset: int) -> bytes:
    """The data `seal_chunks` sealed, from `offset` of `blob`; a wrong key fails at the first chunk."""
    prefix, offset = blob[offset:offset + 8], offset + 8
    parts, index, last = [], 0, False
    view = memoryview(blob)
    while offset < len(blob):
        (size,) = struct.unpack_from(">I", blob, offset)
        sealed = view[offset + 4:offset + 4 + size]
        offset += 4 + size
        last = offset >= len(blob)
        try:
            parts.append(aead.decrypt(_nonce(prefix, index), sealed, struct.pack(">I?", index, last)))
        except InvalidTag:
            raise _why(aead, prefix, index, bytes(sealed), last) from None
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
