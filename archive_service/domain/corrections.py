"""Corrections carried through: which copy of a class's document replaces which.

A correction of a class journal is a new snapshot version of the same class and period with a
reason (DESIGN §2). A document made from it replaces the documents of the same kind made from
the older versions: those stay in the archive as evidence, marked as replaced. This module is
the one rule for that; it knows nothing of databases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping


@dataclass(frozen=True)
class Copy:
    """One rendered document of one class and period (the chain of its snapshot versions)."""

    key: int
    kind: str
    version: int
    """The snapshot version the document was made from."""


def replacements(copies: Iterable[Copy]) -> dict[int, int]:
    """replaced key → key of the copy that replaces it.

    `copies` are the documents of one class and period. A copy is replaced by the copy of the
    same kind made from the nearest newer snapshot version that has one (the newest made of
    that version, when several were made with different print options). Copies of the newest
    version replace nothing among themselves: different print options are not corrections.
    """
    by_kind: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for copy in copies:
        by_kind[copy.kind][copy.version].append(copy.key)
    out: dict[int, int] = {}
    for versions in by_kind.values():
        ordered = sorted(versions)
        for older, newer in zip(ordered, ordered[1:]):
            successor = max(versions[newer])
            for key in versions[older]:
                out[key] = successor
    return out


def current(key: int, replaced_by: Mapping[int, int]) -> int:
    """The copy in force now: follow the replacements from `key` to the last one."""
    seen = {key}
    while key in replaced_by:
        key = replaced_by[key]
        if key in seen:  # a cycle cannot be recorded (versions only grow); never loop on one
            break
        seen.add(key)
    return key
