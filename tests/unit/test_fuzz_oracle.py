"""The snapshot fuzzer's oracle (tests/fuzz_support.py) is right about documents whose verdict is known."""

from __future__ import annotations

import json

import pytest

from builders import as_bytes, snapshot
from fuzz_support import Archive, Pairs, dumps, judge, remember, seeds


def _with(change) -> bytes:
    data = snapshot()
    change(data)
    return as_bytes(data)


def test_the_seeds_break_no_rule_in_any_layout():
    for seed in seeds():
        for indent in (None, 2):
            for ascii_only in (False, True):
                text = dumps(seed, indent=indent, ascii_only=ascii_only, reverse=True)
                assert json.loads(text) == seed
                verdict = judge(text.encode(), Archive())
                assert (verdict.broken, verdict.doubts) == ([], [])


@pytest.mark.parametrize("label, body, rule", [
    ("repeated key", dumps(Pairs([*snapshot().items(), ("academic_year", "2026/2027")]), indent=None,
                           ascii_only=False, reverse=False).encode(), "duplicate keys"),
    ("year 0000/0001", as_bytes(snapshot(academic_year="0000/0001")), "outside the academic year"),
    ("full-width year", as_bytes(snapshot(academic_year="２０２６/２０２７")), "academic_year"),
    ("unix moment", _with(lambda d: d["source"].update(exported_at="1798000000")), "moment with a zone"),
    ("NUL in a topic", _with(lambda d: d["subjects"][0]["lessons"][0].update(topic="a\x00b")), "NUL"),
    ("slash in a class name", _with(lambda d: d["class"].update(name="5Б/../5А")), "/ or \\"),
    ("zero-width space in an id", _with(lambda d: d["students"][0].update(id="s\u200b1")), "invisible"),
    ("a mark for an absent student", _with(lambda d: d["subjects"][0]["lessons"][6]["marks"].append(
        {"student_id": "s1", "value": 5, "work_type": "Ответ", "set_on": "2026-12-08"})), "absent"),
    ("a huge grade", _with(lambda d: d["class"].update(grade=10 ** 20)), "out of 1..11"),
    ("a float mark", _with(lambda d: d["subjects"][0]["lessons"][0]["marks"][0].update(value=5.0)), "value"),
    ("not JSON", b"{", "not JSON"),
])
def test_a_document_breaking_a_rule_is_judged_so(label, body, rule):
    broken = judge(body, Archive()).broken
    assert any(rule in b for b in broken), (label, broken)


def test_what_the_archive_holds_decides_school_and_class_identity():
    archive = Archive()
    remember(archive, judge(as_bytes(snapshot()), archive), 1)
    other_school = snapshot()
    other_school["school"]["id"] = "0"
    assert any("unknown school" in b for b in judge(as_bytes(other_school), archive).broken)
    renamed = snapshot()
    renamed["class"]["id"] = "c-5a-2"
    assert any("stored as 'c-5a'" in b for b in judge(as_bytes(renamed), archive).broken)
    next_version = snapshot()
    next_version["subjects"][0]["lessons"][0]["marks"][0]["value"] = 4
    verdict = judge(as_bytes(next_version), archive)
    assert verdict.broken == [] and archive.versions[verdict.key] == 1


def _graduating(change=None, grade: int = 11) -> bytes:
    from builders import graduating_year_snapshot

    data = graduating_year_snapshot(f"{grade}А", grade)
    if change:
        change(data)
    return as_bytes(data)


def test_a_graduating_classs_year_with_exams_and_certificates_breaks_no_rule():
    for grade in (9, 11):
        verdict = judge(_graduating(grade=grade), Archive())
        assert (verdict.broken, verdict.doubts) == ([], []), grade


@pytest.mark.parametrize("label, body, rule", [
    ("exams in a quarter", _with(lambda d: d.update(state_exams=[])), "only in a year snapshot"),
    ("an ЕГЭ score as a mark", _graduating(lambda d: d["state_exams"][0].update(mark=87)), "mark 87"),
    ("ОГЭ in grade 11", _graduating(lambda d: d["state_exams"][0].update(form="OGE", mark=4)), "not in grade 11"),
    ("ЕГЭ without a result", _graduating(lambda d: d["state_exams"][0].pop("score")), "no result"),
    ("an exam after the export", _graduating(lambda d: d["state_exams"][0].update(date="2026-07-01")), "export"),
    ("an exam in an unknown subject", _graduating(lambda d: d["state_exams"][0].update(subject_id="chem")),
     "unknown subject"),
    ("a certificate of a retained pupil", _graduating(lambda d: d["promotion"][0].update(decision="retained")),
     "without graduation"),
    ("a 13-digit number", _graduating(lambda d: d["promotion"][0]["certificate"].update(number="0562400001234")),
     "not 14 digits"),
    ("one number twice", _graduating(lambda d: d["promotion"][1]["certificate"].update(number="05624000012341")),
     "two graduates"),
    ("issued before the decision", _graduating(lambda d: d["promotion"][0]["certificate"].update(
        issued_on="2026-06-24")), "before the decision"),
    ("graduation from grade 10", _graduating(lambda d: d["class"].update(grade=10, name="10А")), "not in grade 10"),
])
def test_a_year_end_part_breaking_a_rule_is_judged_so(label, body, rule):
    broken = judge(body, Archive()).broken
    assert any(rule in b for b in broken), (label, broken)
