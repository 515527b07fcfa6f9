"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the JSON API (`web/api.py`).

Public — a journal-system vendor reads it before holding a token. It lives in a blueprint of
its own because the API blueprint is registered before the page modules are imported; its
path is under /api/v1 all the same, and a test keeps the document in step with every rule of
the app under /api/v1 (paths and methods) and with which of them ask for a token.

The snapshot body is the published JSON Schema (`docs/schema/journal-snapshot-1.schema.json`,
generated from `archive_service/schema/snapshot.py`, the same function a test compares with the
file): its `$defs` become component schemas and its references point at them, so tools that do
not resolve `$id`-relative references read it too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from archive_service.domain.fields import ADDRESS_VALUE_MOST
from archive_service.schema import json_schema
from archive_service.web.auth import archive, public

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

ERROR_CODES = ["archive_error", "unauthorized", "forbidden", "not_found", "reason_required", "snapshot_rejected",
               "http_400", "http_404", "http_405", "http_413", "http_415", "http_500"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _rewrite_refs(node: Any) -> Any:
    """`#/$defs/X` → `#/components/schemas/X`, everywhere in a schema."""
    if isinstance(node, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _rewrite_refs(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def snapshot_schemas() -> dict[str, dict]:
    """The published snapshot schema as component schemas: `Snapshot` and its `$defs`."""
    published = json_schema()
    top = {k: v for k, v in published.items() if k not in ("$defs", "$id", "$schema")}
    top["externalDocs"] = {"description": "journal-snapshot/1 (JSON Schema 2020-12), docs/snapshot-format.md",
                           "url": published["$id"]}
    return {"Snapshot": _rewrite_refs(top), **{name: _rewrite_refs(s) for name, s in published["$defs"].items()}}


def _obj(required: list[str], **properties: Any) -> dict:
    return {"type": "object", "required": required, "properties": properties}


STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE, MOMENT = {"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}
NULLABLE_STR = {"type": ["string", "null"]}

OWN_SCHEMAS: dict[str, dict] = {
    "Error": _obj(["error"], error={
        **_obj(["code", "message"], code={"type": "string", "description": "stable, for machines",
                                          "examples": ERROR_CODES},
               message={"type": "string", "description": "in Russian, for people"},
               problems={"type": "array", "items": _ref("Problem"),
                         "description": "every problem of a rejected snapshot (code snapshot_rejected)"}),
        "additionalProperties": True}),
    "Problem": _obj(["path", "code", "message"], path={**STR, "examples": ["$.subjects[2].lessons[5].marks[0]"]},
                    code=STR, message=STR),
    "IngestResult": _obj(["status", "snapshot_id", "content_hash", "version", "academic_year", "period_code",
                          "class_name"],
                         status={"enum": ["stored", "new_version", "duplicate"]}, snapshot_id=INT,
                         content_hash={**STR, "description": "SHA-256 of the canonical JSON"}, version=INT,
                         academic_year=STR, period_code=STR, class_name=STR, marks=INT, message=STR),
    "SnapshotListing": _obj(["id", "school", "academic_year", "period", "class", "grade", "version", "hash"],
                            id=INT, school=STR, academic_year=STR, period=STR, **{"class": STR}, grade=INT,
                            version=INT, hash=STR, reason=NULLABLE_STR, exported_at=MOMENT, ingested_at=MOMENT,
                            ingested_by=STR, students=INT, lessons=INT, marks=INT, absences=INT),
    "Change": _obj(["change", "kind", "subject_id", "student_id", "date", "retroactive"],
                   change={"enum": ["added", "removed", "changed"]},
                   kind={"enum": ["mark", "period_mark", "absence"]}, subject_id=STR, subject=STR, student_id=STR,
                   student=STR, date=DATE, what={**STR, "description": "the work type, the period code or «пропуск»"},
                   old={"description": "the value before (null when added)"},
                   new={"description": "the value after (null when removed)"}, retroactive=BOOL),
    "SnapshotDiff": _obj(["old_version", "new_version", "summary", "changes"], old_version=INT, new_version=INT,
                         summary={"type": "object", "additionalProperties": INT,
                                  "description": "counts by «kind_change», and «retroactive»"},
                         changes={"type": "array", "items": _ref("Change")}),
    "Finding": _obj(["code", "message"], code=STR, message=STR, subject=NULLABLE_STR, student=NULLABLE_STR,
                    teacher={**NULLABLE_STR, "description": "the subject teacher, who fixes it"},
                    date={"type": ["string", "null"], "format": "date"}),
    "PreflightReport": _obj(["academic_year", "period", "class", "grade", "counts", "findings"],
                            academic_year=STR, period=STR, grade=INT, **{"class": STR},
                            counts={"type": "object", "additionalProperties": INT},
                            findings={"type": "array", "items": _ref("Finding")}),
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


#: a text parameter: the API refuses one with a NUL character or longer than any address value may be (400)
TEXT = {"type": "string", "maxLength": ADDRESS_VALUE_MOST, "pattern": r"^[^\x00]*$"}
#: a required text parameter: besides, not empty or blank (400) — blank as Python's str.strip() sees it,
#: which also strips the separators U+001C–U+001F
FILLED = {"type": "string", "minLength": 1, "maxLength": ADDRESS_VALUE_MOST,
          "pattern": r"^[^\x00]*[^\s\x1c-\x1f\x00][^\x00]*$"}


def _query(name: str, description: str, *, required: bool = False, many: bool = False, schema: dict = TEXT) -> dict:
    if required and schema is TEXT:
        schema = FILLED
    items = {"type": "array", "items": schema, **({"minItems": 1} if required else {})}
    param = {"name": name, "in": "query", "required": required, "description": description,
             "schema": items if many else schema}
    return {**param, "style": "form", "explode": True} if many else param


YEAR = _query("year", "school year, «2026/2027»", required=True)
CLASSES = _query("class", "class names («5А»); repeat for several; none = all", many=True)
COMMON = {"400": _error("a parameter is invalid: missing, empty, not a number, too long, or with a NUL character"),
          "401": {"$ref": "#/components/responses/Unauthorized"}}


def _push() -> dict:
    return {"operationId": "pushSnapshot", "summary": "Push one snapshot",
            "description": "The body is one journal-snapshot/1 document. The same content again is a "
                           "no-op (200). A changed snapshot of a stored class and period is the next "
                           "version and needs `reason`.",
            "parameters": [_query("reason", "why the snapshot changed (for a new version)")],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": _ref("Snapshot")}}},
            "responses": {"201": _json(_ref("IngestResult"), "stored (status stored or new_version)"),
                          "200": _json(_ref("IngestResult"), "already stored (status duplicate)"),
                          **COMMON, "409": _error("reason_required: a changed snapshot without reason"),
                          "413": _error("the body is larger than ARCHIVE_MAX_UPLOAD_MB (default 20 MB); "
                                        "`limit_bytes` gives the limit"),
                          "422": _error("snapshot_rejected: every problem, with its JSON path")}}


def _listing() -> dict:
    return {"operationId": "listSnapshots", "summary": "List stored snapshots (every version)",
            "parameters": [_query("year", "school year, «2026/2027»"),
                           _query("period", "period codes (Q1–Q4, H1–H2, T1–T3, year); repeat", many=True),
                           CLASSES],
            "responses": {"200": _json(_obj(["snapshots"], snapshots={"type": "array",
                                                                      "items": _ref("SnapshotListing")}),
                                       "the snapshots, oldest version first"), **COMMON}}


def _diff() -> dict:
    return {"operationId": "diffSnapshots", "summary": "What changed between two versions",
            "parameters": [YEAR, _query("period", "period code", required=True),
                           _query("class", "class name", required=True),
                           _query("from", "older version (default: the one before `to`)", schema=INT),
                           _query("to", "newer version (default: the newest)", schema=INT)],
            "responses": {"200": _json(_ref("SnapshotDiff"), "the changes, retroactive ones flagged"),
                          **COMMON,
                          "404": _error("no such class, period or version")}}


def _preflight() -> dict:
    return {"operationId": "preflight", "summary": "Pre-flight report of a period",
            "description": "Findings (too few marks, no topic or homework, missing period marks) in the "
                           "newest snapshot version of each class.",
            "parameters": [YEAR, _query("period", "period codes; at least one", required=True, many=True),
                           CLASSES],
            "responses": {"200": _json(_obj(["classes"], classes={"type": "array",
                                                                  "items": _ref("PreflightReport")}),
                                       "one report per class"),
                          **COMMON,
                          "404": _error("nothing stored for that period")}}


def _paths() -> dict:
    """Every address of the API with its operations (one function each)."""
    return {
        "/api/v1/snapshots": {"post": _push(), "get": _listing()},
        "/api/v1/snapshots/diff": {"get": _diff()},
        "/api/v1/preflight": {"get": _preflight()},
        "/api/v1/openapi.json": {
            "get": {"operationId": "openapi", "summary": "This document", "security": [],
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}},
        },
    }


def openapi_document(server_url: str) -> dict:
    schemas = snapshot_schemas()
    clash = set(schemas) & set(OWN_SCHEMAS)
    if clash:
        raise RuntimeError(f"schema names used twice: {clash}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "archive_service API", "version": "1",
                 "description": "The journal system pushes snapshots and reads listings, diffs and pre-flight "
                                "reports. Errors are JSON `{\"error\": {\"code\", \"message\"}}`; messages are "
                                "in Russian. Tokens are issued by the administrator "
                                "(`archive-service token create NAME`)."},
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Authorization: Bearer <token>"}},
            "responses": {"Unauthorized": _error("unauthorized: no token, an unknown or a revoked one")},
            "schemas": {**OWN_SCHEMAS, **schemas},
        },
    }


@bp.get("/openapi.json")
@public
def document():
    return jsonify(openapi_document(archive().settings.public_url))
