"""The trusted roots a signature's chain must end in, and the accredited centre each one belongs to.

`ARCHIVE_TRUSTED_ROOTS` names one or several sources (separated by the system's path separator,
«:» on Linux), each of them:

* a PEM file with one or several certificates;
* a folder of .pem/.crt/.cer/.der files (PEM or DER each);
* the Минцифры list of accredited certification centres: the XML («TSL») published at
  e-trust.gosuslugi.ru, downloaded by the administrator (the archive never fetches it).

The TSL XML: what this parser relies on. No XSD or official description was at hand; the
structure below is the one that independent public parsers of the file (Go, PHP, C#, C++ and Java
projects reading the same download) agree on:

    <АккредитованныеУдостоверяющиеЦентры>
      <Версия>…</Версия> <Дата>…</Дата>
      <УдостоверяющийЦентр>
        <Название>full name</Название> <КраткоеНазвание>short name</КраткоеНазвание>
        <СтатусАккредитации><Статус>Действует | Прекращена | Аннулирована</Статус>…</СтатусАккредитации>
        <ПрограммноАппаратныеКомплексы>
          <ПрограммноАппаратныйКомплекс>
            <Псевдоним/> <КлассСредствЭП/> <СредстваУЦ/>
            <КлючиУполномоченныхЛиц>
              <Ключ>
                <ИдентификаторКлюча>hex key identifier</ИдентификаторКлюча>
                <АдресаСписковОтзыва><Адрес>CRL URL</Адрес>…</АдресаСписковОтзыва>
                <Сертификаты>
                  <ДанныеСертификата>
                    <Отпечаток/> <КемВыдан/> <КомуВыдан/> <СерийныйНомер/>
                    <ПериодДействияС/> <ПериодДействияДо/>
                    <Данные>base64 of the DER certificate</Данные>

Relied on: the root element's name, `УдостоверяющийЦентр`, `Название` (else `КраткоеНазвание`),
`СтатусАккредитации/Статус` and `ДанныеСертификата/Данные` anywhere below a centre (the
certificate itself: its own bytes are what is trusted, not the list's copies of its fields).

Assumptions: elements may carry an XML namespace (ignored: names are matched without it); the
status values are «Действует», «Прекращена», «Аннулирована» (as the public parsers name them);
the certificates listed are the centres' own CA certificates and are used here as trust anchors
(they are usually issued by the Минцифры head centre, whose root the list need not carry); a
centre whose status is not «Действует» stays in the list with its status, because what it
certified while accredited keeps its force — the verifier decides what to say about it. The
download address has changed over the years (public scripts fetch
http://e-trust.gosuslugi.ru/CA/DownloadTSL?schemaVersion=0); the administrator supplies the file.
A file that does not match this structure, or holds no certificate, is refused with a Russian
error, never read as an empty list.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509

from signing.errors import SigningError

TSL_ROOT = "АккредитованныеУдостоверяющиеЦентры"
ACTIVE = "Действует"
CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class TrustedListError(SigningError):
    """The trusted roots cannot be loaded: a missing, unreadable, unknown or empty source."""


@dataclass(frozen=True)
class TrustedRoot:
    """A trust anchor with the centre it belongs to (`status` from the Минцифры list, else None)."""

    certificate: x509.Certificate
    centre: str
    status: str | None = None


def _key_id(cert: x509.Certificate) -> bytes:
    """SHA-1 of the subjectPublicKey bits (RFC 5280 § 4.2.1.2 method 1), whatever the SKI says."""
    return hashlib.sha1(cert["tbs_certificate"]["subject_public_key_info"]["public_key"].contents[1:]).digest()


@dataclass(frozen=True)
class TrustedList:
    """The trusted roots and, for each, its certification centre."""

    entries: tuple[TrustedRoot, ...]

    @property
    def roots(self) -> list[x509.Certificate]:
        return [entry.certificate for entry in self.entries]

    def _entry_for(self, cert: x509.Certificate) -> TrustedRoot | None:
        key_id, subject = _key_id(cert), cert.subject.dump()
        for entry in self.entries:  # the root itself: same subject and same key
            if entry.certificate.subject.dump() == subject and _key_id(entry.certificate) == key_id:
                return entry
        authority = cert.authority_key_identifier
        if authority is None:
            return None
        for entry in self.entries:  # a certificate it issued: issuer name and authority key identifier
            root = entry.certificate
            if cert.issuer.dump() == root.subject.dump() and authority in (root.key_identifier, _key_id(root)):
                return entry
        return None

    def centre_for(self, cert: x509.Certificate) -> str | None:
        """The accredited centre of a trusted root, or of a certificate one of them issued; None if not trusted."""
        entry = self._entry_for(cert)
        return entry.centre if entry else None

    def status_for(self, cert: x509.Certificate) -> str | None:
        """The centre's accreditation status («Действует», «Прекращена» …) when the list names it."""
        entry = self._entry_for(cert)
        return entry.status if entry else None

    def __add__(self, other: "TrustedList") -> "TrustedList":
        seen = {(e.certificate.subject.dump(), _key_id(e.certificate)) for e in self.entries}
        extra = tuple(e for e in other.entries if (e.certificate.subject.dump(), _key_id(e.certificate)) not in seen)
        return TrustedList(self.entries + extra)


