"""Trusted roots from a PEM file, a folder, or the Минцифры list of accredited centres (TSL XML)."""

from __future__ import annotations

import base64
import datetime as dt
import os

import pytest
from asn1crypto import pem

from signing.errors import SigningError
from signing.gost_pki import create_gost_pki, create_untrusted_pki, load_certificate
from signing.trusted_list import TrustedListError, load_trusted_list, parse_tsl

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def pkis(tmp_path_factory):
    home = tmp_path_factory.mktemp("trust")
    ours = create_gost_pki(home / "ours", owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21", now=NOW)
    other = create_untrusted_pki(home / "other", owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                                 now=NOW)
    return ours, other


def tsl_sample(*centres: tuple[str, str, bytes], namespace: str = "") -> bytes:
    """A constructed sample following the structure documented in signing.trusted_list (not a real download)."""
    blocks = []
    for name, status, der in centres:
        blocks.append(f"""
  <УдостоверяющийЦентр>
    <Название>{name}</Название>
    <КраткоеНазвание>УЦ</КраткоеНазвание>
    <СтатусАккредитации><Статус>{status}</Статус><ДействуетС>2021-07-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>
    <ПрограммноАппаратныеКомплексы>
      <ПрограммноАппаратныйКомплекс>
        <Псевдоним>УЦ 1</Псевдоним>
        <КлассСредствЭП>КС2</КлассСредствЭП>
        <КлючиУполномоченныхЛиц>
          <Ключ>
            <ИдентификаторКлюча>00</ИдентификаторКлюча>
            <АдресаСписковОтзыва><Адрес>http://uc.example.ru/cdp/root.crl</Адрес></АдресаСписковОтзыва>
            <Сертификаты>
              <ДанныеСертификата>
                <Отпечаток>00</Отпечаток>
                <ПериодДействияС>2026-11-01T00:00:00+03:00</ПериодДействияС>
                <ПериодДействияДо>2041-11-01T00:00:00+03:00</ПериодДействияДо>
                <Данные>{base64.encodebytes(der).decode()}</Данные>
              </ДанныеСертификата>
            </Сертификаты>
          </Ключ>
        </КлючиУполномоченныхЛиц>
      </ПрограммноАппаратныйКомплекс>
    </ПрограммноАппаратныеКомплексы>
  </УдостоверяющийЦентр>""")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<АккредитованныеУдостоверяющиеЦентры" + (f' xmlns="{namespace}"' if namespace else "") + ">"
            "<Версия>1</Версия><Дата>2027-01-01T00:00:00+03:00</Дата>"
            + "".join(blocks) + "\n</АккредитованныеУдостоверяющиеЦентры>").encode()


def test_a_pem_file_with_several_roots_names_each_centre_and_the_certificates_they_issued(pkis, tmp_path):
    ours, other = pkis
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(ours.root_cert.read_bytes() + other.root_cert.read_bytes())
    trusted = load_trusted_list(bundle)
    assert [r.subject.dump() for r in trusted.roots] == [load_certificate(p).subject.dump()
                                                         for p in (ours.root_cert, other.root_cert)]
    assert trusted.centre_for(load_certificate(ours.root_cert)) == "Тестовый УЦ ГОСТ archive_service"
    assert trusted.centre_for(load_certificate(ours.director_cert)) == "Тестовый УЦ ГОСТ archive_service"
    assert trusted.centre_for(load_certificate(other.director_cert)).startswith("Посторонний УЦ")


def test_a_root_not_in_the_list_has_no_centre(pkis):
    ours, other = pkis
    trusted = load_trusted_list(ours.root_cert)
    assert trusted.centre_for(load_certificate(other.director_cert)) is None
    assert trusted.centre_for(load_certificate(other.root_cert)) is None


def test_a_folder_of_pem_and_der_files_is_read_and_other_files_ignored(pkis, tmp_path):
    ours, other = pkis
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "ours.crt").write_bytes(ours.root_cert.read_bytes())
    (folder / "other.der").write_bytes(load_certificate(other.root_cert).dump())
    (folder / "README.txt").write_text("не сертификат")
    trusted = load_trusted_list(folder)
    assert len(trusted.roots) == 2
    assert trusted.centre_for(load_certificate(other.director_cert)).startswith("Посторонний УЦ")


def test_the_accredited_centres_list_names_the_centre_and_its_status(pkis, tmp_path):
    ours, other = pkis
    xml = tsl_sample(("АО «Тестовый аккредитованный центр»", "Действует", load_certificate(ours.root_cert).dump()),
                     ("ООО «Бывший центр»", "Прекращена", load_certificate(other.root_cert).dump()))
    path = tmp_path / "TSL.xml"
    path.write_bytes(xml)
    trusted = load_trusted_list(path)
    director = load_certificate(ours.director_cert)
    assert trusted.centre_for(director) == "АО «Тестовый аккредитованный центр»"
    assert trusted.status_for(director) == "Действует"
    assert trusted.centre_for(load_certificate(other.director_cert)) == "ООО «Бывший центр»"
    assert trusted.status_for(load_certificate(other.root_cert)) == "Прекращена"


def test_a_list_in_an_xml_namespace_reads_the_same(pkis):
    ours, _ = pkis
    trusted = parse_tsl(tsl_sample(("АО «Тестовый аккредитованный центр»", "Действует",
                                    load_certificate(ours.root_cert).dump()), namespace="urn:example:tsl"))
    assert trusted.centre_for(load_certificate(ours.director_cert)) == "АО «Тестовый аккредитованный центр»"


def test_several_sources_join_and_repeat_roots_count_once(pkis, tmp_path):
    ours, other = pkis
    xml = tmp_path / "TSL.xml"
    xml.write_bytes(tsl_sample(("АО «Тестовый аккредитованный центр»", "Действует",
                                load_certificate(ours.root_cert).dump())))
    trusted = load_trusted_list(os.pathsep.join([str(xml), str(ours.root_cert), str(other.root_cert)]))
    assert len(trusted.roots) == 2
    assert trusted.centre_for(load_certificate(ours.root_cert)) == "АО «Тестовый аккредитованный центр»"


@pytest.mark.parametrize("content, message", [
    (b"<?xml version='1.0'?><Other/>", "не перечень аккредитованных удостоверяющих центров"),
    (b"<?xml version='1.0'?><broken", "не является правильным XML"),
    ("<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия></АккредитованныеУдостоверяющиеЦентры>".encode(),
     "нет ни одного сертификата удостоверяющего центра"),
    (b"just some bytes", "не сертификат в формате PEM или DER"),
    (pem.armor("CERTIFICATE", b"\x30\x03\x02\x01\x01"), "не сертификат в формате PEM или DER"),
    (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "нет ни одного сертификата"),
])
def test_unknown_or_empty_sources_are_refused_in_russian(tmp_path, content, message):
    path = tmp_path / "roots.pem"
    path.write_bytes(content)
    with pytest.raises(TrustedListError, match=message) as caught:
        load_trusted_list(path)
    assert isinstance(caught.value, SigningError)
    assert str(tmp_path) not in str(caught.value)


def test_missing_sources_and_empty_folders_are_refused(tmp_path):
    with pytest.raises(TrustedListError, match="не найдены"):
        load_trusted_list(tmp_path / "absent.pem")
    with pytest.raises(TrustedListError, match="нет сертификатов"):
        load_trusted_list(tmp_path)
    with pytest.raises(TrustedListError, match="не указан"):
        load_trusted_list("")


def test_a_list_with_entity_declarations_is_refused():
    with pytest.raises(TrustedListError, match="сущностей"):
        parse_tsl(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
