"""The entry points' lines hold: the command-line package has no import cycles, the demo is a use
case that knows no command line, and services never run work themselves (no Celery, no pools)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "archive_service"


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_command_modules_share_only_the_common_module():
    for path in (PACKAGE / "cli").glob("*.py"):
        of_cli = {m for m in imports(path) if m == "archive_service.cli" or m.startswith("archive_service.cli.")}
        if path.stem == "common":
            assert of_cli == set(), path.name
        elif path.stem not in ("entry", "__init__"):
            assert of_cli <= {"archive_service.cli.common"}, (path.name, of_cli)


def test_nothing_outside_the_command_line_imports_it_but_the_app_factory():
    importers = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                 if "cli" not in path.relative_to(PACKAGE).parts
                 and any(m.startswith("archive_service.cli") for m in imports(path))}
    assert importers == {"app.py"}


def test_the_demo_use_case_knows_no_command_line():
    loaded = imports(PACKAGE / "demo" / "tour.py")
    assert not {m for m in loaded
                if m.split(".")[0] in {"click", "flask", "tqdm"} or m.startswith("archive_service.cli")}


def test_services_never_import_celery_process_pools_threads_or_adapters_that_run_work():
    forbidden = {"celery", "multiprocessing", "threading", "concurrent.futures", "archive_service.tasks",
                 "archive_service.adapters.local_jobs", "archive_service.adapters.job_runners"}
    for path in (PACKAGE / "services").glob("*.py"):
        assert not imports(path) & forbidden, path.name