def _centre_from_certificate(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    for field in ("organization_name", "common_name"):
        value = subject.get(field)
        if value:
            name: str = value[0] if isinstance(value, list) else value
            return name
    return "удостоверяющий центр без названия в сертификате"


def _certificates_in(data: bytes, label: str) -> list[x509.Certificate]:
    """The certificates in PEM (any number) or DER (one) bytes."""
    try:
        if pem.detect(data):
            found = [x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
                     if kind == "CERTIFICATE"]
        else:
            found = [x509.Certificate.load(data)]
        for cert in found:
            _ = cert.native  # parse now, so a broken file fails here and not in the middle of a check
    except (ValueError, TypeError) as exc:
        raise TrustedListError(f"файл доверенных сертификатов «{label}» не читается: это не сертификат "
                               "в формате PEM или DER и не перечень аккредитованных удостоверяющих центров") from exc
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_tsl(data: bytes, label: str = "перечень УЦ") -> TrustedList:
    """The certificates of the accredited centres in the Минцифры XML list."""
    if b"<!ENTITY" in data[:4096]:
        raise TrustedListError(f"файл «{label}» содержит объявления сущностей XML: такой перечень не принимается")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise TrustedListError(f"файл «{label}» не является правильным XML") from exc
    if _local(root.tag) != TSL_ROOT:
        raise TrustedListError(f"файл «{label}» — XML, но не перечень аккредитованных удостоверяющих центров "
                               f"Минцифры (ожидался корневой элемент «{TSL_ROOT}»)")
    entries = []
    for centre in (e for e in root if _local(e.tag) == "УдостоверяющийЦентр"):
        name = _child_text(centre, "Название") or _child_text(centre, "КраткоеНазвание")
        status = None
        for element in centre.iter():
            if _local(element.tag) == "СтатусАккредитации":
                status = _child_text(element, "Статус")
                break
        for holder in (e for e in centre.iter() if _local(e.tag) == "ДанныеСертификата"):
            encoded = _child_text(holder, "Данные")
            if encoded is None:
                continue
            try:
                der = base64.b64decode("".join(encoded.split()), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise TrustedListError(f"в перечне «{label}» сертификат удостоверяющего центра «{name}» "
                                       "записан не в base64") from exc
            for cert in _certificates_in(der, label):
                entries.append(TrustedRoot(cert, name or _centre_from_certificate(cert), status))
    if not entries:
        raise TrustedListError(f"в перечне «{label}» нет ни одного сертификата удостоверяющего центра")
    return TrustedList(tuple(entries))


def _load_file(path: Path) -> TrustedList:
    label = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustedListError(f"файл доверенных сертификатов «{label}» не открывается") from exc
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return parse_tsl(data, label)
    certificates = _certificates_in(data, label)
    if not certificates:
        raise TrustedListError(f"в файле «{label}» нет ни одного сертификата")
    return TrustedList(tuple(TrustedRoot(c, _centre_from_certificate(c)) for c in certificates))


def load_trusted_list(source: str | Path) -> TrustedList:
    """The trusted roots from one source (PEM/DER file, folder, Минцифры XML) or several joined by os.pathsep."""
    parts = [p for p in str(source).split(os.pathsep) if p.strip()]
    if not parts:
        raise TrustedListError("не указан файл или папка с доверенными корневыми сертификатами")
    result = TrustedList(())
    for part in parts:
        path = Path(part.strip())
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
            if not files:
                raise TrustedListError(f"в папке «{path.name}» нет сертификатов (.pem, .crt, .cer, .der)")
            for file in files:
                result = result + _load_file(file)
        elif path.is_file():
            result = result + _load_file(path)
        else:
            raise TrustedListError(f"файл или папка доверенных сертификатов «{path.name}» не найдены")
    return result
