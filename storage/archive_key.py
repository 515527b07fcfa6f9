"""The director's archive key: backups anyone may write and only the director's code opens.

A key pair (X25519). The public key is kept in the clear with its fingerprint; the private key is
kept only sealed under the director's access code (scrypt, parameters recorded in the sealed
blob beside the salt; AES-256-GCM bound to the public key). The code itself is never stored.

A set sealed *for* the key (format 2, «ARCHSEAL2») starts with the fingerprint of the key that
opens it, an ephemeral public key and the set's data key wrapped under X25519 + HKDF-SHA256; the
payload follows in the authenticated chunks of `sealing` (the same as format 1). So the deputy,
the beat schedule and the monthly job seal a set with the public key and no code; opening a set
means opening the private key with the code first — a wrong code fails right there, before any
medium is read.

The same private key may be sealed a second time under another code (the escrow copy for the
school's founder or a successor director), and a new key pair may follow an old one: each set
names its key by fingerprint, so every generation still opens.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from storage.errors import StorageError
from storage.sealing import FOR_KEY_MAGIC as SET_MAGIC
from storage.sealing import KEY_SEALING, KdfParams, WrongAccessCode, open_chunks, seal_chunks

KEY_MAGIC = b"ARCHKEY1"
_KEY_HEADER = struct.Struct(">8sBBB16s12s")  # magic, log2 n, r, p, salt, nonce
_SET_HEADER = struct.Struct(">9s32s32s48s")  # magic, key digest, ephemeral public key, wrapped data key
_HKDF_INFO = b"archive_service backup set data key v2"
_OBVIOUS = ("пароль", "школа", "директор", "архив", "резерв", "йцукен", "фывапр", "ячсмит", "привет", "любовь")
"""Russian words zxcvbn's English dictionaries do not know, and the Russian keyboard's rows."""
MIN_CODE = 10


def fingerprint(public: bytes) -> str:
    """The key's fingerprint as people compare it on paper: the first 128 bits of the SHA-256 of
    the raw public key, in eight groups of four («3F2A 9C01 …»)."""
    return _grouped(hashlib.sha256(public).digest())


def _raw(public: X25519PublicKey) -> bytes:
    raw: bytes = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def _grouped(digest: bytes) -> str:
    text = digest[:16].hex().upper()
    return " ".join(text[i:i + 4] for i in range(0, 32, 4))


def weak_code_reason(code: str, known: tuple[str, ...] = ()) -> str | None:
    """Why an access code is too weak to seal the archive with, in Russian; None if it will do.
    Strength is judged by zxcvbn (sequences, repeats, keyboard walks, dates, common words), also
    against `known`: what an attacker knows of this school (its name, the director's name)."""
    from zxcvbn import zxcvbn

    if len(code) < MIN_CODE:
        return f"код доступа слишком короткий: нужно не меньше {MIN_CODE} символов"
    if code != code.strip():
        return "код доступа не должен начинаться или заканчиваться пробелом"
    if zxcvbn(code[:100], user_inputs=[*_OBVIOUS, *(w for k in known for w in k.lower().split())])["score"] < 3:
        return ("код доступа слишком простой: не используйте повторы, последовательности цифр или букв, "
                "даты и слова целиком; возьмите несколько не связанных слов с цифрами")
    return None


def _code_key(code: str, salt: bytes, params: KdfParams) -> AESGCM:
    if not code:
        raise StorageError("не указан код доступа к резервным копиям")
    return AESGCM(Scrypt(salt=salt, length=32, n=2 ** params.log2_n, r=params.r, p=params.p)
                  .derive(code.encode("utf-8")))


@dataclass(frozen=True)
class ArchiveKey:
    """The key as kept: the public key in the clear, the private key sealed under one code."""

    public: bytes
    sealed_private: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    @property
    def kdf(self) -> KdfParams:
        """The parameters its private key is sealed with (recorded in the sealed blob)."""
        _, log2_n, r, p, _, _ = _KEY_HEADER.unpack_from(self.sealed_private)
        return KdfParams(log2_n, r, p)

    def open(self, code: str) -> OpenedKey:
        """The private key, opened with `code`; `WrongAccessCode` if the code is not this key's."""
        try:
            magic, log2_n, r, p, salt, nonce = _KEY_HEADER.unpack_from(self.sealed_private)
        except struct.error:
            raise StorageError("ключ архива повреждён: нет заголовка") from None
        if magic != KEY_MAGIC:
            raise StorageError("ключ архива повреждён: неизвестный формат")
        aead = _code_key(code, salt, KdfParams(log2_n, r, p))
        header = self.sealed_private[:_KEY_HEADER.size]
        try:
            raw = aead.decrypt(nonce, self.sealed_private[_KEY_HEADER.size:], header + self.public)
        except InvalidTag:
            raise WrongAccessCode("неверный код доступа") from None
        private = X25519PrivateKey.from_private_bytes(raw)
        if _raw(private.public_key()) != self.public:
            raise StorageError("ключ архива повреждён: закрытый ключ не соответствует открытому")
        return OpenedKey(private, self.public)

    def resealed(self, code: str, new_code: str, params: KdfParams = KEY_SEALING) -> ArchiveKey:
        """The same key pair with its private key sealed under `new_code` (opened with `code`):
        no backup set changes, since sets are sealed for the public key."""
        return self.open(code).sealed(new_code, params)


@dataclass(frozen=True)
class OpenedKey:
    """The private key in memory, for as long as one restore or read needs it."""

    private: X25519PrivateKey
    public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sealed(self, code: str, params: KdfParams = KEY_SEALING) -> ArchiveKey:
        """This private key sealed under `code` (a changed code, or the escrow copy's own code)."""
        salt, nonce = os.urandom(16), os.urandom(12)
        header = _KEY_HEADER.pack(KEY_MAGIC, params.log2_n, params.r, params.p, salt, nonce)
        raw = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        return ArchiveKey(self.public, header + _code_key(code, salt, params).encrypt(nonce, raw, header + self.public))

    def unseal(self, blob: bytes) -> bytes:
        """Open a set sealed for this key."""
        magic, digest, ephemeral, wrapped = _set_header(blob)
        if digest != hashlib.sha256(self.public).digest():
            raise WrongAccessCode(f"резервная копия запечатана другим ключом архива ({_grouped(digest)}), "
                                  f"а не ключом {self.fingerprint}")
        shared = self.private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        try:
            data_key = _kek(shared, ephemeral, self.public).decrypt(bytes(12), wrapped, blob[:_SET_HEADER.size - 48])
        except InvalidTag:
            raise StorageError("резервная копия повреждена: ключ данных не проходит проверку") from None
        return open_chunks(AESGCM(data_key), blob, _SET_HEADER.size)


def new_archive_key(code: str, params: KdfParams = KEY_SEALING) -> ArchiveKey:
    """A new key pair, its private key sealed under `code` (checked for strength by the caller)."""
    private = X25519PrivateKey.generate()
    return OpenedKey(private, _raw(private.public_key())).sealed(code, params)


def _kek(shared: bytes, ephemeral: bytes, public: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + public, info=_HKDF_INFO)
                  .derive(shared))


