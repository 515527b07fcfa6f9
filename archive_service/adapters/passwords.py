"""How the archive hashes and checks passwords: Argon2id (argon2-cffi's defaults: RFC 9106's second
recommended choice, 3 passes over 64 MiB in 4 lanes), the parameters kept in the hash itself; a hash made
with other parameters is made again at its owner's next sign-in (`needs_rehash`).

A check costs ~0.17 s of processor: a wave of sign-ins is the heaviest moment of benchmarks/load.py. Tried
and measured there (docs/load.md): one lane instead of four and one hashing at a time in a process made the
wave last longer and the pages beside it no faster, so the library's defaults stand.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()


def hashed(password: str) -> str:
    return _hasher.hash(password)


def matches(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made of (a malformed hash matches nothing)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash to check against for an unknown login (made once, on first need, not at import)."""
    return hashed("не пароль: выравнивает время ответа для неизвестного имени")
