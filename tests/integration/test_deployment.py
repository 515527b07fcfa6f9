"""The production deployment files stay valid."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_config_is_valid():
    env = {**os.environ, "POSTGRES_PASSWORD": "p", "ARCHIVE_SECRET_KEY": "s", "MINIO_ROOT_USER": "u",
           "MINIO_ROOT_PASSWORD": "password", "ARCHIVE_PUBLIC_URL": "https://archive.school21.ru"}
    result = subprocess.run(["docker-compose", "config"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for service in ("postgres", "redis", "minio", "web", "worker", "beat", "migrate"):
        assert f"  {service}:" in result.stdout
    assert "ARCHIVE_PUBLIC_URL: https://archive.school21.ru" in result.stdout
    assert "ARCHIVE_PRODUCTION: \"true\"" in result.stdout or "ARCHIVE_PRODUCTION: 'true'" in result.stdout


def test_the_compose_file_refuses_to_start_without_the_address_printed_in_qr_codes():
    env = {**os.environ, "POSTGRES_PASSWORD": "p", "ARCHIVE_SECRET_KEY": "s", "MINIO_ROOT_USER": "u",
           "MINIO_ROOT_PASSWORD": "password"}
    env.pop("ARCHIVE_PUBLIC_URL", None)
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "ARCHIVE_PUBLIC_URL" in result.stderr


def test_the_compose_file_refuses_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"POSTGRES_PASSWORD", "ARCHIVE_SECRET_KEY"}}
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr


def test_the_documents_live_in_minio_and_a_worker_host_needs_no_shared_disk():
    env = {**os.environ, "POSTGRES_PASSWORD": "p", "ARCHIVE_SECRET_KEY": "s", "MINIO_ROOT_USER": "u",
           "MINIO_ROOT_PASSWORD": "password", "ARCHIVE_PUBLIC_URL": "https://archive.school21.ru"}
    main = subprocess.run(["docker-compose", "config"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert main.returncode == 0, main.stderr
    assert "ARCHIVE_DOCUMENT_STORE: s3://archive-documents/school" in main.stdout
    assert "ARCHIVE_DOCUMENT_S3_ENDPOINT: http://minio:9000" in main.stdout
    assert "archive/archive-documents" in main.stdout
    worker = subprocess.run(["docker-compose", "-f", "docker-compose.worker.yml", "config"], cwd=ROOT,
                            env={**env, "MAIN_HOST": "10.0.0.5", "ARCHIVE_SOURCE_KEY": "k"}, capture_output=True,
                            text=True)
    assert worker.returncode == 0, worker.stderr
    assert "ARCHIVE_DOCUMENT_S3_ENDPOINT: http://10.0.0.5:9000" in worker.stdout
    assert "ARCHIVE_BROKER_URL: redis://10.0.0.5:6379/0" in worker.stdout
    # no data volume: the only mount is the district's list of schools, read-only
    mounts = [line.strip() for line in worker.stdout.splitlines() if line.strip().startswith("- ") and ":/" in line]
    assert [m for m in mounts if not m.endswith("/config:/config:ro")] == [] and "archive-data" not in worker.stdout
    refused = subprocess.run(["docker-compose", "-f", "docker-compose.worker.yml", "config", "-q"], cwd=ROOT,
                             env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "MAIN_HOST" in refused.stderr
