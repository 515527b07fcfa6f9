"""Load: a district's staff at work in the archive at once — by default 200 virtual users across the roles
browsing, searching, previewing and downloading (`benchmarks/locustfiles/district.py` says what each does)
— against gunicorn on PostgreSQL, as a school's server would run it.

Set-up (not timed, `benchmarks/_load_school.py`): a fresh database of its own on the PostgreSQL server
(ARCHIVE_BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test), the demo school made
in it by `archive-service demo`, a known password for every demo account. Then gunicorn with the archive's
own settings (`archive_service/gunicorn_conf.py`) on a free port of 127.0.0.1, and locust, headless, in
processes of their own. Printed: p50, p95 and p99 of every kind of request and of all of them, the errors
(a status other than 2xx/3xx, or the login form shown to a signed-in user), then

    RESULT web_p50_ms <v> ms
    RESULT web_p95_ms <v> ms
    RESULT web_p99_ms <v> ms
    RESULT web_rps <v> req/s
    RESULT web_errors <n>
    RESULT web_p95_ms_full_strength <v> ms
    RESULT web_errors_full_strength <n>

— the first five over the whole run, the last two over the requests sent once every user had started (the
arrivals, when every person signs in — argon2, ~0.17 s of processor each — are the run's hardest part, and
reported apart). Before the load the fresh database is vacuumed and analysed and the machine left to calm
down after the set-up (`_load_school.settle`).

gunicorn and locust are stopped and the database dropped at the end, on Ctrl-C or SIGTERM too.

    python benchmarks/load.py [--users 200] [--seconds 180] [--spawn-rate 5] [--workers 4] [--threads 4]

Workers and threads: the archive's pages are Python (Jinja, SQLAlchemy) bound by the CPU, so a process per
core does the work and one more per core covers the time a request waits for PostgreSQL or the disk; 4
threads each (gunicorn_conf's) let a slow request (a PDF, a page image) not hold the others up. See
docs/load.md for what was measured with other counts.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load_school import (PASSWORD, WEIGHTS, archive_environment, fresh_database, make_demo_school,  # noqa: E402
                          scenario_facts, settle, staff_accounts)

LOCUSTFILE = Path(__file__).resolve().parent / "locustfiles" / "district.py"
GOAL_P95_MS = 300


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="virtual users at once (default 200)")
    parser.add_argument("--seconds", type=int, default=180,
                        help="how long the load lasts (default 180: 40 s of arrivals, then the whole staff at work)")
    parser.add_argument("--spawn-rate", type=float, default=5,
                        help="users started (each signing in) a second (default 5: all 200 in 40 s)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4: 2 a core)")
    parser.add_argument("--threads", type=int, default=4, help="threads of each worker (default 4)")
    return parser.parse_args(argv)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _terminated_on_signal():
    """SIGTERM unwinds like Ctrl-C, so that every `finally` below runs; a second one (or Ctrl-C) while the
    clean-up runs is ignored rather than cutting it short."""
    def interrupt(_signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt), signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def _stop(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM, then after `grace` seconds SIGKILL to the process's whole group (it was started in a session
    of its own): gunicorn's workers go with their master even when it is killed mid-way."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path):
    """The archive served by gunicorn on 127.0.0.1:`port` until the block ends (it answers /login first)."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:archive_service.gunicorn_conf",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
               "archive_service:create_app()"]
    with open(log, "w", encoding="utf-8") as out:
        # a session of its own: Ctrl-C reaches this script, which stops the server in its turn
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(server, f"http://127.0.0.1:{port}/login", log)
        yield server
    finally:
        _stop(server)


def _wait_until_up(server: subprocess.Popen, url: str, log: Path, within: float = 90) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {within:.0f} s")


def run_locust(host: str, facts: Path, args: argparse.Namespace, csv_prefix: Path) -> None:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host,
               "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
               "--stop-timeout", "10", "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
               "--exit-code-on-error", "0"]
    locust = subprocess.Popen(command, env={**os.environ, "ARCHIVE_LOAD_FACTS": str(facts),
                                            "ARCHIVE_LOAD_TIMES": f"{csv_prefix}_times.jsonl"},
                              start_new_session=True)
    try:
        if locust.wait(args.seconds + 120):
            raise RuntimeError(f"locust failed ({locust.returncode})")
    finally:
        _stop(locust)


