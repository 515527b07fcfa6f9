"""Reading snapshots: parse bytes into the `journal-snapshot/1` models, or say why not.

`parse_snapshot` runs the structural checks (pydantic, in Rust, fast) and then the domain
rules; every failure becomes a `Problem` with a JSON path and a Russian message. The
canonical form — the validated model as JSON with sorted keys, no insignificant white space,
UTF-8 — is what is stored and what the SHA-256 content address is computed from.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Iterator

import orjson
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from archive_service.domain.problems import Problem, json_path
from archive_service.domain.rules import check_snapshot
from archive_service.errors import SnapshotRejected
from archive_service.schema.snapshot import FORMAT, STORED, Snapshot, json_schema, period_code

__all__ = [
    "FORMAT",
    "STORED",
    "Snapshot",
    "canonical_bytes",
    "content_hash",
    "json_schema",
    "parse_snapshot",
    "period_code",
]

_MESSAGES = {
    "missing": "обязательное поле отсутствует",
    "extra_forbidden": "неизвестное поле",
    "string_type": "ожидается строка",
    "int_type": "ожидается целое число",
    "float_type": "ожидается число",
    "bool_type": "ожидается логическое значение",
    "list_type": "ожидается массив",
    "dict_type": "ожидается объект",
    "model_type": "ожидается объект",
    "model_attributes_type": "ожидается объект",
    "string_too_short": "строка слишком короткая (не меньше {min_length} символов)",
    "string_too_long": "строка слишком длинная (не больше {max_length} символов)",
    "too_short": "слишком мало элементов (не меньше {min_length})",
    "string_pattern_mismatch": "значение не соответствует образцу {pattern}",
    "greater_than_equal": "значение должно быть не меньше {ge}",
    "less_than_equal": "значение должно быть не больше {le}",
    "greater_than": "значение должно быть больше {gt}",
    "less_than": "значение должно быть меньше {lt}",
    "date_type": "ожидается дата ГГГГ-ММ-ДД",
    "date_parsing": "неверная дата (ожидается ГГГГ-ММ-ДД)",
    "date_from_datetime_parsing": "неверная дата (ожидается ГГГГ-ММ-ДД)",
    "date_from_datetime_inexact": "ожидается дата без времени",
    "datetime_type": "ожидается дата и время",
    "datetime_parsing": "неверные дата и время (ожидаются вида 2026-12-26T18:30:00+07:00)",
    "datetime_from_date_parsing": "неверные дата и время (ожидаются вида 2026-12-26T18:30:00+07:00)",
    "timezone_aware": "время выгрузки должно указывать часовой пояс",
    "json_invalid": "файл повреждён или это не снимок журнала{where}",
    "json_type": "ожидается снимок журнала",
}


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace(" or ", " или ")
        return f"недопустимое значение «{err.get('input')}»; допустимо: {allowed}"
    if kind == "json_invalid":  # the parser's own words are English: keep only where it stopped
        where = re.search(r"line (\d+) column (\d+)", str(ctx.get("error", "")))
        ending = "EOF" in str(ctx.get("error", ""))
        ctx = {"where": (f" (файл {'обрывается' if ending else 'испорчен'}: строка {where[1]}, позиция {where[2]})"
                         if where else "")}
    template = _MESSAGES.get(kind)
    if template is None:
        return err["msg"]
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _problems_from(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        # union members add their tag ("int", "str") to the location; drop it
        loc = [p for p in err["loc"] if isinstance(p, int) or p not in {"int", "str", "float"}]
        code = "schema." + err["type"]
        problems.append(Problem(json_path(*loc), code, _message(err)))
    return problems


class _Object(dict):
    """A JSON object as read by `_duplicate_keys`, with the keys it held more than once."""

    repeated: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    obj.repeated = []
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen and key not in obj.repeated:
                obj.repeated.append(key)
            seen.add(key)
    return obj


class _Repeated(Exception):
    """A key came twice in one object (the fast pass stops there; the slow pass says where)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) < len(pairs):
        raise _Repeated
    return obj


def _duplicate_keys(raw: bytes | str) -> list[Problem]:
    """A key given twice in one object: every JSON parser keeps one of the two values silently
    (ours the last), so the snapshot would not be what the journal system meant to send."""
    try:
        json.loads(raw, object_pairs_hook=_unique)  # the common case, no key repeated: one plain parse
        return []
    except _Repeated:  # a second pass finds every repeated key and where it is
        try:
            tree = json.loads(raw, object_pairs_hook=_object)
        except (ValueError, RecursionError):  # not JSON after all: the schema check says where it breaks
            return []
    except (ValueError, RecursionError):  # not JSON: the schema check says where it breaks
        return []
    return [Problem(json_path(*path), "duplicate_key", f"ключ «{key}» повторяется в одном объекте")
            for path, key in _repeated(tree, ())]


def _repeated(node: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    stack = [(node, path)]
    while stack:  # no recursion: a deeply nested hostile body must not exhaust the stack
        node, path = stack.pop()
        if isinstance(node, _Object):
            for key in node.repeated:
                yield path, key
            stack.extend((value, (*path, key)) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((value, (*path, i)) for i, value in reversed(list(enumerate(node))))


def parse_snapshot(raw: bytes | str) -> Snapshot:
    """The validated snapshot, or `SnapshotRejected` with every problem found."""
    duplicates = _duplicate_keys(raw)
    if duplicates:
        raise SnapshotRejected(duplicates)
    try:
        snap = Snapshot.model_validate_json(raw)
    except ValidationError as exc:
        raise SnapshotRejected(_problems_from(exc)) from None
    problems = check_snapshot(snap)
    if problems:
        raise SnapshotRejected(problems)
    return snap


def canonical_bytes(snap: Snapshot) -> bytes:
    """The stored form: validated content, sorted keys, compact, UTF-8."""
    return orjson.dumps(snap.model_dump(mode="json", by_alias=True), option=orjson.OPT_SORT_KEYS)


def content_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()
