"""HTTP for the connectors: one cookie-keeping session, time-outs, bounded retries with back-off,
and — for pilots — recording of every exchange (no credentials) and replay with no network.

A connector calls `transport.request(...)` and reads `Reply`; it never imports `requests`.
`RecordingTransport` writes each exchange to DIR as `NNNN.json`; `ReplayTransport` answers the
same requests from such a folder, in order per (method, path, query), so a school's recorded
pull can be turned into snapshots anywhere. Values of parameters, form fields and headers named
in `SECRET_NAMES` are replaced by «***» before anything is written — in the final address of a
redirected request too (Дневник.ру's sign-in ends on an address whose fragment holds
`access_token`), which is kept so a replayed sign-in ends where the recorded one did.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from archive_service.adapters.sources.base import SourceShapeError, SourceUnreachableError

SECRET_NAMES = frozenset({"pw", "pw2", "password", "devkey", "auth_token", "at", "access-token", "access_token",
                          "authorization", "cookie", "set-cookie", "token", "v_token", "refreshtoken", "accesstoken"})
REDACTED = "***"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as a connector needs it."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes

    def json(self, what: str) -> Any:
        """The body as JSON; `what` names the request in the Russian error if it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            raise SourceShapeError(f"{what}: сервер ответил не в формате JSON (код {self.status})") from None


def _redacted(values: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: (REDACTED if k.lower() in SECRET_NAMES else v) for k, v in (values or {}).items()}


def _redacted_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if str(k).lower() in SECRET_NAMES else _redacted_tree(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted_tree(v) for v in value]
    return value


def _redacted_url(url: str) -> str:
    """The address with the values of secret-named query and fragment parameters replaced."""
    parts = urlsplit(url)

    def clean(part: str) -> str:
        pairs = parse_qsl(part, keep_blank_values=True)
        if not pairs:
            return part
        return urlencode([(k, REDACTED if k.lower() in SECRET_NAMES else v) for k, v in pairs], safe="*")

    return urlunsplit(parts._replace(query=clean(parts.query), fragment=clean(parts.fragment)))


def _redacted_body(body: bytes) -> str:
    """A reply body for the record: a sign-in answer carries the new token (ЭлЖур `result.token`,
    NetSchool `at`), so a JSON body has the values of secret-named keys replaced at any depth."""
    text = body.decode("utf-8", errors="replace")
    try:
        tree = json.loads(text)
    except ValueError:
        return text
    return json.dumps(_redacted_tree(tree), ensure_ascii=False)


class Transport:
    """Requests to one server, with its cookies; retries connection errors and 5xx answers."""

    def __init__(self, base_url: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5,
                 system_name: str = "журнальная система"):
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.system_name = system_name
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "archive-service"

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path.lstrip("/")

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, json_body: Any = None,
                headers: Mapping[str, str] | None = None, allow_redirects: bool = True) -> Reply:
        """One request; a 5xx or a dropped connection is retried `retries` times with back-off."""
        last: str = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                r = self.session.request(method, self.url(path), params=params, data=data, json=json_body,
                                         headers=dict(headers or {}), timeout=self.timeout,
                                         allow_redirects=allow_redirects)
            except requests.RequestException as exc:
                last = f"нет связи с сервером ({type(exc).__name__})"
                continue
            reply = Reply(r.status_code, r.url, dict(r.headers), r.content)
            self.exchanged(method, path, params, data, json_body, reply)
            if r.status_code < 500:
                return reply
            last = f"сервер ответил ошибкой {r.status_code}"
        raise SourceUnreachableError(f"{self.system_name}: {last} ({self.url(path).split('?')[0]}); "
                                     f"попыток: {self.retries + 1}")

    def exchanged(self, method: str, path: str, params: Any, data: Any, json_body: Any, reply: Reply) -> None:
        """Called after every answer (a hook for recording)."""


class RecordingTransport(Transport):
    """A transport that also writes every exchange, without credentials, to `folder`."""

    def __init__(self, base_url: str, folder: Path, **kwargs: Any):
        super().__init__(base_url, **kwargs)
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._n = len(list(folder.glob("*.json")))

    def exchanged(self, method: str, path: str, params: Any, data: Any, json_body: Any, reply: Reply) -> None:
        entry = {"method": method, "path": path, "url": _redacted_url(reply.url), "params": _redacted(params),
                 "form": _redacted(data),
                 "json": json_body if not isinstance(json_body, dict) else _redacted(json_body),
                 "status": reply.status, "headers": _redacted(reply.headers),
                 "body": _redacted_body(reply.body)}
        with self._lock:
            self._n += 1
            (self.folder / f"{self._n:05d}.json").write_text(json.dumps(entry, ensure_ascii=False, indent=1),
                                                              encoding="utf-8")


class ReplayTransport(Transport):
    """Answers from a recorded folder, no network: each (method, path, query) in recorded order."""

    def __init__(self, folder: Path, **kwargs: Any):
        super().__init__("http://replay.invalid/", **kwargs)
        self._queue: dict[tuple[str, str, str], list[dict]] = {}
        for file in sorted(folder.glob("*.json")):
            entry = json.loads(file.read_text(encoding="utf-8"))
            self._queue.setdefault(self._key(entry["method"], entry["path"], entry["params"]), []).append(entry)
        self._lock = threading.Lock()

    @staticmethod
    def _key(method: str, path: str, params: Mapping[str, Any] | None) -> tuple[str, str, str]:
        return method.upper(), path, json.dumps(_redacted(params), sort_keys=True, ensure_ascii=False)

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, json_body: Any = None,
                headers: Mapping[str, str] | None = None, allow_redirects: bool = True) -> Reply:
        key = self._key(method, path, params)
        with self._lock:
            waiting = self._queue.get(key)
            if not waiting:
                raise SourceShapeError(f"в записанных ответах нет запроса {method.upper()} {path} "
                                       "с такими параметрами: запись неполная или сделана другой версией")
            entry = waiting.pop(0) if len(waiting) > 1 else waiting[0]  # the last answer repeats
        return Reply(entry["status"], entry.get("url") or path, entry.get("headers", {}),
                     entry["body"].encode("utf-8"))
