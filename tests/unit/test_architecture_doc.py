"""docs/architecture.md tells a newcomer where each archival rule lives: every file and name it
gives exists, and the rule modules of the domain import only the standard library."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "architecture.md"
REQUIRED = ("The 1 January rule", "Sheet numbering", "The sheet count in words", "The stamp text",
            "The role matrix", "The backup encryption parameters", "The procedure deadlines",
            "Retention periods", "Period names")


def rule_rows() -> list[tuple[str, str, str]]:
    section = PAGE.read_text(encoding="utf-8").split("## Where each archival rule lives", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `([^`]+)` \| `([^`]+)` \|$", section, re.M)
    assert rows, "the table of rules is missing"
    return rows


def top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_every_rule_the_issue_names_has_a_row():
    rules = [rule for rule, _, _ in rule_rows()]
    for required in REQUIRED:
        assert sum(rule.startswith(required) for rule in rules) == 1, required


def test_every_named_file_defines_the_named_symbol():
    for rule, file, name in rule_rows():
        path = ROOT / file
        assert path.is_file(), (rule, file)
        assert name in top_level_names(path), (rule, file, name)


def test_the_domains_rule_modules_import_only_the_standard_library():
    modules = sorted({file[:-3].replace("/", ".") for _, file, _ in rule_rows()
                      if file.startswith("archive_service/domain/")})
    code = f"import sys; import {', '.join(modules)}; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ROOT).stdout.split()
    ours = {m for m in loaded if m.split(".")[0] == "archive_service"}
    assert ours <= {"archive_service", "archive_service.domain", *modules, "archive_service.domain.roles"}
    assert not {m.split(".")[0] for m in loaded} & {"flask", "sqlalchemy", "pydantic", "celery", "weasyprint"}
