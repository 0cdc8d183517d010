"""No integer a client sends can make the API fail: a number beyond 64 bits (2**63, -2**63-1) in any path
parameter, query parameter or body field of any endpoint is answered 422 (or 404/403), never 500 — on SQLite the
driver cannot bind it, on PostgreSQL `bigint` overflows. The range is checked once for the whole API
(`gongjiang.api`), before any endpoint's code runs, so a new endpoint is covered without doing anything.

The endpoints are found by walking the OpenAPI schema; each request is otherwise as valid as the schema says
(required fields filled with plausible values), sent by a superuser's token so scopes do not stop it early."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongjiang.orgs import services

HUGE = (2**63, -(2**63) - 1)
ALLOWED = {400, 403, 404, 422}


class Schema:
    """Plausible values for an OpenAPI schema, and every place in it that holds an integer."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.resolve(schema["allOf"][0])
        return schema

    def options(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        schema = self.resolve(schema)
        choices = schema.get("anyOf") or schema.get("oneOf")
        if choices:
            return [self.resolve(c) for c in choices if self.resolve(c).get("type") != "null"]
        return [schema]

    def example(self, schema: dict[str, Any]) -> Any:
        schema = self.options(schema)[0]
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return {name: self.example(sub) for name, sub in schema.get("properties", {}).items()
                    if name in schema.get("required", [])}
        if kind == "array":
            return [self.example(schema.get("items", {}))] * schema.get("minItems", 0)
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            return max(1, schema.get("minimum", 1))
        if kind == "boolean":
            return False
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-01-05"
        if fmt == "date-time":
            return "2026-01-05T09:00:00+08:00"
        return "x" * max(1, schema.get("minLength", 1))

    def integer_places(self, schema: dict[str, Any], depth: int = 0) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """(path, example) for each integer in the schema: path is a tuple of keys and list indexes."""
        if depth > 6:
            return
        for option in self.options(schema):
            kind = option.get("type")
            if kind == "integer":
                yield (), None
            elif kind == "array":
                for path, _ in self.integer_places(option.get("items", {}), depth + 1):
                    yield (0, *path), None
            elif kind == "object" or "properties" in option:
                for name, sub in option.get("properties", {}).items():
                    for path, _ in self.integer_places(sub, depth + 1):
                        yield (name, *path), None


def put(value: Any, path: tuple[Any, ...], item: Any, schema: Schema, field: dict[str, Any]) -> Any:
    """`value` with `item` at `path`, building the containers the path needs from the schema."""
    if not path:
        return item
    key, rest = path[0], path[1:]
    options = schema.options(field)
    if isinstance(key, int):
        array = next(o for o in options if o.get("type") == "array")
        inner = array.get("items", {})
        return [put(schema.example(inner), rest, item, schema, inner)]
    obj = next(o for o in options if "properties" in o)
    value = dict(value) if isinstance(value, dict) else schema.example(obj)
    sub = obj["properties"][key]
    value[key] = put(value.get(key, schema.example(sub)), rest, item, schema, sub)
    return value


def cases(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any], Any]]:
    """(method, url, where, query, body) for each integer place of each operation and each huge value."""
    schema = Schema(document)
    for route, operations in document["paths"].items():
        for method, op in operations.items():
            params = op.get("parameters", [])
            path_values = {p["name"]: schema.example(p["schema"]) for p in params if p["in"] == "path"}
            query = {p["name"]: schema.example(p["schema"]) for p in params if p["in"] == "query" and p.get("required")}
            content = op.get("requestBody", {}).get("content", {})
            media, body_schema = next(iter(content.items()), (None, None))
            body = schema.example(body_schema["schema"]) if body_schema else None

            def url(values: dict[str, Any], route: str = route) -> str:
                for name, value in values.items():
                    route = route.replace("{" + name + "}", str(value))
                return route

            for huge in HUGE:
                for p in params:
                    if not any(True for _ in schema.integer_places(p["schema"])):
                        continue
                    if p["in"] == "path":
                        yield method, url({**path_values, p["name"]: huge}), f"path {p['name']}", query, (media, body)
                    elif p["in"] == "query":
                        yield method, url(path_values), f"query {p['name']}", {**query, p["name"]: huge}, (media, body)
                if body_schema:
                    for place, _ in schema.integer_places(body_schema["schema"]):
                        yield (method, url(path_values), f"body {'.'.join(map(str, place))}", query,
                               (media, put(body, place, huge, schema, body_schema["schema"])))


@pytest.fixture
def api(sd):
    from gongjiang.orgs.models import User

    root = User.objects.create_superuser("root", password="Root-password-1")
    return Client(raise_request_exception=False,
                  HTTP_AUTHORIZATION=f"Bearer {services.issue_api_token(actor=root, name='test')[1]}",
                  HTTP_ACCEPT_LANGUAGE="en")


def send(client: Client, method: str, url: str, query: dict[str, Any], media: str | None, body: Any) -> Any:
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    if media == "multipart/form-data":  # the import upload: fields as form data, and a file
        assert method == "post"
        return client.post(url, {**(body or {}), "file": SimpleUploadedFile("名册.xlsx", b"PK\x03\x04")})
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_no_integer_in_any_path_query_or_body_makes_the_api_fail(api):
    document = api.get("/api/v1/openapi.json").json()
    answered: dict[str, list[str]] = {}
    failures = []
    for method, url, where, query, (media, body) in cases(document):
        response = send(api, method, url, query, media, body)
        answered.setdefault(str(response.status_code), []).append(f"{method.upper()} {url} {where}")
        if response.status_code not in ALLOWED:
            failures.append((response.status_code, method.upper(), url, where, response.content[:200]))
    assert not failures, failures
    # The walk reached the integers: most of them are refused by the range check itself.
    assert len(answered.get("422", [])) > 100, {k: len(v) for k, v in answered.items()}


def test_the_refusal_names_the_field_and_the_bound(api):
    response = api.get("/api/v1/people", {"offset": 2**63})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "offset" in response.json()["errors"]
    response = api.get(f"/api/v1/orgs/{2**63}")
    assert response.status_code == 422 and "org_id" in response.json()["errors"]
    assert "9223372036854775807" in response.json()["detail"]
    response = api.post("/api/v1/transfers", {"person": 1, "to_employer": -(2**63) - 1},
                        content_type="application/json")
    assert response.status_code == 422 and "to_employer" in response.json()["errors"]


def test_the_pagination_declares_its_bound_in_the_openapi_schema(api):
    document = api.get("/api/v1/openapi.json").json()
    offset = next(p for p in document["paths"]["/api/v1/people"]["get"]["parameters"] if p["name"] == "offset")
    assert offset["schema"]["maximum"] == 2**63 - 1


def test_an_overflow_that_reaches_the_database_anyway_is_a_422_not_a_500(rf):
    """The fallback: OverflowError (SQLite cannot bind the number) and PostgreSQL's numeric overflow (SQLSTATE
    22003) become the same 422; any other data error stays a server error (a bug, not bad input)."""
    from django.db import DataError

    from gongjiang.api import api

    class Cause(Exception):
        sqlstate = "22003"

    request = rf.get("/api/v1/people")
    assert api.on_exception(request, OverflowError("Python int too large to convert to SQLite INTEGER")
                            ).status_code == 422
    overflow = DataError("bigint out of range")
    overflow.__cause__ = Cause()
    response = api.on_exception(request, overflow)
    assert response.status_code == 422 and json.loads(response.content)["code"] == "invalid"
    with pytest.raises(DataError):
        api.on_exception(request, DataError("value too long for type character varying(40)"))
