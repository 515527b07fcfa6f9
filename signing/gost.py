"""GOST R 34.10-2012 signatures and GOST R 34.11-2012 («Стрибог») digests, in this process.

The server's OpenSSL does GOST through the open-source GOST engine (Debian's
`libengine-gost-openssl`, `gost.so`). pyca/cryptography carries its own OpenSSL without it, so
the system `libcrypto` is used here through ctypes: the same library Python's `hashlib` uses,
with the engine set as the default for its algorithms. Everything GOST goes through this module:
digests over document byte ranges, signing with the test and demo keys (a real director's key
stays on the token, inside CryptoPro), verifying signatures of documents, certificates, CRLs
and timestamps.

It also teaches asn1crypto the GOST object identifiers (as pyhanko_certvalidator does for its
own additions), so certificates and CMS structures with GOST algorithms parse and name them.

The encodings are those of RFC 4491 / RFC 9215 as OpenSSL's engine writes them: a signature is
s‖r big-endian (64 bytes for 256-bit keys, 128 for 512-bit keys), in certificates, CRLs and
CMS alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import algos, cms, core, keys, x509

from signing.errors import SigningError

# key algorithms (id-tc26-gost3410-12-256/512), digests (id-tc26-gost3411-12-256/512),
# signature algorithms (id-tc26-signwithdigest-gost3410-12-256/512)
KEY_256, KEY_512 = "1.2.643.7.1.1.1.1", "1.2.643.7.1.1.1.2"
DIGEST_256, DIGEST_512 = "1.2.643.7.1.1.2.2", "1.2.643.7.1.1.2.3"
SIGN_256, SIGN_512 = "1.2.643.7.1.1.3.2", "1.2.643.7.1.1.3.3"
# GOST R 34.10-2001 (no longer issued since 2019): recognised by name, not verified
LEGACY_2001 = {"1.2.643.2.2.19", "1.2.643.2.2.3", "1.2.643.2.2.9"}

DIGEST_NAMES = {DIGEST_256: "streebog256", DIGEST_512: "streebog512"}
_OPENSSL_DIGESTS = {"streebog256": b"md_gost12_256", "streebog512": b"md_gost12_512"}
# the digest a key's signature uses, by the key's (or the signature's) algorithm
_DIGEST_OF = {KEY_256: "streebog256", SIGN_256: "streebog256", KEY_512: "streebog512", SIGN_512: "streebog512"}
_SIGNATURE_OF_KEY = {KEY_256: SIGN_256, KEY_512: SIGN_512}


def _register_oids() -> None:
    """Name the GOST identifiers in asn1crypto's registries (their `_map`s are its extension point)."""
    additions = [
        (keys.PublicKeyAlgorithmId, {KEY_256: "gost2012_256", KEY_512: "gost2012_512"}),
        (algos.DigestAlgorithmId, {DIGEST_256: "streebog256", DIGEST_512: "streebog512"}),
        (algos.SignedDigestAlgorithmId, {SIGN_256: "gost2012_256_streebog256", SIGN_512: "gost2012_512_streebog512",
                                         KEY_256: "gost2012_256", KEY_512: "gost2012_512"}),
    ]
    for registry, names in additions:
        for dotted, name in names.items():
            registry._map.setdefault(dotted, name)
            if registry._reverse_map is not None:
                registry._reverse_map.setdefault(name, dotted)
    # GOST public keys are an OCTET STRING inside the BIT STRING (RFC 4491 § 2.3.2): kept opaque
    callbacks = keys.PublicKeyInfo._spec_callbacks
    original = callbacks["public_key"]

    def public_key_spec(info: keys.PublicKeyInfo) -> tuple[type[core.Asn1Value], object]:
        if info["algorithm"]["algorithm"].dotted in (KEY_256, KEY_512):
            return core.OctetBitString, None
        spec: tuple[type[core.Asn1Value], object] = original(info)
        return spec

    if getattr(original, "__name__", "") != "public_key_spec":
        callbacks["public_key"] = public_key_spec


_register_oids()


def is_gost_key(public_key: keys.PublicKeyInfo) -> bool:
    return public_key["algorithm"]["algorithm"].dotted in (KEY_256, KEY_512)


