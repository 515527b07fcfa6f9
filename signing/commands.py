"""Running an external signing program: the bytes to sign in, a detached CMS SignedData out.

Two contracts, chosen by the command itself:

* no placeholder: the bytes go to the program's standard input and the signature is read from
  its standard output (the original contract, e.g. `openssl cms -sign ... -outform DER`);
* `{in}` / `{out}` anywhere in an argument: the bytes are written to a file named by `{in}`, the
  program writes the signature to the file named by `{out}` (CryptoPro's `cryptcp` and
  `csptest` work on files only). With only one of them the other side stays a pipe.

The files live in a private temporary folder (0700, the input file 0600) that is removed
whatever happens. A `{pin}` placeholder is filled, at each run, from the environment variable
named by `SignerCommand.pin_env` and never stored; the PIN and any other secret are masked in
every message this module produces. Once the token refused the PIN, the same command is not
started again (a token blocks itself after a few wrong tries; a batch would spend them all). The
program's standard input is closed in file mode, so a program that stops to ask a question fails
instead of hanging; a timeout kills its whole process group.

The output may be DER, PEM (any `-----BEGIN ...-----` label) or bare base64; it must be a
*detached* SignedData with one signer, carrying its certificate, whose messageDigest attribute
matches the bytes handed over — a program that signed something else fails loudly here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, core

from signing.errors import KeyAccessError, PinRejectedError, SigningError

log = logging.getLogger(__name__)

IN, OUT, PIN = "{in}", "{out}", "{pin}"
MASK = "********"
PREFIX = "внешняя программа подписи"

# reads the program's exit status and its combined output; returns an error to raise, or None
Diagnosis = Callable[[int, str], SigningError | None]


class _Latch:
    """Remembers a refused PIN: a token blocks after a few wrong tries, so a batch stops at the first."""

    def __init__(self) -> None:
        self.refused: PinRejectedError | None = None


@dataclass(frozen=True)
class SignerCommand:
    """A signing program's command line, its placeholders and how to read its failures."""

    argv: tuple[str, ...]
    """The program and its arguments; `{in}`, `{out}` and `{pin}` are filled at each run."""
    timeout: float = 60.0
    """Seconds the program may take (a token that waits for a PIN would wait forever)."""
    pin_env: str | None = None
    """Environment variable holding the PIN for `{pin}`; the PIN itself is never kept here."""
    diagnose: Diagnosis | None = field(default=None, compare=False)
    """Turns a known tool's output into a clear message (see signing.cryptopro)."""
    name: str = ""
    """How messages name the program; by default the file name of argv[0]."""
    latch: _Latch = field(default_factory=_Latch, compare=False, repr=False)
    """After a refused PIN the program is not started again (see `run_signer`)."""

    @classmethod
    def parse(cls, template: str, *, timeout: float = 60.0) -> "SignerCommand":
        """A shell-style command line (quotes allowed, no shell features)."""
        try:
            argv = tuple(shlex.split(template))
        except ValueError as exc:
            raise SigningError(f"{PREFIX}: командная строка записана с ошибкой (кавычки)") from exc
        if not argv:
            raise SigningError(f"{PREFIX} не указана")
        return cls(argv, timeout=timeout)

    @property
    def label(self) -> str:
        return self.name or Path(self.argv[0]).name

    @property
    def uses_files(self) -> bool:
        return any(IN in a or OUT in a for a in self.argv)


