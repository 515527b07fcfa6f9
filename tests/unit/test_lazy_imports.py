"""A process that only renders, stores or serves pages never loads pyHanko, Alembic or boto3: they
are imported where a signature is made or checked, a migration runs or an S3 medium is used
(signing/__init__ exports by PEP 562; bootstrap, services and commands import them in place).
Render workers start ~27 MiB smaller for it (issue 20)."""

import subprocess
import sys

HEAVY = ("pyhanko", "pyhanko_certvalidator", "alembic", "boto3", "botocore")
ENTRY_POINTS = ("archive_service.bootstrap", "archive_service.app", "archive_service.cli",
                "archive_service.adapters.local_jobs", "archive_service.services.documents")


def test_the_entry_points_import_no_signing_migration_or_s3_library():
    code = ("import importlib, sys\n"
            f"for name in {ENTRY_POINTS!r}: importlib.import_module(name)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_a_lazy_name_of_signing_is_the_one_its_module_defines():
    code = ("import sys, signing\n"
            "from signing import SigningError\n"
            "assert 'pyhanko' not in sys.modules\n"
            "from signing import verify_pdf\n"
            "import signing.verify\n"
            "assert verify_pdf is signing.verify.verify_pdf and 'pyhanko' in sys.modules\n"
            "assert sorted(signing.__all__) == sorted(signing._HOME_OF)\n"
            "try:\n    signing.no_such_name\nexcept AttributeError: print('ok')\n")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "ok\n"
