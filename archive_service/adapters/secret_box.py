"""Encryption at rest of the journal systems' passwords, tokens and devkeys.

Fernet (AES-128-CBC + HMAC-SHA256) with a key that never enters the database: either
`ARCHIVE_SOURCE_KEY` or HOME/source_key, created 0600 on first need. A database copied without
the key yields no secret. `SecretBox` never shows a key or a secret in its repr.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from archive_service.config import ConfigError


class SecretBox:
    """Encrypts and decrypts short secrets with one key."""

    def __init__(self, key: bytes):
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError):
            raise ConfigError("ARCHIVE_SOURCE_KEY: ключ шифрования должен быть ключом Fernet "
                              "(32 байта в URL-safe base64)") from None

    def __repr__(self) -> str:
        return "SecretBox(***)"

    @classmethod
    def from_key_or_file(cls, key: str, path: Path) -> "SecretBox":
        """The configured key, else the key file (created with mode 0600 when missing)."""
        if key:
            return cls(key.encode("ascii", errors="replace"))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process created it a moment ago
                pass
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def seal(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode("utf-8"))

    def open(self, sealed: bytes) -> str:
        try:
            return self._fernet.decrypt(bytes(sealed)).decode("utf-8")
        except InvalidToken:
            raise ConfigError("пароль источника не расшифровывается: ключ ARCHIVE_SOURCE_KEY или файл "
                              "source_key не тот, с которым источник добавлен; добавьте источник заново") from None
