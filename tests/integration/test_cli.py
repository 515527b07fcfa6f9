"""The `archive-service` commands, through Flask's CLI runner on a real database."""

from __future__ import annotations

import json

from builders import as_bytes, snapshot, subject
from store_support import store_env


def write(path, data: dict):
    path.write_bytes(as_bytes(data))
    return path


def test_import_of_a_folder_reports_each_file_and_fails_when_one_is_rejected(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "5a.json", snapshot())
    bad = snapshot()
    bad["class"] = {**bad["class"], "id": "c-5b", "name": "5Б"}
    bad["subjects"][0]["lessons"][0]["date"] = "2027-01-20"
    write(folder / "5b.json", bad)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(folder)])
    assert result.exit_code == 1
    assert "ПРИНЯТ" in result.output and result.output.count("ОТКЛОНЁН") == 2
    assert "lesson_after_period_end" in result.output and "$.subjects[0].lessons[0].date" in result.output
    assert "новых 1" in result.output and "отклонено 2" in result.output


def test_import_exits_0_when_everything_is_accepted_including_repeats(runner, tmp_path):
    path = write(tmp_path / "5a.json", snapshot())
    assert runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path)]).exit_code == 0
    again = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path)])
    assert again.exit_code == 0 and "ПОВТОР" in again.output


def test_a_missing_path_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "нет такого файла" in result.output


def test_list_diff_and_preflight_as_json(runner, tmp_path):
    runner.invoke(args=["--as", "deputy", "snapshot", "import", str(write(tmp_path / "v1.json", snapshot()))])
    changed = snapshot()
    subject(changed, "math")["period_marks"][0]["value"] = 4
    subject(changed, "math")["lessons"][2]["topic"] = ""
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", "--reason", "Пересмотр отметки",
                                 str(write(tmp_path / "v2.json", changed))])
    assert result.exit_code == 0 and "версия 2" in result.output
    out = runner.invoke(args=["snapshot", "list", "--json"])
    listing = json.loads(out.output)
    assert [(r["class"], r["period"], r["version"]) for r in listing] == [("5А", "Q2", 1), ("5А", "Q2", 2)]
    assert all(len(r["hash"]) == 64 for r in listing)
    diff = runner.invoke(args=["snapshot", "diff", "--year", "2026/2027", "--period", "Q2", "--class", "5А"])
    assert "Алексеев Иван Петрович" in diff.output and "ЗАДНИМ ЧИСЛОМ" in diff.output
    report = json.loads(runner.invoke(args=["preflight", "--year", "2026/2027", "--period", "Q2", "--json"]).output)
    assert report["classes"][0]["counts"] == {"lesson_without_topic": 1}
    text = runner.invoke(args=["preflight", "--year", "2026/2027", "--period", "Q2"]).output
    assert "урок без темы: 1" in text


def test_preflight_of_an_empty_period_says_so(runner):
    result = runner.invoke(args=["preflight", "--year", "2026/2027", "--period", "Q3"])
    assert result.exit_code == 1 and "нет сохранённых снимков" in result.output


def test_tokens_are_issued_listed_and_revoked(runner, client):
    created = runner.invoke(args=["--as", "admin", "token", "create", "Сетевой город"])
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("ast_")
    assert client.get("/api/v1/snapshots", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert "Сетевой город" in runner.invoke(args=["token", "list"]).output
    assert runner.invoke(args=["--as", "admin", "token", "revoke", "1"]).exit_code == 0
    assert client.get("/api/v1/snapshots", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "отозван" in runner.invoke(args=["token", "list"]).output


def test_the_audit_log_verifies(runner, tmp_path):
    runner.invoke(args=["--as", "deputy", "snapshot", "import", str(write(tmp_path / "v1.json", snapshot()))])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "записей 6" in result.output  # five accounts made (one per role), one import


def test_the_schema_command_prints_the_published_schema(runner):
    schema = json.loads(runner.invoke(args=["snapshot", "schema"]).output)
    assert schema["title"] == "journal-snapshot/1" and "class" in schema["properties"]


def test_the_command_line_says_its_failures_in_russian_and_never_in_clicks_english(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), **store_env(tmp_path / "home")}
    command = [sys.executable, "-c", "from archive_service.cli import main; main()"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=120)

    bad_value = run("register", "print", "--out", str(tmp_path / "r.txt"))
    unknown_option = run("register", "list", "--bogus")
    missing = run("register", "issue")
    for result in (bad_value, unknown_option, missing):
        assert result.returncode == 2
        assert "Ошибка в команде" in result.stderr and "Справка:" in result.stderr
        assert "Error" not in result.stderr and "Usage" not in result.stderr and "Try " not in result.stderr
    assert "неверное значение --out: формат файла" in bad_value.stderr
    assert "нет параметра --bogus" in unknown_option.stderr
    assert "не указано" in missing.stderr
