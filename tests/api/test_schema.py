"""The OpenAPI schema is valid, describes what the API really sends, and its docs page is served locally."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from jsonschema import Draft202012Validator

from publicity.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api, leo):
    api.force_authenticate(leo)
    response = api.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["info"]["title"] == "宣传工作考核系统 API"
    paths = set(schema["paths"])
    assert {"/api/v1/assessment/", "/api/v1/records/", "/api/v1/records/{id}/approve/"} <= paths
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_the_schema_generates_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert "/api/v1/records/" in (tmp_path / "schema.yaml").read_text(encoding="utf-8")


def test_the_schema_needs_a_login(api):
    assert api.get(reverse("api:schema")).status_code == 401


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type, so that jsonschema checks real responses."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def check(schema, component: str, data) -> None:
    document = {"$ref": f"#/components/schemas/{component}",
                "components": {"schemas": as_json_schema(schema["components"]["schemas"])}}
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(document).iter_errors(data)]
    assert errors == []


def test_the_responses_match_their_documented_shapes(api, schema, rita, hanbin, make_publication):
    make_publication(hanbin, title="调研", kind="research", authors="王明")
    make_publication(hanbin, title="待审核", status=Status.SUBMITTED)
    api.force_authenticate(rita)
    check(schema, "AssessmentJson", api.get(reverse("api:assessment"), {"year": 2011}).json())
    check(schema, "BulletinJson", api.get(reverse("api:bulletin"), {"year": 2011}).json())
    check(schema, "RewardsJson", api.get(reverse("api:rewards"), {"year": 2011}).json())
    records = api.get(reverse("api:records")).json()
    check(schema, "PaginatedRecordList", records)
    check(schema, "Unit", api.get(reverse("api:unit", args=[hanbin.pk])).json())
    with pytest.raises(AssertionError):  # the check itself can fail
        check(schema, "AssessmentJson", {"year": "2011", "units": []})


def test_the_docs_page_loads_only_the_apps_own_files(client, leo):
    client.force_login(leo)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)  # no inline script, no CDN
    assert "style=" not in page and "<style" not in page
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(path), path
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'data-schema-url="/api/schema/"' in page
