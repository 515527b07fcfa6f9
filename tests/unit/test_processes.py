"""The writer identity a re-run uses to tell a killed backup writer from one still at work."""

from __future__ import annotations

import subprocess
import sys

from archive_service.adapters import processes


def test_this_process_is_alive_a_finished_one_is_gone_and_another_host_cannot_be_told():
    assert processes.is_gone(processes.this_process()) is False
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    host, _, _ = processes.this_process().rsplit(":", 2)
    identity = f"{host}:{child.pid}:{processes._started(child.pid)}"
    assert processes.is_gone(identity) is False
    child.kill()
    child.wait()
    assert processes.is_gone(identity) is True
    assert processes.is_gone("другой-сервер:1:1") is None


def test_a_reused_process_id_is_not_taken_for_the_writer():
    host, pid, started = processes.this_process().rsplit(":", 2)
    assert processes.is_gone(f"{host}:{pid}:{int(started) - 1}") is True
