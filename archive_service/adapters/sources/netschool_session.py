"""The conversation with a NetSchool server: sign-in (password or an imported session token), the
`at` header on every call, the security warning acknowledged, one fresh sign-in for a dead session
however many threads met it. The module docstring of `netschool.py` describes the exchange.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from archive_service.adapters.sources.base import (Credentials, SessionExpiredError, SourceAuthError, SourceError,
                                                   SourceShapeError)
from archive_service.adapters.sources.netschool_journal import need, need_list
from archive_service.adapters.sources.transport import Reply, Transport

API = "webapi/"
SECURITY_WARNING = "/asp/SecurityWarning.asp"
EXPIRED = "Сетевой город: сеанс истёк — войдите через Госуслуги и импортируйте новый"


def password_hashes(password: str, salt: str) -> tuple[str, str]:
    """(pw, pw2) as NetSchool's login form wants them."""
    inner = hashlib.md5(password.encode("windows-1251")).hexdigest()
    pw2 = hashlib.md5((salt + inner).encode("ascii")).hexdigest()
    return pw2[: len(password)], pw2


class NetSchoolSession:
    """A signed-in session with a NetSchool server (the requests; what they mean is `NetSchoolSource`'s)."""

    def __init__(self, credentials: Credentials, transport: Transport):
        self.credentials = credentials
        self.transport = transport
        self.transport.system_name = "Сетевой город"
        self.token_mode = credentials.extra.get("auth") == "token"
        self._at = ""
        self._generation = 0
        self._lock = threading.Lock()
        self._product = "Сетевой город. Образование"

    def _login(self) -> None:
        """A fresh `at` (password) or the imported one (token)."""
        info = self.transport.request("GET", API + "logindata").json("logindata")
        self._product = str(info.get("productName") or self._product)
        if self.token_mode:
            self._at = self.credentials.secret
            return
        if info.get("esiaMainAuth"):
            raise SourceAuthError("Сетевой город: сервер допускает вход только через Госуслуги — импортируйте "
                                  "токен сеанса (вход по паролю здесь невозможен)")
        school = self.credentials.school or str(need(self.transport.request(
            "GET", API + "prepareloginform").json("prepareloginform"), "scid", "prepareloginform"))
        reply = self._post_login(school, None)
        entry = str(reply.get("entryPoint") or "")
        if "choose-session-role" in entry:
            roles = need_list(need(reply, "accountInfo", "login"), "userRoles", "login")
            wanted = self.credentials.extra.get("rolegroup")
            role = next((r for r in roles if str(need(need(r, "role", "login"), "id", "login")) == wanted),
                        roles[0] if roles else None)
            if role is None:
                raise SourceAuthError("Сетевой город: у учётной записи нет ни одной роли")
            self._call("POST", "auth/logout", reauth=False)
            reply = self._post_login(school, str(role["role"]["id"]))

    def _post_login(self, school: str, rolegroup: str | None) -> dict:
        auth = self.transport.request("POST", API + "auth/getdata").json("auth/getdata")
        pw, pw2 = password_hashes(self.credentials.secret, str(need(auth, "salt", "auth/getdata")))
        form = {"loginType": 1, "scid": school, "un": self.credentials.login, "pw": pw, "pw2": pw2,
                "lt": need(auth, "lt", "auth/getdata"), "ver": need(auth, "ver", "auth/getdata")}
        if rolegroup:
            form["rolegroup"] = rolegroup
        reply = self.transport.request("POST", API + "login", data=form)
        if reply.status == 409:
            said = _message(reply)
            raise SourceAuthError("Сетевой город: вход не выполнен — неверный логин или пароль"
                                  + (f" (сервер: «{said}»)" if said else ""))
        if reply.status != 200:
            raise SourceAuthError(f"Сетевой город: вход не выполнен (код ответа {reply.status})")
        body = reply.json("login")
        self._at = str(need(body, "at", "login"))
        return body

    def _relogin(self, seen: int) -> None:
        with self._lock:
            if self._generation != seen:
                return  # another thread has signed in again already
            if self.token_mode:
                raise SessionExpiredError(EXPIRED)
            self._login()
            self._generation += 1

    def _call(self, method: str, path: str, *, params: dict | None = None, json_body: Any = None,
              reauth: bool = True) -> Reply:
        """One authenticated request: security warning acknowledged, 401 → sign in again once."""
        for attempt in range(3):
            seen, at = self._generation, self._at
            reply = self.transport.request(method, API + path, params=params, json_body=json_body,
                                           headers={"at": at})
            if reply.status == 401 and reauth and attempt < 2:
                self._relogin(seen)
                continue
            if reply.status == 200 and _security_warning(reply):
                self.transport.request("POST", SECURITY_WARNING.lstrip("/"), data={"at": at, "WarnType": 2},
                                       headers={"at": at})
                continue
            break
        if reply.status == 401:
            if self.token_mode:
                raise SessionExpiredError(EXPIRED)
            raise SourceAuthError("Сетевой город: сервер отказывает в доступе и после повторного входа")
        if reply.status == 404:
            raise SourceShapeError(f"Сетевой город: адрес {path} не найден на сервере (404)")
        if reply.status >= 400 and reauth:
            raise SourceError(f"Сетевой город: запрос {path} отклонён (код {reply.status}): {_message(reply)}")
        return reply

    def _get(self, path: str, **params: Any) -> Any:
        return self._call("GET", path, params=params or None).json(path)

    def _sign_in_session(self) -> None:
        with self._lock:
            self._login()
            self._generation += 1

    def sign_out(self) -> None:
        """Log the session out — unless it is an imported one: that session is the school's, and
        logging it out would make the next pull (after `source test`, say) fail as expired."""
        if self._at and not self.token_mode:
            try:
                self._call("POST", "auth/logout", reauth=False)
            except SourceError:
                pass  # the session is gone either way
        self._at = ""


def _message(reply: Reply) -> str:
    try:
        body = reply.json("ответ")
    except SourceShapeError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def _security_warning(reply: Reply) -> bool:
    kind = str({k.lower(): v for k, v in reply.headers.items()}.get("content-type", ""))
    return "text/html" in kind and len(reply.body) < 1000 and SECURITY_WARNING.encode() in reply.body
