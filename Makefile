# archive_service — the two commands of the README, and a few helpers.
#   make demo   install everything (Debian packages, .venv, the package) and run the main job
#   make test   install the test needs, run the static checks (make check), then the whole suite,
#               then the integration tier once more with the documents in S3 (moto's server)
#   make run    serve the web app on the demo data (runs the demo first if there is none)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARCHIVE_HOME ?= var
export ARCHIVE_HOME
PYTEST_ARGS ?=

.PHONY: demo test check run install install-test services benchmark load clean

$(VENV)/.installed: pyproject.toml
	scripts/system-deps.sh run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip==26.3
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	scripts/system-deps.sh test
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

services: install-test
	scripts/services.sh

demo: install
	$(BIN)/archive-service demo

run: install
	test -f $(ARCHIVE_HOME)/archive.sqlite3 || $(BIN)/archive-service demo
	$(BIN)/gunicorn -c python:archive_service.gunicorn_conf --bind 127.0.0.1:5000 --workers 2 'archive_service:create_app()'

# Static checks, each failing the build: lint, types (strict on the libraries and the domain, the
# default level on the application), and the import contracts of pyproject.toml.
check: install-test
	$(BIN)/ruff check --no-cache .
	$(BIN)/mypy --strict --cache-dir .mypy_cache/strict signing retention storage archive_service/domain
	$(BIN)/mypy --cache-dir .mypy_cache/app archive_service
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

# The whole suite runs on the embedded document store (a directory in ARCHIVE_HOME); the second pass
# runs the integration and web tiers again with every test archive's documents in an S3 bucket (moto's
# server over HTTP, tests/store_support.py), the store a district installation uses, so that
# nothing in the services, the workers, the commands or the pages works only with files on a local disk. The
# second pass runs on SQLite only: the store does not depend on the database (the whole suite, every
# tier on both databases, passed in S3 on 1 December 2026 at 4dd6c39: 2534 tests), and CI stays well
# inside its 90 minutes (that day on the idle machine: 28 min, then 15 min for the S3 pass).
test: check services
	$(BIN)/pytest -n 2 -p no:cacheprovider --durations=40 $(PYTEST_ARGS)
	ARCHIVE_TEST_DOCUMENT_STORE=s3 $(BIN)/pytest -n 2 -p no:cacheprovider --durations=20 -m "not postgres" tests/integration tests/web

benchmark: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/sign.py --gost
	$(BIN)/python benchmarks/backup.py
	$(BIN)/python benchmarks/pull.py
	$(BIN)/python benchmarks/term.py
	$(BIN)/python benchmarks/district.py  # needs Redis (scripts/services.sh)

# 200 virtual staff against gunicorn on PostgreSQL (docs/load.md); a few minutes
load: services
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build *.egg-info