def _percentiles(csv_prefix: Path) -> list[dict[str, str]]:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` of 1) of `values`: the smallest value that at least that share of
    them do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)] if ordered else float("nan")


def phases(times_file: Path) -> dict[str, list[dict]]:
    """The run's requests (`locustfiles/district.py` writes them) in two phases: «start», while people were
    still arriving and signing in, and «full strength», those sent once every user had started."""
    rows = [json.loads(line) for line in times_file.read_text(encoding="utf-8").splitlines()]
    full = next((row["full_strength"] for row in rows if "full_strength" in row), float("inf"))
    requests = [row for row in rows if "ms" in row]
    return {"start": [r for r in requests if r["at"] < full], "full strength": [r for r in requests if r["at"] >= full]}


def report_phases(times_file: Path) -> None:
    """p50/p95/p99 and errors of each phase, and the full-strength p95 as a RESULT line."""
    for phase, rows in phases(times_file).items():
        ms = [r["ms"] for r in rows]
        errors = sum(r["error"] is not None for r in rows)
        print(f"{phase}: {len(rows)} requests, p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
              f"p99 {percentile(ms, 0.99):.0f} ms, {errors} errors")
        if phase == "full strength":
            print(f"RESULT web_p95_ms_full_strength {percentile(ms, 0.95):.0f} ms")
            print(f"RESULT web_errors_full_strength {errors}")


def report(csv_prefix: Path, seconds: int) -> int:
    """Print the table and the RESULT lines; the number of errors."""
    rows = _percentiles(csv_prefix)
    print(f"{'request':<58} {'count':>7} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in rows:
        name = row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(f"{name[:58]:<58} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
    with open(f"{csv_prefix}_failures.csv", encoding="utf-8", newline="") as failures:
        for failure in csv.DictReader(failures):
            print(f"error ×{failure['Occurrences']}: {failure['Method']} {failure['Name']}: {failure['Error']}")
    with open(f"{csv_prefix}_exceptions.csv", encoding="utf-8", newline="") as raised:
        for exception in csv.DictReader(raised):  # the scenario's own faults, not the server's: fix them
            print(f"scenario error ×{exception['Count']}: {exception['Message']}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    print(f"RESULT web_p50_ms {total['50%']} ms")
    print(f"RESULT web_p95_ms {total['95%']} ms")
    print(f"RESULT web_p99_ms {total['99%']} ms")
    print(f"RESULT web_rps {float(total['Requests/s']):.1f} req/s")
    print(f"RESULT web_errors {errors}")
    report_phases(Path(f"{csv_prefix}_times.jsonl"))
    return errors


def _set_up(env: dict[str, str], work: Path, users: int) -> Path:
    """The demo school, the staff's accounts, and the facts file the scenario reads."""
    started = time.perf_counter()
    print("the demo school on PostgreSQL (archive-service demo, a few minutes)…", file=sys.stderr)
    make_demo_school(env)
    facts = {**scenario_facts(env), "logins": staff_accounts(env, users), "password": PASSWORD, "weights": WEIGHTS}
    path = work / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    settle(env["ARCHIVE_DATABASE_URL"])
    print(f"set up in {time.perf_counter() - started:.0f} s: {len(facts['documents'])} signed documents, "
          f"{len(facts['periods'])} periods, {len(facts['register'])} register entries, "
          f"{sum(map(len, facts['logins'].values()))} accounts", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    with _terminated_on_signal(), ExitStack() as stack:
        database = stack.enter_context(fresh_database())
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="archive-load-")))
        env = archive_environment(work / "home", database)
        facts = _set_up(env, work, args.users)
        port = _free_port()
        env.update(ARCHIVE_PUBLIC_URL=f"http://127.0.0.1:{port}", ARCHIVE_PRODUCTION="1",
                   # every virtual visitor comes from 127.0.0.1: the per-address limit of the public check stays
                   # on (its cost is part of the page) at a count one address shared by all of them never reaches
                   ARCHIVE_CHECK_PER_MINUTE="1000000")
        stack.enter_context(gunicorn(env, port, args.workers, args.threads, work / "gunicorn.log"))
        load = os.getloadavg()
        print(f"load: {args.users} users for {args.seconds} s, gunicorn {args.workers} workers × {args.threads} "
              f"threads; load average before {load[0]:.2f}", file=sys.stderr)
        run_locust(f"http://127.0.0.1:{port}", facts, args, work / "locust")
        print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)", file=sys.stderr)
        errors = report(work / "locust", args.seconds)
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
