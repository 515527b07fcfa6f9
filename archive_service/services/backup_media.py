"""What a hand-over act says of a medium: its type in words, and its serial number.

The one home of the words for each kind of medium; the type is derived from the medium's class,
the serial number is the one the administrator configured (`ARCHIVE_MEDIUM_A_SERIAL`, `…_B_SERIAL`).
"""

from __future__ import annotations

from functools import cache

from storage import DirectoryMedium, Medium

OTHER = "носитель данных"


@cache
def kinds() -> tuple[tuple[type, str], ...]:
    """Each class of medium with its words (boto3 is loaded here, not when the archive starts)."""
    from storage.iso import IsoImageMedium
    from storage.s3 import S3Medium

    return ((IsoImageMedium, "оптический диск"), (S3Medium, "облачное хранилище с запретом удаления"),
            (DirectoryMedium, "жёсткий диск (каталог)"))


def medium_kind(medium: Medium) -> str:
    """The medium's type as the act prints it."""
    return next((words for cls, words in kinds() if isinstance(medium, cls)), OTHER)


def medium_facts(medium: Medium) -> dict[str, str]:
    """What a set's row records of the medium a copy went to (beside its room and verification)."""
    return {"kind": medium_kind(medium), "serial": str(getattr(medium, "serial", "") or "")}
