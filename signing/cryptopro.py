"""The CryptoPro CSP adapter: the `cryptcp` command a school's administrator configures.

A director's qualified GOST key stays on the token, inside CryptoPro; the server signs with
CryptoPro's command-line tool `cryptcp`, which works on files. `cryptcp_command` builds

    cryptcp -sign -detached -der -cadesbes -nochain -norev -thumbprint <SHA-1> [-pin {pin}] {in} {out}

and `explain_cryptcp_output` turns the `[ErrorCode: 0x…]` line cryptcp prints into a Russian
message; `signing.commands.run_signer` runs it.

What is known and what is guessed (no vendor manual was at hand; the sources are public
scripts that run cryptcp in production, found by code search):

* `-sign -detached -der -nochain -norev -thumbprint T IN OUT` — this exact line is in an
  operations script that installs a certificate and signs with it by thumbprint
  (`install_bastion_umy_and_test_sign.sh`); `-sign -detached -der ... -thumbprint T IN OUT` also in
  a PowerShell signing script and a Node.js signer; `-thumbprint` takes the SHA-1 thumbprint
  shown by `certmgr -list` (nikserg/cryptoprocli, the Sber API signing guide).
* `-pin PIN` — used with `-sign` and `-signf` in several scripts (a hospital converter signing
  with `cryptcp -signf -cert -nochain -thumbprint T FILE -pin P`); its position before the file
  names is our choice.
* `-cadesbes` — seen with `-sign -detached` in two sources (an SBIS configuration sample and a
  README); needed because PAdES wants the ESS signing-certificate-v2 attribute. **Guessed**: that
  it combines with `-nochain -norev` offline.
* Output: `[ErrorCode: 0x00000000]` (or `[ReturnCode: 0]`) on success, `[ErrorCode: 0x…]` on
  failure, on standard output; the text may be in cp1251. The exit status on Linux is not relied
  on. Codes 0x2000xxxx are cryptcp's own (table in gost-crypto-gui by B. Makarenko); a wrong PIN is
  0x8010006B (SCARD_W_WRONG_CHV — a production script retries passwords on exactly this code);
  the token and key codes are the Windows/PC-SC ones CryptoPro reuses. **Guessed**: which of them
  a missing token gives on Linux (0x8010000C, 0x8010002E, 0x80100069 or 0x8009001A are all read
  as «носитель не найден»).
* That the signer's certificate is included without `-cert` and that the hash follows the key
  (Streebog-256 for a 2012-256 key) is **guessed**; `run_signer` checks both on the result and
  fails loudly (no certificate; a messageDigest that does not match).
* The commands named in messages (`certmgr -inst`, `cpconfig -license`) are hints for the
  administrator; `certmgr -inst -store uMy -file F -cont C` is from the same operations script,
  the `cpconfig` line is **unverified**.
* An unknown option gives 0x200000C9: a CryptoPro version that spells an option differently
  fails with a message that says so, never with a silently wrong signature.

`csptest` is not offered: its CMS signing syntax (`-sfsign` / `-lowsign`) appeared in one
README only. An administrator can still configure it as a `{in}`/`{out}` command line.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from asn1crypto import pem, x509

from signing.commands import IN, OUT, PIN, SignerCommand
from signing.errors import KeyAccessError, PinRejectedError, SigningError

DEFAULT_CRYPTCP = Path("/opt/cprocsp/bin/amd64/cryptcp")
_HEX40 = re.compile(r"[0-9A-F]{40}")
_ERROR = re.compile(r"\[ErrorCode:\s*(0x[0-9A-Fa-f]{1,8})\]")
_RETURN = re.compile(r"\[ReturnCode:\s*(\d+)\]")

_NO_TOKEN = ("ключевой носитель (токен) не найден: вставьте токен директора в сервер и проверьте, "
             "что служба pcscd запущена и драйвер токена установлен")
_WRONG_OPTIONS = ("cryptcp не приняла параметры командной строки: эта версия КриптоПро CSP понимает их "
                  "иначе — сообщите разработчикам архива код ошибки")


def normalize_thumbprint(thumbprint: str) -> str:
    """The SHA-1 thumbprint as 40 upper-case hex digits (spaces and colons, as Windows shows it, dropped)."""
    cleaned = re.sub(r"[\s:]", "", thumbprint).upper()
    if not _HEX40.fullmatch(cleaned):
        raise SigningError("отпечаток сертификата должен состоять из 40 шестнадцатеричных цифр "
                           "(строка «SHA1 Thumbprint» или «SHA1 Hash» в выводе certmgr -list)")
    return cleaned


def thumbprint_of(certificate_der: bytes) -> str:
    """The certificate's SHA-1 thumbprint as CryptoPro names it."""
    return hashlib.sha1(certificate_der).hexdigest().upper()


def certificate_thumbprint(path: Path) -> str:
    """The thumbprint of a certificate file (PEM or DER), to check it is the one cryptcp signs with."""
    try:
        raw = path.read_bytes()
        if b"-----BEGIN" in raw:  # PEM (certmgr -export -base64), possibly after other text
            _, _, raw = pem.unarmor(raw[raw.index(b"-----BEGIN"):])
        _ = x509.Certificate.load(raw).native
    except Exception:
        raise SigningError("файл сертификата не читается: нужен сертификат в формате PEM или DER") from None
    return thumbprint_of(raw)


