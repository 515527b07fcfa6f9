"""Test-only fault hook: named points where the crash tests kill the process (kill -9).

`crash_point(name)` does nothing unless the environment variable `ARCHIVE_TEST_KILL_AT` is set
to `name:N`; then the N-th time this process reaches that point it sends SIGKILL to its whole
process group — the command and its worker processes die together, as on a power failure.
Only tests/crash_support.py sets the variable, and it starts the command in a session of its
own, so nothing outside the command is hit. It lives in `storage`, the lowest layer, so that
both the libraries and the services can name points; it imports only the standard library.
"""

from __future__ import annotations

import os
import signal

ENV = "ARCHIVE_TEST_KILL_AT"
_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, times = wanted.rpartition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] == int(times):
        os.killpg(os.getpgrp(), signal.SIGKILL)
