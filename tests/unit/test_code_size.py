"""Small enough to read: no function over 40 lines and no module over 400 lines in the
application (migrations are history and stay as generated)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "archive_service"
MAX_FUNCTION, MAX_MODULE = 40, 400


def modules() -> list[Path]:
    found = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)
    assert len(found) > 100, f"the application's modules are not where this test looks: {ROOT}"
    return found


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE}
    assert not long, f"split these by meaning: {long}"


def test_no_function_is_over_40_lines():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = length
    assert not long, f"split these by meaning: {long}"
