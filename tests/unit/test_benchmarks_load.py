"""Every benchmark still loads against today's code (a renamed function broke two of them once).

A module whose name starts with «_» is shared set-up for the benchmarks (benchmarks/_demo_school.py), not a
benchmark: it must import, and it has no main().
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[2] / "benchmarks"
BENCHMARKS = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))
SHARED = sorted(HERE.glob("_*.py"))


def _load(path):
    spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # imports only: main() runs under __name__ == "__main__"
    return module


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.stem)
def test_the_benchmark_loads(path):
    assert callable(_load(path).main)


@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.stem)
def test_the_shared_set_up_loads_and_is_no_benchmark(path):
    assert not hasattr(_load(path), "main")


def test_the_load_scenario_gives_locust_a_user_of_every_role_and_the_public_check(tmp_path):
    # locust patches the standard library for gevent when imported: the scenario loads in a process of its own
    import json
    import os
    import subprocess
    import sys

    facts = tmp_path / "facts.json"
    school = _load(HERE / "_load_school.py")
    facts.write_text(json.dumps({"periods": [], "documents": [], "classes": [], "register": [], "surnames": [],
                                 "logins": {role: [role] for role in school.ROLES}, "password": "",
                                 "weights": school.WEIGHTS}), encoding="utf-8")
    listed = subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locustfiles" / "district.py"),
                             "--list"], env={**os.environ, "ARCHIVE_LOAD_FACTS": str(facts)},
                            capture_output=True, text=True, timeout=120, check=True)
    users = listed.stdout.split("Available Users:")[1].split()
    assert users == ["Deputy", "Secretary", "Director", "Inspector", "Administrator", "SheetCheck"]
    # the scenario signs in as the demo school's account of each role, and as more people of the role
    assert {role for _name, role in school.DEMO_ACCOUNTS.values()} == set(school.ROLES)
    assert school.people_per_role(200) == {"deputy": 50, "secretary": 40, "director": 20, "inspector": 40, "admin": 10}


def test_the_load_report_tells_the_arrivals_from_the_whole_staff_at_work(tmp_path):
    import json

    load = _load(HERE / "load.py")
    assert load.percentile([5, 1, 4, 2, 3], 0.5) == 3
    assert load.percentile(list(range(1, 101)), 0.95) == 95
    assert load.percentile([7], 0.99) == 7
    times = tmp_path / "times.jsonl"
    rows = [{"at": 10.0, "kind": "POST /login", "ms": 900, "error": None},
            {"full_strength": 20.0, "users": 200},
            {"at": 19.5, "kind": "GET /period", "ms": 400, "error": "no answer"},
            {"at": 20.0, "kind": "GET /period", "ms": 50, "error": None},
            {"at": 25.0, "kind": "GET /register", "ms": 70, "error": None}]
    times.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    split = load.phases(times)
    assert [r["ms"] for r in split["start"]] == [900, 400]
    assert [r["ms"] for r in split["full strength"]] == [50, 70]