def mask(text: str, secrets: list[str]) -> str:
    """`text` with every non-empty secret replaced by asterisks."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def run_signer(command: SignerCommand, data: bytes, *, environ: Mapping[str, str] | None = None
               ) -> cms.ContentInfo:
    """Run `command` over `data`; the detached CMS SignedData it returns, checked against `data`."""
    environ = os.environ if environ is None else environ
    if command.latch.refused is not None:
        raise PinRejectedError(f"{command.latch.refused}; остальные документы не подписывались, "
                               "чтобы не заблокировать токен")
    pin = _pin(command, environ)
    secrets = [pin] if pin else []
    folder = Path(tempfile.mkdtemp(prefix="archive-sign-"))  # mkdtemp makes it 0700
    try:
        in_path, out_path = folder / "data.bin", folder / "signature.p7s"
        argv = [a.replace(IN, str(in_path)).replace(OUT, str(out_path)).replace(PIN, pin)
                for a in command.argv]
        if any(IN in a for a in command.argv):
            fd = os.open(in_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            stdin = None
        else:
            stdin = data
        status, stdout, stderr = _execute(command, argv, stdin, secrets)
        # the private folder's path means nothing to a reader: the file names are enough
        output = mask(_decode(stdout + b"\n" + stderr), secrets).replace(f"{folder}/", "")
        problem = command.diagnose(status, output) if command.diagnose else None
        if problem is not None:
            log.warning("signing program %s failed: %s", command.label, _tail(output))
            if isinstance(problem, PinRejectedError):
                command.latch.refused = problem
            raise problem
        if status != 0:
            log.warning("signing program %s exited with %s: %s", command.label, status, _tail(output))
            raise SigningError(f"{PREFIX} «{command.label}» завершилась с ошибкой (код выхода {status})"
                               + (f"; её сообщение: {_tail(output)}" if _tail(output) else ""))
        if any(OUT in a for a in command.argv):
            if not out_path.is_file():
                raise SigningError(f"{PREFIX} «{command.label}» сообщила об успехе, но не записала файл подписи")
            raw = out_path.read_bytes()
        else:
            raw = stdout
        return load_signature(raw, data, command.label)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pin(command: SignerCommand, environ: Mapping[str, str]) -> str:
    if not any(PIN in a for a in command.argv):
        return ""
    if not command.pin_env:
        raise SigningError(f"{PREFIX}: в командной строке есть {PIN}, но не сказано, откуда взять PIN-код")
    pin = environ.get(command.pin_env)
    if not pin:
        raise KeyAccessError(f"PIN-код ключа не задан: переменная окружения {command.pin_env} пуста или отсутствует")
    return pin


def _execute(command: SignerCommand, argv: list[str], stdin: bytes | None,
             secrets: list[str]) -> tuple[int, bytes, bytes]:
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        raise SigningError(f"{PREFIX} «{command.label}» не найдена: проверьте, что она установлена "
                           "и путь к ней указан верно") from None
    except PermissionError:
        raise SigningError(f"{PREFIX} «{command.label}» не запускается: нет права на выполнение") from None
    except OSError as exc:
        raise SigningError(f"{PREFIX} «{command.label}» не запустилась: {mask(exc.strerror or '', secrets)}") from None
    try:
        stdout, stderr = process.communicate(stdin, timeout=command.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise KeyAccessError(f"{PREFIX} «{command.label}» не ответила за {command.timeout:g} с и остановлена: "
                             "проверьте, что ключевой носитель (токен) вставлен и программа не ждёт ввода "
                             "PIN-кода") from None
    return process.returncode, stdout, stderr


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


def _decode(raw: bytes) -> str:
    """UTF-8, or cp1251 (CryptoPro's tools print their Russian messages in it under some locales)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251", "replace")


def _tail(output: str, limit: int = 300) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " / ".join(lines[-3:])[-limit:]


_PEM = re.compile(rb"-----BEGIN [A-Z0-9 #]+-----(.*?)-----END [A-Z0-9 #]+-----", re.S)


def _der(raw: bytes, label: str) -> bytes:
    """DER as written, or decoded from PEM or bare base64 (cryptcp writes base64 without -der)."""
    stripped = raw.strip()
    if stripped[:1] == b"\x30":
        return raw
    pem = _PEM.search(stripped)
    body = pem.group(1) if pem else stripped
    try:
        return base64.b64decode(b"".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError(f"{PREFIX} «{label}» вернула не подпись CMS (ни DER, ни base64)") from None


def load_signature(raw: bytes, data: bytes, label: str = "") -> cms.ContentInfo:
    """The detached SignedData in `raw`, after checking it is one and that it signs `data`."""
    name = f"{PREFIX} «{label}»" if label else PREFIX
    if not raw.strip():
        raise SigningError(f"{name} не вернула подпись (пустой ответ)")
    try:
        info = cms.ContentInfo.load(_der(raw, label))
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        signer = signed["signer_infos"][0]
        _ = signer["signature"].native
        detached = signed["encap_content_info"]["content"].native is None
        certificates = signed["certificates"]
        has_certificate = not isinstance(certificates, core.Void) and len(certificates) > 0
    except SigningError:
        raise
    except Exception:
        raise SigningError(f"{name} вернула не подпись CMS SignedData") from None
    if not detached:
        raise SigningError(f"{name} вернула присоединённую подпись, а нужна откреплённая")
    if not has_certificate:
        raise SigningError(f"{name} вернула подпись без сертификата подписанта")
    _check_message_digest(signer, data, name)
    return info


def _check_message_digest(signer: cms.SignerInfo, data: bytes, name: str) -> None:
    attrs = signer["signed_attrs"]
    if not attrs.native:
        return  # no signed attributes: the signature value covers the data itself
    digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
    algorithm = signer["digest_algorithm"]["algorithm"]
    if not digests:
        raise SigningError(f"{name} вернула подпись без атрибута messageDigest")
    if digests[0] != _digest(algorithm.dotted, algorithm.native, data):
        raise SigningError(f"{name} подписала не те данные: хеш в подписи не совпадает с хешем документа")


def _digest(dotted: str, named: str, data: bytes) -> bytes:
    from signing import gost

    if dotted in gost.DIGEST_NAMES:
        return gost.digest(gost.DIGEST_NAMES[dotted], data)
    try:
        return hashlib.new(named, data).digest()
    except (ValueError, TypeError):
        raise SigningError(f"{PREFIX} использовала неизвестный алгоритм хеширования ({dotted})") from None
