"""The Python example of docs/connecting.md pushes a snapshot to a running archive, as a vendor would."""

from __future__ import annotations

import json
from pathlib import Path

from browser_support import LiveServer
from builders import as_bytes, snapshot

DOC = Path(__file__).resolve().parents[2] / "docs" / "connecting.md"


def _python_example() -> str:
    return DOC.read_text(encoding="utf-8").split("```python\n", 1)[1].split("\n```", 1)[0]


def test_the_documented_python_example_pushes_a_snapshot_and_a_new_version_with_its_reason(
        app, api_token, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_TOKEN", api_token)
    path = tmp_path / "5A.json"
    path.write_bytes(as_bytes(snapshot()))
    with LiveServer(app) as server:
        example: dict = {"__name__": "connecting_example"}
        exec(compile(_python_example(), str(DOC), "exec"), example)
        example["ARCHIVE"] = server.url
        first = example["push"](str(path))
        assert first["status"] == "stored" and first["version"] == 1
        assert example["push"](str(path))["status"] == "duplicate"
        changed = snapshot()
        changed["subjects"][0]["lessons"][0]["marks"][0]["value"] = 3
        path.write_bytes(json.dumps(changed, ensure_ascii=False).encode())
        second = example["push"](str(path), "исправлена отметка")
        assert second["status"] == "new_version" and second["version"] == 2
