"""The lines of the architecture hold: layers, one Alembic head, the published schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from archive_service.adapters.db import MIGRATIONS
from archive_service.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


@pytest.mark.parametrize("library", ["signing", "retention", "storage"])
def test_the_libraries_know_nothing_of_the_application(library):
    loaded = imported_modules(f"import {library}")
    assert not {m for m in loaded if m.split(".")[0] in {"archive_service", "flask", "sqlalchemy", "celery"}}


def test_the_domain_imports_only_the_standard_library():
    loaded = imported_modules("import archive_service.domain.rules, archive_service.domain.preflight, "
                              "archive_service.domain.diff, archive_service.domain.chain")
    third_party = {m.split(".")[0] for m in loaded} & {"flask", "sqlalchemy", "pydantic", "celery", "orjson"}
    assert third_party == set()


def test_importing_the_package_does_no_work():
    loaded = imported_modules("import archive_service")
    assert "celery" not in {m.split(".")[0] for m in loaded}


def test_there_is_a_single_alembic_head():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_the_published_json_schema_is_generated_from_the_models():
    published = json.loads((ROOT / "docs/schema/journal-snapshot-1.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "regenerate: archive-service snapshot schema > docs/schema/..."


def test_the_documented_example_is_a_valid_snapshot():
    from archive_service.schema import parse_snapshot

    page = (ROOT / "docs/snapshot-format.md").read_text(encoding="utf-8")
    example = page.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert parse_snapshot(example).class_.name
