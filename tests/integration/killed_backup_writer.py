"""Run `create_backup` in a process of its own and kill it (SIGKILL, as kill -9) at the Nth object
written to a medium — before that object's first byte. Used by the crash tests of backups.

    python killed_backup_writer.py HOME DATABASE_URL NOW_ISO N
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

from archive_service import Settings
from archive_service.bootstrap import Archive
from archive_service.domain.actor import Actor
from archive_service.services import backup
from storage import DirectoryMedium


class KilledAtWrite(DirectoryMedium):
    """A directory medium whose process is killed when the Nth object of the run is written."""

    writes = 0
    kill_at = 0

    def write(self, name: str, data: bytes, *, retain_until: dt.date) -> None:
        KilledAtWrite.writes += 1
        if KilledAtWrite.writes == KilledAtWrite.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        super().write(name, data, retain_until=retain_until)


def main(home: str, database_url: str, now: str, kill_at: str) -> None:
    # the rest from the environment: the test passes its document store (store_support.store_env)
    archive = Archive(Settings.from_env(home=Path(home), database_url=database_url, secret_key="crash-test"))
    KilledAtWrite.kill_at = int(kill_at)
    media = [KilledAtWrite(m.root, m.label, m.location) for m in archive.media()]
    backup.create_backup(archive.uow(), archive.store, media, "2026/2027", ["Q2"],
                         actor=Actor("Иванова Т. П.", "deputy"),
                         now=dt.datetime.fromisoformat(now))


if __name__ == "__main__":
    main(*sys.argv[1:])
