"""How the archive hashes and checks passwords: Argon2id (argon2-cffi), the parameters in the hash itself.

`_hasher` is RFC 9106's second recommended Argon2id (3 passes over 64 MiB) in one lane rather than
argon2-cffi's four: the cost to someone guessing is the same (memory × passes), but one password check is
one thread, so a wave of sign-ins (a district's staff arriving in the morning) cannot take every core from
the people already at work. Hashes made with other parameters (four lanes, before) are re-made at their
owner's next sign-in (`needs_rehash`). In each process passwords are hashed one at a time: sign-ins queue
behind each other (~0.17 s of processor each) instead of running beside the pages of a web worker's other
threads (benchmarks/load.py, docs/load.md).
"""

from __future__ import annotations

import functools
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)
_one_at_a_time = threading.BoundedSemaphore(1)


def hashed(password: str) -> str:
    with _one_at_a_time:
        return _hasher.hash(password)


def matches(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made of (a malformed hash matches nothing)."""
    try:
        with _one_at_a_time:
            return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash to check against for an unknown login (made once, on first need, not at import)."""
    return hashed("не пароль: выравнивает время ответа для неизвестного имени")