def seal_for(data: bytes, public: bytes) -> bytes:
    """Seal `data` so that only the private key of `public` opens it (no code needed)."""
    ephemeral_private = X25519PrivateKey.generate()
    ephemeral = _raw(ephemeral_private.public_key())
    shared = ephemeral_private.exchange(X25519PublicKey.from_public_bytes(public))
    data_key = AESGCM.generate_key(bit_length=256)
    head = SET_MAGIC + hashlib.sha256(public).digest() + ephemeral
    wrapped = _kek(shared, ephemeral, public).encrypt(bytes(12), data_key, head)
    return head + wrapped + seal_chunks(AESGCM(data_key), data)


@dataclass(frozen=True)
class PublicSeal:
    """Sealing a set for the archive key: what the deputy and the schedules seal with, no code."""

    public: bytes

    def seal(self, data: bytes) -> bytes:
        return seal_for(data, self.public)

    def describe(self) -> str:
        """How a set's bag-info names its sealing."""
        return f"X25519 (archive key {fingerprint(self.public)}) + HKDF-SHA256 + AES-256-GCM"


def _set_header(blob: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    try:
        magic, digest, ephemeral, wrapped = _SET_HEADER.unpack_from(blob)
    except struct.error:
        raise StorageError("файл резервной копии повреждён: нет заголовка") from None
    if magic != SET_MAGIC:
        raise StorageError("резервная копия запечатана не ключом архива")
    return magic, digest, ephemeral, wrapped


def sealed_for(blob: bytes) -> str | None:
    """The fingerprint of the key that opens a sealed set, or None for a set sealed with a code
    (format 1, written before the archive key)."""
    if blob.startswith(SET_MAGIC):
        return _grouped(_set_header(blob)[1])
    return None
