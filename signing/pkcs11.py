"""Keys on PKCS#11 tokens (hardware tokens, HSMs; SoftHSM2 in tests), opened once per batch.

The PIN is used to open the session and then forgotten: it is never stored or logged.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from signing.errors import KeyAccessError


@contextmanager
def pkcs11_key(library: Path, token_label: str, key_label: str, pin: str) -> Iterator[PKCS11Signer]:
    """A signer for the key (and certificate) labelled `key_label` on the token `token_label`."""
    if not Path(library).exists():
        raise KeyAccessError(f"не найдена библиотека PKCS#11: {library}")
    try:
        session = open_pkcs11_session(str(library), token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except Exception as exc:  # python-pkcs11 raises one class per PKCS#11 return code
        raise KeyAccessError(f"не удалось открыть токен «{token_label}»: неверный PIN или токен не подключён "
                             f"({type(exc).__name__})") from None
    try:
        try:
            signer = PKCS11Signer(session, key_label=key_label, cert_label=key_label)
            found = signer.signing_cert is not None
            if found and signer.signing_cert.public_key.algorithm == "ec":
                # many tokens (SoftHSM2 among them) only do raw ECDSA: hash here, sign there
                signer = PKCS11Signer(session, key_label=key_label, cert_label=key_label, use_raw_mechanism=True)
        except Exception as exc:
            raise KeyAccessError(f"на токене «{token_label}» не найден ключ «{key_label}» "
                                 f"({type(exc).__name__})") from None
        if not found:
            raise KeyAccessError(f"на токене «{token_label}» нет сертификата «{key_label}»")
        yield signer
    finally:
        session.close()
