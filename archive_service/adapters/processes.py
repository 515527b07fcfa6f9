"""Who is writing: an identity of this process that another process can test for life.

A backup set being written is marked with its writer's identity (host, process id, the
process's start time). A re-run on the same host can then tell a writer killed with kill -9
(its process is gone, or the id now belongs to a process started later) from one still at
work; on another host it cannot, and the caller falls back on the writer's heartbeat.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot ('' where /proc is not available)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the name before ")" may hold spaces


def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def is_gone(identity: str) -> bool | None:
    """True when the process is certainly gone, False when it runs, None when this host cannot tell."""
    parts = identity.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return None
    pid, started = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return bool(started) and _started(pid) != started
