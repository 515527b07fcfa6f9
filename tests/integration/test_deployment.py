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
