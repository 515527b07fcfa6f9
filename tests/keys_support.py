"""The director's archive key in tests: set up with a known code and a fast KDF (scrypt n=2^10,
injected — the production default stays 2^17)."""

from __future__ import annotations

from archive_service.domain.actor import Actor
from archive_service.services import archive_keys
from archive_service.services.archive_keys import KeyInfo
from storage.sealing import KdfParams

KEY_CODE = "лиса-ручей-47-окно"
"""The director's access code of the tests' archive key."""
FAST = KdfParams(log2_n=10)
DIRECTOR = Actor("Сергеева Ольга Викторовна", "director", "тест")


def with_archive_key(archive, code: str = KEY_CODE) -> KeyInfo:
    """The archive's key, made by the director with `code` (what a backup is sealed for)."""
    return archive_keys.init_key(archive.uow(), code, code, actor=DIRECTOR, now=archive.now(), params=FAST)
