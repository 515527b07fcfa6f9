"""Signing on the server through CryptoPro's cryptcp, with the stand-in (OpenSSL GOST engine) in its place.

tests/standins/cryptcp accepts only the command line signing.cryptopro builds, finds the
certificate by thumbprint in a store folder and signs with `openssl cms -engine gost`.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from asn1crypto import cms

from signing import KeyAccessError, PinRejectedError, SigningError
from signing.commands import IN, MASK, OUT, PIN, SignerCommand, run_signer
from signing.cryptopro import DEFAULT_CRYPTCP, cryptcp_command, explain_cryptcp_output, thumbprint_of

STANDIN = Path(__file__).resolve().parents[1] / "standins" / "cryptcp"
DIRECTOR_PIN = "48271593"
DATA = b"%PDF-1.7 bytes the signature covers \x00\xff" * 50


def make_identity(store: Path, name: str, bits: int, *, pin: str | None = None, key: bool = True) -> str:
    """A self-signed GOST 2012 certificate (and key) in the stand-in's store; its thumbprint."""
    key_path, cert_path = store / f"{name}.key.pem", store / f"{name}.cert.pem"
    algorithm, md = ("gost2012_512", "-md_gost12_512") if bits == 512 else ("gost2012_256", "-md_gost12_256")
    subprocess.run(["openssl", "genpkey", "-engine", "gost", "-algorithm", algorithm, "-pkeyopt", "paramset:A",
                    "-out", str(key_path)], check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-engine", "gost", "-new", "-x509", md, "-key", str(key_path), "-days", "30",
                    "-subj", f"/CN={name}/O=School 21", "-out", str(cert_path)], check=True, capture_output=True)
    if pin:
        (store / f"{name}.pin").write_text(pin)
    der = subprocess.run(["openssl", "x509", "-in", str(cert_path), "-outform", "DER"], check=True,
                         capture_output=True).stdout
    if not key:
        key_path.unlink()
    return thumbprint_of(der)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cryptopro-store")
    thumbs = {"director": make_identity(folder, "director", 256, pin=DIRECTOR_PIN),
              "deputy512": make_identity(folder, "deputy512", 512),
              "keyless": make_identity(folder, "keyless", 256, key=False)}
    return folder, thumbs


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """The system temporary folder, moved to one the test can see empty afterwards."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def env(store, monkeypatch):
    folder, thumbs = store
    monkeypatch.setenv("CRYPTCP_STANDIN_STORE", str(folder))
    monkeypatch.setenv("DIRECTOR_PIN", DIRECTOR_PIN)
    return thumbs


def verify_with_openssl(info: cms.ContentInfo, data: bytes, folder: Path) -> str:
    sig, content = folder / "sig.der", folder / "content.bin"
    sig.write_bytes(info.dump())
    content.write_bytes(data)
    out = subprocess.run(["openssl", "cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER", "-in", str(sig),
                          "-content", str(content), "-noverify", "-out", os.devnull], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stderr


def test_the_adapter_builds_the_cryptcp_line_an_administrator_would_type():
    thumb = "3c 1f 55 0a 9b 7e 2d 44 61 08 ff 00 12 34 56 78 9a bc de f0"
    with_pin = cryptcp_command(thumb, pin_env="DIRECTOR_PIN")
    assert with_pin.argv == (str(DEFAULT_CRYPTCP), "-sign", "-detached", "-der", "-cadesbes", "-nochain", "-norev",
                             "-thumbprint", "3C1F550A9B7E2D446108FF00123456789ABCDEF0", "-pin", PIN, IN, OUT)
    assert DEFAULT_CRYPTCP == Path("/opt/cprocsp/bin/amd64/cryptcp")
    without = cryptcp_command("3C1F550A9B7E2D446108FF00123456789ABCDEF0", cryptcp="/usr/local/bin/cryptcp")
    assert without.argv == ("/usr/local/bin/cryptcp", "-sign", "-detached", "-der", "-cadesbes", "-nochain",
                            "-norev", "-thumbprint", "3C1F550A9B7E2D446108FF00123456789ABCDEF0", IN, OUT)


def test_a_thumbprint_that_is_not_forty_hex_digits_is_refused_before_anything_runs():
    with pytest.raises(SigningError, match="40 шестнадцатеричных цифр"):
        cryptcp_command("Иванова Ольга")


@pytest.mark.parametrize(("who", "digest"), [("director", "1.2.643.7.1.1.2.2"), ("deputy512", "1.2.643.7.1.1.2.3")])
def test_cryptcp_signs_through_files_and_openssl_accepts_the_detached_cms(env, temp_root, tmp_path, who, digest):
    command = cryptcp_command(env[who], cryptcp=STANDIN, pin_env="DIRECTOR_PIN" if who == "director" else None)
    info = run_signer(command, DATA)
    signer = info["content"]["signer_infos"][0]
    assert signer["digest_algorithm"]["algorithm"].dotted == digest
    assert "Verification successful" in verify_with_openssl(info, DATA, tmp_path)
    assert list(temp_root.iterdir()) == []


def test_the_folder_and_the_file_handed_to_the_program_are_private(temp_root):
    probe = SignerCommand(("sh", "-c", 'stat -c "mode:%a" "$(dirname "$0")" "$0"; exit 3', IN))
    with pytest.raises(SigningError, match="код выхода 3") as err:
        run_signer(probe, DATA)
    assert "mode:700 / mode:600" in str(err.value)
    assert list(temp_root.iterdir()) == []


def test_a_wrong_pin_is_said_in_russian_without_the_pin_and_the_token_is_not_tried_again(
        env, temp_root, monkeypatch):
    monkeypatch.setenv("DIRECTOR_PIN", "11112222")
    command = cryptcp_command(env["director"], cryptcp=STANDIN, pin_env="DIRECTOR_PIN")
    with pytest.raises(PinRejectedError, match="неверный PIN-код токена") as first:
        run_signer(command, DATA)
    monkeypatch.setenv("DIRECTOR_PIN", DIRECTOR_PIN)  # even the right PIN is not tried by the same batch
    with pytest.raises(PinRejectedError, match="остальные документы не подписывались") as second:
        run_signer(command, DATA)
    for err in (first, second):
        assert "11112222" not in str(err.value) and DIRECTOR_PIN not in str(err.value)
    assert list(temp_root.iterdir()) == []


def test_a_pin_the_container_asks_for_but_nobody_configured_fails_instead_of_waiting(env, temp_root):
    command = cryptcp_command(env["director"], cryptcp=STANDIN)
    with pytest.raises(PinRejectedError, match="запросила подтверждение или PIN-код"):
        run_signer(command, DATA)
    assert list(temp_root.iterdir()) == []


def test_a_pin_variable_that_is_not_set_is_named(env, temp_root, monkeypatch):
    monkeypatch.delenv("DIRECTOR_PIN")
    with pytest.raises(KeyAccessError, match="переменная окружения DIRECTOR_PIN"):
        run_signer(cryptcp_command(env["director"], cryptcp=STANDIN, pin_env="DIRECTOR_PIN"), DATA)


@pytest.mark.parametrize(("case", "message"), [
    ("unknown", "не найден в хранилище «Личное»"),
    ("keyless", "закрытый ключ сертификата"),
    ("absent", "ключевой носитель \\(токен\\) не найден"),
])
def test_certificate_key_and_token_problems_are_said_in_russian(env, store, temp_root, case, message):
    folder, _ = store
    thumb = "0123456789ABCDEF0123456789ABCDEF01234567" if case == "unknown" else env.get(case, env["director"])
    marker = folder / "TOKEN_ABSENT"
    if case == "absent":
        marker.touch()
    try:
        with pytest.raises(SigningError, match=message) as err:
            run_signer(cryptcp_command(thumb, cryptcp=STANDIN, pin_env="DIRECTOR_PIN"), DATA)
    finally:
        marker.unlink(missing_ok=True)
    assert DIRECTOR_PIN not in str(err.value)
    assert list(temp_root.iterdir()) == []


def test_a_command_line_cryptcp_refuses_fails_loudly_and_its_echo_of_the_pin_is_masked(env, temp_root, caplog):
    # -pin after the file names: the stand-in, like cryptcp, refuses it and repeats what it did not understand
    right = cryptcp_command(env["director"], cryptcp=STANDIN, pin_env="DIRECTOR_PIN")
    reordered = SignerCommand(right.argv[:9] + (IN, OUT, "-pin", PIN), pin_env="DIRECTOR_PIN",
                              diagnose=right.diagnose, name="cryptcp")
    with caplog.at_level(logging.WARNING, logger="signing.commands"), \
            pytest.raises(SigningError, match="не приняла параметры командной строки.*0x200000C9") as err:
        run_signer(reordered, DATA)
    assert DIRECTOR_PIN not in str(err.value)
    assert MASK in caplog.text and DIRECTOR_PIN not in caplog.text
    assert list(temp_root.iterdir()) == []


def test_a_program_that_prints_garbage_is_not_taken_for_cryptcp(tmp_path, temp_root):
    fake = tmp_path / "cryptcp"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault (core dumped)'\n")
    fake.chmod(0o755)
    with pytest.raises(SigningError, match="cryptcp не сообщила результат"):
        run_signer(cryptcp_command("0123456789ABCDEF0123456789ABCDEF01234567", cryptcp=fake), DATA)
    garbage_file = SignerCommand(("sh", "-c", 'echo "not a signature" > "$2"', "sh", IN, OUT))
    with pytest.raises(SigningError, match="вернула не подпись CMS"):
        run_signer(garbage_file, DATA)
    garbage_pipe = SignerCommand(("sh", "-c", "cat > /dev/null; printf 'garbage%%%%'"))
    with pytest.raises(SigningError, match="вернула не подпись CMS"):
        run_signer(garbage_pipe, DATA)
    silent = SignerCommand(("sh", "-c", 'cat "$1" > /dev/null', "sh", IN, OUT))
    with pytest.raises(SigningError, match="не записала файл подписи"):
        run_signer(silent, DATA)
    assert list(temp_root.iterdir()) == []


def test_a_program_that_hangs_is_stopped_with_its_children(temp_root):
    hanging = SignerCommand(("sh", "-c", 'sleep 30; cat "$0" > "$1"', IN, OUT), timeout=1)
    started = time.monotonic()
    with pytest.raises(KeyAccessError, match="не ответила за 1 с"):
        run_signer(hanging, DATA)
    assert time.monotonic() - started < 10
    assert list(temp_root.iterdir()) == []


def test_a_program_that_is_not_installed_is_named_without_its_path(temp_root):
    with pytest.raises(SigningError, match="«cryptcp» не найдена") as err:
        run_signer(cryptcp_command("0123456789ABCDEF0123456789ABCDEF01234567", cryptcp="/nonexistent/cryptcp"), DATA)
    assert "/nonexistent" not in str(err.value)


def openssl_sign(store: Path, name: str, *extra: str) -> tuple[str, ...]:
    return ("openssl", "cms", "-engine", "gost", "-sign", "-binary", "-signer", str(store / f"{name}.cert.pem"),
            "-inkey", str(store / f"{name}.key.pem"), "-md", "md_gost12_512", "-nosmimecap", "-cades", *extra)


def test_pem_and_base64_output_are_converted_and_checked(store, tmp_path, temp_root):
    folder, _ = store
    pem = SignerCommand(openssl_sign(folder, "deputy512", "-in", IN, "-outform", "PEM", "-out", OUT))
    verify_with_openssl(run_signer(pem, DATA), DATA, tmp_path)
    base64_pipe = SignerCommand(("sh", "-c", " ".join(openssl_sign(folder, "deputy512", "-outform", "DER"))
                                 + " | base64"))
    verify_with_openssl(run_signer(base64_pipe, DATA), DATA, tmp_path)
    assert list(temp_root.iterdir()) == []


def test_a_signature_over_other_bytes_or_with_the_content_inside_is_refused(store, temp_root):
    folder, _ = store
    other = SignerCommand(("sh", "-c", 'in=$1; out=$2; shift 2; printf other > "$in.x" && '
                           '"$@" -in "$in.x" -out "$out"', "sh", IN, OUT,
                           *openssl_sign(folder, "deputy512", "-outform", "DER")))
    with pytest.raises(SigningError, match="подписала не те данные"):
        run_signer(other, DATA)
    attached = SignerCommand(openssl_sign(folder, "deputy512", "-nodetach", "-outform", "DER"))
    with pytest.raises(SigningError, match="присоединённую подпись"):
        run_signer(attached, DATA)
    assert list(temp_root.iterdir()) == []


def test_cryptcp_output_is_read_by_its_error_code_not_its_exit_status():
    assert explain_cryptcp_output(0, "Signed message is created.\n[ErrorCode: 0x00000000]") is None
    assert explain_cryptcp_output(0, "[ReturnCode: 0]") is None
    problem = explain_cryptcp_output(0, "Error: ...\n[ErrorCode: 0x20000325]")
    assert problem is not None and "лицензия КриптоПро" in str(problem)
    unknown = explain_cryptcp_output(45, "[ErrorCode: 0x2000abcd]")
    assert unknown is not None and "0x2000ABCD" in str(unknown)


def test_the_cli_takes_a_cryptopro_thumbprint_with_the_certificate_for_the_stamp(archive, runner, env, store):
    folder, thumbs = store
    cert = folder / "director.cert.pem"
    alone = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q2",
                                "--cryptopro-thumbprint", thumbs["director"]])
    assert alone.exit_code == 2 and "ровно один ключ" in alone.output
    pin_without_key = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q2",
                                          "--cryptopro-pin-env", "DIRECTOR_PIN", "--external-cert", str(cert),
                                          "--external-command", "cat"])
    assert pin_without_key.exit_code == 2 and "ровно один ключ" in pin_without_key.output
    mismatch = runner.invoke(args=["--as", "director",
                                   "sign", "--year", "2026/2027", "--period", "Q2", "--cryptopro-thumbprint",
                                   thumbs["deputy512"], "--external-cert", str(cert)])
    assert mismatch.exit_code == 1 and "не совпадает с сертификатом, выбранным по отпечатку" in mismatch.output