def is_gost_algorithm(dotted: str) -> bool:
    return dotted in _DIGEST_OF or dotted in DIGEST_NAMES


def digest_for_key(public_key: keys.PublicKeyInfo) -> str:
    """«streebog256» or «streebog512»: the digest GOST R 34.10-2012 uses with this key."""
    return _DIGEST_OF[public_key["algorithm"]["algorithm"].dotted]


def signature_algorithm_for_key(public_key: keys.PublicKeyInfo) -> str:
    return _SIGNATURE_OF_KEY[public_key["algorithm"]["algorithm"].dotted]


def digest_algorithm_of_signature(dotted: str) -> str | None:
    """The Streebog variant a GOST signature algorithm (or key algorithm) implies, else None."""
    return _DIGEST_OF.get(dotted)


# -- the system libcrypto with the GOST engine ----------------------------------------------------

_ENGINE_METHOD_ALL = 0xFFFF
_BIO_CTRL_INFO = 3
NOT_INSTALLED = ("на сервере не установлена поддержка ГОСТ: нужен пакет libengine-gost-openssl "
                 "(он ставится командой make demo или make test)")


class _Library:
    """The system libcrypto with the GOST engine loaded once, or the reason it cannot be."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("crypto") or "libcrypto.so.3"
        lib = ctypes.CDLL(name)
        vp, cp, sz, ip = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int
        signatures = {
            "ENGINE_by_id": (vp, [cp]), "ENGINE_init": (ip, [vp]), "ENGINE_set_default": (ip, [vp, ctypes.c_uint]),
            "EVP_get_digestbyname": (vp, [cp]), "EVP_MD_CTX_new": (vp, []), "EVP_MD_CTX_free": (None, [vp]),
            "EVP_DigestInit_ex": (ip, [vp, vp, vp]), "EVP_DigestUpdate": (ip, [vp, cp, sz]),
            "EVP_DigestFinal_ex": (ip, [vp, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint)]),
            "EVP_DigestSignInit": (ip, [vp, vp, vp, vp, vp]),
            "EVP_DigestSign": (ip, [vp, ctypes.c_char_p, ctypes.POINTER(sz), cp, sz]),
            "EVP_DigestVerifyInit": (ip, [vp, vp, vp, vp, vp]),
            "EVP_DigestVerify": (ip, [vp, cp, sz, cp, sz]),
            "d2i_PUBKEY": (vp, [vp, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]),
            "i2d_PUBKEY": (ip, [vp, ctypes.POINTER(ctypes.c_void_p)]),
            "EVP_PKEY_free": (None, [vp]), "CRYPTO_free": (None, [vp, cp, ip]),
            "BIO_new_mem_buf": (vp, [cp, ip]), "BIO_new": (vp, [vp]), "BIO_s_mem": (vp, []),
            "BIO_free": (ip, [vp]), "BIO_ctrl": (ctypes.c_long, [vp, ip, ctypes.c_long, vp]),
            "PEM_read_bio_PrivateKey": (vp, [vp, vp, vp, vp]),
            "PEM_write_bio_PrivateKey": (ip, [vp, vp, vp, vp, ip, vp, vp]),
            "OBJ_sn2nid": (ip, [cp]), "EVP_PKEY_CTX_new_id": (vp, [ip, vp]), "EVP_PKEY_CTX_free": (None, [vp]),
            "EVP_PKEY_keygen_init": (ip, [vp]), "EVP_PKEY_CTX_ctrl_str": (ip, [vp, cp, cp]),
            "EVP_PKEY_keygen": (ip, [vp, ctypes.POINTER(ctypes.c_void_p)]),
            "ERR_get_error": (ctypes.c_ulong, []), "ERR_error_string_n": (None, [ctypes.c_ulong, cp, sz]),
            "ERR_clear_error": (None, []),
        }
        for function, (restype, argtypes) in signatures.items():
            getattr(lib, function).restype = restype
            getattr(lib, function).argtypes = argtypes
        self.lib = lib
        engine = lib.ENGINE_by_id(b"gost")
        if not engine or lib.ENGINE_init(engine) != 1 or lib.ENGINE_set_default(engine, _ENGINE_METHOD_ALL) != 1:
            lib.ERR_clear_error()
            raise SigningError(NOT_INSTALLED)
        self.engine = engine
        self.digests = {}
        for name, openssl_name in _OPENSSL_DIGESTS.items():
            md = lib.EVP_get_digestbyname(openssl_name)
            if not md:
                raise SigningError(NOT_INSTALLED)
            self.digests[name] = md

    def error(self, what: str) -> SigningError:
        code = self.lib.ERR_get_error()
        buffer = ctypes.create_string_buffer(256)
        if code:
            self.lib.ERR_error_string_n(code, buffer, len(buffer))
        self.lib.ERR_clear_error()
        return SigningError(f"{what} (OpenSSL: {buffer.value.decode('ascii', 'replace') or 'без кода'})")


_lock = threading.Lock()
_library: _Library | None = None


def _lib() -> _Library:
    global _library
    if _library is None:
        with _lock:
            if _library is None:
                try:
                    _library = _Library()
                except OSError as exc:
                    raise SigningError(NOT_INSTALLED) from exc
    return _library


def available() -> bool:
    """Whether this machine can do GOST (the engine is installed)."""
    try:
        _lib()
    except SigningError:
        return False
    return True


def digest(name: str, data: bytes) -> bytes:
    """Streebog («streebog256» or «streebog512») of `data`."""
    library = _lib()
    lib = library.lib
    md = library.digests.get(name)
    if md is None:
        raise SigningError(f"неизвестный алгоритм хеширования ГОСТ: {name}")
    ctx = lib.EVP_MD_CTX_new()
    try:
        out = ctypes.create_string_buffer(64)
        size = ctypes.c_uint(0)
        view = bytes(data)
        if (lib.EVP_DigestInit_ex(ctx, md, None) != 1 or lib.EVP_DigestUpdate(ctx, view, len(view)) != 1
                or lib.EVP_DigestFinal_ex(ctx, out, ctypes.byref(size)) != 1):
            raise library.error("не удалось вычислить хеш ГОСТ Р 34.11-2012")
        return out.raw[:size.value]
    finally:
        lib.EVP_MD_CTX_free(ctx)


class _PublicKeys:
    """EVP_PKEY handles for public keys, parsed once per key (a document checks the same few)."""

    @staticmethod
    @lru_cache(maxsize=256)
    def load(spki_der: bytes) -> int:
        library = _lib()
        buffer = ctypes.c_char_p(spki_der)
        pkey: int | None = library.lib.d2i_PUBKEY(None, ctypes.byref(buffer), len(spki_der))
        if not pkey:
            raise library.error("открытый ключ ГОСТ не читается")
        return pkey  # kept for the life of the process with its cache entry


def verify(public_key: keys.PublicKeyInfo | bytes, data: bytes, signature: bytes,
           digest_name: str | None = None) -> bool:
    """Whether `signature` is a GOST R 34.10-2012 signature of `data` by `public_key`."""
    spki = public_key if isinstance(public_key, bytes) else public_key.dump()
    info = keys.PublicKeyInfo.load(spki)
    digest_name = digest_name or digest_for_key(info)
    library = _lib()
    lib = library.lib
    pkey = _PublicKeys.load(spki)
    ctx = lib.EVP_MD_CTX_new()
    try:
        if lib.EVP_DigestVerifyInit(ctx, None, library.digests[digest_name], None, pkey) != 1:
            raise library.error("не удалось начать проверку подписи ГОСТ")
        result: int = lib.EVP_DigestVerify(ctx, bytes(signature), len(signature), bytes(data), len(data))
        lib.ERR_clear_error()
        return result == 1
    finally:
        lib.EVP_MD_CTX_free(ctx)


@dataclass
class PrivateKey:
    """A GOST R 34.10-2012 private key held in this process (test and demo keys, a local TSA)."""

    handle: int
    public_key: keys.PublicKeyInfo

    @classmethod
    def from_pem(cls, pem: bytes) -> "PrivateKey":
        library = _lib()
        lib = library.lib
        bio = lib.BIO_new_mem_buf(pem, len(pem))
        try:
            pkey = lib.PEM_read_bio_PrivateKey(bio, None, None, None)
        finally:
            lib.BIO_free(bio)
        if not pkey:
            raise library.error("закрытый ключ ГОСТ не читается")
        return cls(pkey, _public_of(pkey))

    @classmethod
    def generate(cls, bits: int = 256, paramset: str = "A") -> "PrivateKey":
        """A new key: 256 or 512 bits, on the TC26 parameter set `paramset` (A, B, C …)."""
        library = _lib()
        lib = library.lib
        nid = lib.OBJ_sn2nid({256: b"gost2012_256", 512: b"gost2012_512"}[bits])
        ctx = lib.EVP_PKEY_CTX_new_id(nid, library.engine)
        try:
            pkey = ctypes.c_void_p()
            if (not ctx or lib.EVP_PKEY_keygen_init(ctx) != 1
                    or lib.EVP_PKEY_CTX_ctrl_str(ctx, b"paramset", paramset.encode()) <= 0
                    or lib.EVP_PKEY_keygen(ctx, ctypes.byref(pkey)) != 1 or not pkey.value):
                raise library.error("не удалось создать ключ ГОСТ")
        finally:
            lib.EVP_PKEY_CTX_free(ctx)
        return cls(pkey.value, _public_of(pkey.value))

    def to_pem(self) -> bytes:
        """PKCS#8 PEM, as `openssl genpkey -engine gost` writes it (unencrypted: keep it 0600)."""
        library = _lib()
        lib = library.lib
        bio = lib.BIO_new(lib.BIO_s_mem())
        try:
            if lib.PEM_write_bio_PrivateKey(bio, self.handle, None, None, 0, None, None) != 1:
                raise library.error("не удалось записать ключ ГОСТ")
            pointer = ctypes.c_void_p()
            size = lib.BIO_ctrl(bio, _BIO_CTRL_INFO, 0, ctypes.byref(pointer))
            return ctypes.string_at(pointer, size)
        finally:
            lib.BIO_free(bio)

    @property
    def digest_name(self) -> str:
        return digest_for_key(self.public_key)

    @property
    def signature_algorithm(self) -> str:
        return signature_algorithm_for_key(self.public_key)

    def sign(self, data: bytes) -> bytes:
        """The signature (s‖r) of `data`, hashed with the key's Streebog."""
        library = _lib()
        lib = library.lib
        ctx = lib.EVP_MD_CTX_new()
        try:
            if lib.EVP_DigestSignInit(ctx, None, library.digests[self.digest_name], None, self.handle) != 1:
                raise library.error("не удалось начать подпись ГОСТ")
            size = ctypes.c_size_t(0)
            if lib.EVP_DigestSign(ctx, None, ctypes.byref(size), bytes(data), len(data)) != 1:
                raise library.error("не удалось подписать по ГОСТ")
            out = ctypes.create_string_buffer(size.value)
            if lib.EVP_DigestSign(ctx, out, ctypes.byref(size), bytes(data), len(data)) != 1:
                raise library.error("не удалось подписать по ГОСТ")
            return out.raw[:size.value]
        finally:
            lib.EVP_MD_CTX_free(ctx)


def _public_of(pkey: int) -> keys.PublicKeyInfo:
    library = _lib()
    lib = library.lib
    pointer = ctypes.c_void_p()
    size = lib.i2d_PUBKEY(pkey, ctypes.byref(pointer))
    if size <= 0:
        raise library.error("не удалось получить открытый ключ ГОСТ")
    try:
        return keys.PublicKeyInfo.load(ctypes.string_at(pointer, size))
    finally:
        lib.CRYPTO_free(pointer, b"gost.py", 0)


def signed_attributes_bytes(signer_info: cms.SignerInfo) -> bytes:
    """What a CMS signature with signed attributes signs: their DER as a SET (RFC 5652 § 5.4), i.e.
    the bytes as they stand in the container with the implicit [0] tag read as SET OF."""
    encoded: bytes = signer_info["signed_attrs"].dump()
    return b"\x31" + encoded[1:]


def certificate_is_gost(cert: x509.Certificate) -> bool:
    return is_gost_key(cert["tbs_certificate"]["subject_public_key_info"])
