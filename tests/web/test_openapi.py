"""The OpenAPI document describes every route of the JSON API, validly; every route but it asks for a token."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/v1/openapi.json")  # no token: the description is public
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def api_rules(app) -> dict[str, set[str]]:
    """OpenAPI path → methods, for every rule of the app under /api/v1."""
    out: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            out.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return out


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    broken = json.loads(json.dumps(spec))
    broken["paths"]["/api/v1/snapshots"]["post"]["responses"]["201"] = {"content": {}}  # no description
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_api_rule_is_described_with_its_methods(app, spec):
    rules = api_rules(app)
    assert "/api/v1/openapi.json" in rules and len(rules) >= 4
    described = {path: {m for m in item if m in HTTP_METHODS} for path, item in spec["paths"].items()}
    assert described == rules


def test_bearer_tokens_and_json_errors_are_declared(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer <token>"}
    assert spec["security"] == [{"bearer": []}]
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["properties"]["error"]["required"] == ["code", "message"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation.get("security") != []:
                assert "401" in operation["responses"], (method, path)


def inline(node, schemas: dict):
    """Replace `#/components/schemas/X` references by `#/$defs/X`, as the published file writes them."""
    if isinstance(node, dict):
        return {k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else inline(v, schemas))
                for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v, schemas) for v in node]
    return node


def test_the_snapshot_body_is_the_published_json_schema(spec):
    published = json.loads((ROOT / "docs/schema/journal-snapshot-1.schema.json").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/api/v1/snapshots"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Snapshot"}
    snapshot = {k: v for k, v in schemas["Snapshot"].items() if k != "externalDocs"}
    assert inline(snapshot, schemas) == {k: v for k, v in published.items() if k not in ("$defs", "$id", "$schema")}
    assert {name: inline(schemas[name], schemas) for name in published["$defs"]} == published["$defs"]
    assert schemas["Snapshot"]["externalDocs"]["url"] == published["$id"]


def test_every_api_route_but_the_description_answers_401_without_a_token(app, client, spec):
    for path, methods in api_rules(app).items():
        for method in methods:
            url = re.sub(r"\{[^}]+\}", "1", path)  # any value: the token is checked first
            response = client.open(url, method=method.upper(), data=b"{}", content_type="application/json")
            if spec["paths"][path][method].get("security") == []:
                assert response.status_code == 200, (method, path)
                continue
            assert response.status_code == 401, (method, path)
            assert response.json["error"]["code"] == "unauthorized", (method, path)


def test_parameters_the_api_refuses_blank_or_with_nul_are_declared_so_and_400_is_documented(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation.get("security") == []:
                continue
            assert "400" in operation["responses"], (method, path)
            for param in operation.get("parameters", []):
                schema = param["schema"]
                text = schema["items"] if schema.get("type") == "array" else schema
                if text.get("type") != "string":
                    continue
                pattern = re.compile(text["pattern"])
                assert not pattern.search("5\x00А"), (path, param["name"])
                if param["required"]:
                    assert text["minLength"] == 1 and not pattern.search(" \x1f\u3000"), (path, param["name"])
                    assert pattern.search("2026/2027") and schema.get("minItems", 1) == 1
