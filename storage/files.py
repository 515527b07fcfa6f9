"""Writing files so that a crash leaves either the whole new file or the old state, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from storage.crash_points import crash_point


def atomic_write(target: Path, data: bytes) -> None:
    """Temporary file in the same directory, fsync, rename over the target, fsync the directory."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        crash_point("write.unrenamed")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    crash_point("write.done")
