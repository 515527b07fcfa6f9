"""The test-only crash hook: nothing without its variable; SIGKILL of the process group at the N-th hit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REACH_TWICE = "from storage.crash_points import crash_point; crash_point('p'); crash_point('p'); print('lived')"


def reach_twice(kill_at: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_TEST_KILL_AT"} | {"PYTHONPATH": str(ROOT)}
    if kill_at is not None:
        env["ARCHIVE_TEST_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-c", REACH_TWICE], env=env, capture_output=True, text=True,
                          start_new_session=True, timeout=60)


def test_a_crash_point_does_nothing_unless_the_variable_names_it():
    for kill_at in (None, "", "other:1", "p:3"):
        result = reach_twice(kill_at)
        assert (result.returncode, result.stdout) == (0, "lived\n"), kill_at


def test_the_nth_time_a_named_point_is_reached_the_process_is_killed():
    result = reach_twice("p:2")
    assert result.returncode == -signal.SIGKILL and result.stdout == ""