def cryptcp_command(thumbprint: str, *, cryptcp: Path | str = DEFAULT_CRYPTCP, pin_env: str | None = None,
                    timeout: float = 60.0) -> SignerCommand:
    """The cryptcp invocation that signs with the certificate `thumbprint` from the «Личное» store.

    With `pin_env`, the PIN is read from that environment variable at each signature and passed
    as `-pin` (masked in every message); without it the container must not ask for one.
    """
    thumb = normalize_thumbprint(thumbprint)
    argv = [str(cryptcp), "-sign", "-detached", "-der", "-cadesbes", "-nochain", "-norev", "-thumbprint", thumb]
    if pin_env:
        argv += ["-pin", PIN]
    argv += [IN, OUT]

    def diagnose(status: int, output: str) -> SigningError | None:
        return explain_cryptcp_output(status, output, thumb)

    return SignerCommand(tuple(argv), timeout=timeout, pin_env=pin_env or None, diagnose=diagnose,
                         name="cryptcp")


def explain_cryptcp_output(status: int, output: str, thumbprint: str = "") -> SigningError | None:
    """None when cryptcp reports success; else the error to show, in Russian."""
    codes = _ERROR.findall(output)
    returned = _RETURN.findall(output)
    if codes:
        code = int(codes[-1], 16)
    elif returned:
        code = int(returned[-1])
    else:
        return SigningError(f"cryptcp не сообщила результат (нет строки [ErrorCode], код выхода {status}): "
                            "проверьте, что путь ARCHIVE_CRYPTCP ведёт к cryptcp из КриптоПро CSP")
    if code == 0:
        return None
    return _message_for(code, thumbprint)


def _message_for(code: int, thumbprint: str) -> SigningError:
    hex_code = f"0x{code:08X}"
    known: dict[int, SigningError] = {
        0x2000012D: SigningError(f"сертификат с отпечатком {thumbprint} не найден в хранилище «Личное» "
                                 "пользователя, от имени которого работает архив: установите его командой "
                                 "certmgr -inst или проверьте отпечаток"),
        0x2000012E: SigningError(f"найдено несколько сертификатов с отпечатком {thumbprint}: оставьте в "
                                 "хранилище «Личное» один"),
        0x20000133: SigningError("КриптоПро не смогла проверить цепочку сертификата: сертификат отозван, "
                                 "просрочен или не доверен"),
        0x20000134: SigningError("в КриптоПро CSP нет криптопровайдера для алгоритма этого ключа: "
                                 "проверьте версию и лицензию КриптоПро CSP"),
        0x20000135: PinRejectedError("неверный PIN-код ключевого контейнера"),
        0x8010006B: PinRejectedError("неверный PIN-код токена"),
        0x8010006C: PinRejectedError("PIN-код токена заблокирован после неверных попыток: разблокируйте токен "
                                   "PIN-кодом администратора (PUK)"),
        0x20000136: KeyAccessError(f"сертификат {thumbprint} не связан с закрытым ключом: установите его "
                                   "из контейнера на токене (certmgr -inst -cont …)"),
        0x80090016: KeyAccessError(f"закрытый ключ сертификата {thumbprint} не найден: вставьте токен с этим "
                                   "ключом или заново свяжите сертификат с контейнером (certmgr -inst -cont …)"),
        0x8010000C: KeyAccessError(_NO_TOKEN),
        0x8010002E: KeyAccessError(_NO_TOKEN),
        0x80100069: KeyAccessError(_NO_TOKEN),
        0x8009001A: KeyAccessError(_NO_TOKEN),
        0x20000066: PinRejectedError("подпись отменена: КриптоПро запросила подтверждение или PIN-код; "
                                   "задайте PIN-код через переменную окружения"),
        0x20000325: SigningError("истекла лицензия КриптоПро CSP: введите серийный номер (cpconfig -license)"),
        0x200000C9: SigningError(f"{_WRONG_OPTIONS} {hex_code}"),
        0x200000CB: SigningError(f"{_WRONG_OPTIONS} {hex_code}"),
        0x200000CD: SigningError(f"{_WRONG_OPTIONS} {hex_code}"),
        0x200000CE: SigningError(f"{_WRONG_OPTIONS} {hex_code}"),
    }
    if code in known:
        return known[code]
    return SigningError(f"cryptcp сообщила об ошибке {hex_code}: найдите этот код в документации "
                        "КриптоПро CSP или сообщите его администратору")


def openssl_gost_command(certificate: Path, key: Path) -> str:
    """The stand-in for CryptoPro on a machine without it: the OpenSSL GOST engine signing with a
    key kept in a file (the demo's and the tests' keys; never a real director's key, which stays on
    its token). Bytes on standard input, a detached CAdES-BES signature (DER) on standard output,
    Streebog of the key's length."""
    import shlex

    from signing import gost
    from signing.pades import load_cert

    bits = 512 if gost.digest_for_key(load_cert(certificate)["tbs_certificate"]["subject_public_key_info"]) \
        == "streebog512" else 256
    return (f"openssl cms -engine gost -sign -binary -signer {shlex.quote(str(certificate))} "
            f"-inkey {shlex.quote(str(key))} -md md_gost12_{bits} -outform DER -nosmimecap -cades")
