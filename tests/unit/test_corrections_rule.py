"""The rule of corrections: which copy replaces which, and which is in force."""

from __future__ import annotations

from archive_service.domain.corrections import Copy, current, replacements


def test_a_copy_is_replaced_by_the_copy_of_the_same_kind_from_the_nearest_newer_version():
    copies = [Copy(1, "class_journal", 1), Copy(2, "class_journal", 2), Copy(3, "class_journal", 3),
              Copy(4, "summary_sheet", 1)]
    assert replacements(copies) == {1: 2, 2: 3}


def test_a_version_without_a_copy_is_skipped():
    assert replacements([Copy(1, "class_journal", 1), Copy(7, "class_journal", 4)]) == {1: 7}


def test_copies_of_one_version_with_other_print_options_replace_nothing_and_the_newest_made_replaces_older():
    copies = [Copy(1, "class_journal", 1), Copy(2, "class_journal", 1), Copy(5, "class_journal", 2),
              Copy(6, "class_journal", 2)]
    assert replacements(copies) == {1: 6, 2: 6}


def test_the_copy_in_force_is_the_end_of_the_replacements():
    assert current(1, {1: 2, 2: 3}) == 3 and current(3, {1: 2, 2: 3}) == 3 and current(1, {1: 2, 2: 1}) in (1, 2)


def test_the_rule_imports_only_the_standard_library():
    import subprocess
    import sys

    code = "import sys, archive_service.domain.corrections; print('\\n'.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not {m.split(".")[0] for m in loaded} & {"flask", "sqlalchemy", "pydantic", "celery", "orjson"}
