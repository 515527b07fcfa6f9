"""The production web server (real gunicorn with `archive_service/gunicorn_conf.py`, as the Makefile,
the Dockerfile and docker-compose.yml start it) answers an address or headers too large for it in
Russian, not gunicorn's English «Request Line is too large»; ordinary pages still reach the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_service.config import PROJECT_ROOT
from store_support import store_env

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port: int, request: bytes) -> tuple[int, str, str]:
    """(status, headers, body) of a raw HTTP request."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.decode("latin-1"), body.decode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("gunicorn-home")
    port = free_port()
    env = {**os.environ, "ARCHIVE_HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT), **store_env(home)}
    log = (home / "gunicorn.log").open("w")
    process = subprocess.Popen([str(GUNICORN), "-c", "python:archive_service.gunicorn_conf", "--bind",
                                f"127.0.0.1:{port}", "--workers", "1", "archive_service:create_app()"],
                               cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            status, _, _ = ask(port, b"GET /login HTTP/1.1\r\nHost: archive\r\nConnection: close\r\n\r\n")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start: {(home / 'gunicorn.log').read_text()[-2000:]}")
            time.sleep(0.3)
    assert status == 200
    yield port, home / "gunicorn.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_an_address_too_long_is_answered_in_russian(server):
    port, log = server
    path = ("/inspect?student=" + "%D0%9A" * 1700)[:10_000]  # a 10,000-character address
    assert len(path) == 10_000
    status, head, body = ask(port, f"GET {path} HTTP/1.1\r\nHost: archive\r\nConnection: close\r\n\r\n".encode())
    assert status == 414 and "Content-Type: text/html; charset=utf-8" in head
    assert "Слишком длинный адрес страницы" in body and "Сократите текст поиска" in body
    assert "Request Line" not in body and "too large" not in body and "URI Too Long" not in body
    assert "Invalid request from ip=127.0.0.1" in log.read_text(), "logged as gunicorn logs it"


def test_headers_too_large_and_an_unreadable_request_line_are_answered_in_russian(server):
    port, _ = server
    cookie = "x=" + "a" * 9000
    status, _, body = ask(port, f"GET / HTTP/1.1\r\nHost: archive\r\nCookie: {cookie}\r\n\r\n".encode())
    assert status == 431 and "Слишком большой запрос" in body and "header" not in body.lower()
    status, _, body = ask(port, b"GARBAGE\r\n\r\n")
    assert status == 400 and "Сервер архива не смог прочитать запрос" in body and "Invalid" not in body


def test_an_address_within_the_limit_reaches_the_app(server):
    port, _ = server
    status, _, body = ask(port, ("GET /login?next=" + "%D0%9A" * 160 + " HTTP/1.1\r\nHost: archive\r\n"
                                 "Connection: close\r\n\r\n").encode())
    assert status == 200 and "<form" in body


def test_every_way_the_archive_is_served_uses_the_config():
    import json

    import yaml  # PyYAML: a dependency of schemathesis (the test extra)

    config = ["-c", "python:archive_service.gunicorn_conf"]
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "gunicorn -c python:archive_service.gunicorn_conf " in makefile
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    cmd = json.loads(dockerfile.split("CMD ", 1)[1].replace("\\\n", ""))
    assert cmd[:3] == ["gunicorn", *config]
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["command"][:3] == ["gunicorn", *config]
