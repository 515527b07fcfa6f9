"""Shared set-up of the district benchmark (not timed): N demo schools of different names in one
district installation — the district file, each school's accounts and snapshots put in through the
command line (`archive-service --school CODE …`), documents in S3 on moto's standalone server, jobs
through Redis — and the Celery worker processes that serve every school of it.

School i (0-based) is МБОУ СОШ № (21 + i), generated with seed 2026 + i (its own pupils, marks and
director), code sch<number>; № 21 is the demo school itself.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from dataclasses import replace
from typing import NamedTuple
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from archive_service import Archive  # noqa: E402
from archive_service.demo import write_demo_data  # noqa: E402
from archive_service.demo.identity import DEMO_NUMBER, SchoolIdentity  # noqa: E402
from store_support import start_moto  # noqa: E402  (the one way moto's server is started)

BUCKET = "district-documents"
PASSWORD = "bench-Pa55word!"
DEPUTY_LOGIN = "zavuch"
AFTER_THE_TERM = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
"""The closing process's clock: after the second quarter ended (25.12.2026): copies are final, no drafts."""


class DemoSchool(NamedTuple):
    """One school of the benchmark's district: its code, its identity and its snapshot files."""

    code: str
    identity: SchoolIdentity
    seed: int
    files: tuple[Path, ...]


def demo_schools(folder: Path, count: int, periods: tuple[str, ...]) -> list[DemoSchool]:
    """`count` demo schools' snapshot files of `periods`, each school in folder/<code>/."""
    schools = []
    for i in range(count):
        number, seed = DEMO_NUMBER + i, 2026 + i
        code = f"sch{number}"
        files = write_demo_data(folder / code, seed=seed, periods=periods, school=number)
        schools.append(DemoSchool(code, SchoolIdentity.of(number, seed), seed, tuple(files)))
    return schools


def write_district_file(path: Path, schools: list[DemoSchool]) -> Path:
    """The district file (docs/district.md) listing the schools; each school's database is SQLite in
    its home under the district's, its documents under the district store's prefix + its code."""
    lines = ['name = "Управление образования (измерение района)"', ""]
    for school in schools:
        lines += ["[[school]]", f'code = "{school.code}"', f'name = "{school.identity.short_name}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class S3Server:
    """moto's standalone S3 server for the whole run (one process), with the district's bucket."""

    def __enter__(self) -> "S3Server":
        import boto3

        self.process, self.url = start_moto()
        boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id="bench",
                     aws_secret_access_key="bench").create_bucket(Bucket=BUCKET)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def env(self, prefix: str) -> dict[str, str]:
        """The settings that put an installation's documents under s3://BUCKET/prefix (each school
        under prefix/<code>)."""
        return {"ARCHIVE_DOCUMENT_STORE": f"s3://{BUCKET}/{prefix}", "ARCHIVE_DOCUMENT_S3_ENDPOINT": self.url,
                "ARCHIVE_DOCUMENT_S3_ACCESS_KEY": "bench", "ARCHIVE_DOCUMENT_S3_SECRET_KEY": "bench"}


def district_env(home: Path, district_file: Path, redis_url: str, store: dict[str, str]) -> dict[str, str]:
    """The environment of every process of the installation: this one, the commands and the workers."""
    return {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_DISTRICT": str(district_file),
            "ARCHIVE_SECRET_KEY": "bench", "ARCHIVE_BROKER_URL": redis_url, "ARCHIVE_RESULT_BACKEND": redis_url,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p), **store}


def archive_service(env: dict[str, str], *args: str) -> str:
    """`archive-service ARGS` in a subprocess; its output; a failure stops the benchmark with its message."""
    command = [sys.executable, "-c", "from archive_service.cli.entry import main; main()", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"archive-service {' '.join(args[:4])}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def prepare_school(env: dict[str, str], school: DemoSchool) -> None:
    """As a school's administrator would: the first administrator, the deputy head (a named account),
    then the deputy imports the school's snapshots — every command with --school."""
    where = ("--school", school.code)
    archive_service(env, *where, "users", "create", "admin", "--name", school.identity.director, "--role", "admin",
                    "--password", PASSWORD, "--permanent")
    archive_service(env, *where, "--as", "admin", "users", "create", DEPUTY_LOGIN, "--name",
                    f"Заместитель директора {school.identity.short_name}", "--role", "deputy",
                    "--password", PASSWORD, "--permanent")
    out = archive_service(env, *where, "--as", DEPUTY_LOGIN, "snapshot", "import", "--quiet",
                          *(str(f) for f in school.files))
    if "ОТКЛОНЁН" in out:
        raise RuntimeError(f"{school.code}: snapshots refused:\n{out}")


def on_own_clock(archive: Archive) -> Archive:
    """The school's archive on a clock standing at `AFTER_THE_TERM` and ticking with the machine's."""
    started = time.monotonic()
    return replace(archive, moment=lambda: AFTER_THE_TERM + dt.timedelta(seconds=time.monotonic() - started))


class Workers:
    """K Celery worker processes on the installation's settings (ARCHIVE_DISTRICT: each serves every
    school), each `--concurrency 1` (one prefork child: a process per core, as hosts are added)."""

    def __init__(self, env: dict[str, str], count: int, logs: Path) -> None:
        self.env, self.count, self.logs = env, count, logs
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "Workers":
        for n in range(self.count):
            log = open(self.logs / f"worker-{n}.log", "wb")
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "archive_service.celery_app", "worker", "--concurrency", "1",
                 "-n", f"bench{n}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
                 "--loglevel", "WARNING"], env=self.env, stdout=log, stderr=subprocess.STDOUT))
            log.close()
        return self

    def wait_ready(self, celery, timeout: float = 180) -> None:
        """Until every worker answers a ping (its app built, every school's archive opened)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"a worker stopped at start: see {self.logs}")
            if len(celery.control.ping(timeout=1.0) or []) >= self.count:
                return
        raise RuntimeError(f"{self.count} workers did not answer within {timeout:.0f} s: see {self.logs}")

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
