"""Hash chains: each entry's hash covers the previous hash and the entry's own content.

Used by the audit log (and later the backup-usage journal): editing or deleting an entry
breaks every hash after it, which `verify_chain` reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[tuple[int, str, str, dict[str, Any]]]) -> list[ChainBreak]:
    """Check (seq, prev_hash, hash, payload) entries in seq order; empty when intact."""
    breaks: list[ChainBreak] = []
    expected_prev, expected_seq = GENESIS, 1
    for seq, prev_hash, hash_, payload in entries:
        if seq != expected_seq:
            breaks.append(ChainBreak(seq, f"пропущены записи {expected_seq}–{seq - 1}"))
        if prev_hash != expected_prev:
            breaks.append(ChainBreak(seq, "ссылка на предыдущую запись не совпадает"))
        if chain_hash(prev_hash, payload) != hash_:
            breaks.append(ChainBreak(seq, "содержимое записи изменено"))
        expected_prev, expected_seq = hash_, seq + 1
    return breaks
