"""The round trip over real HTTP: an officer's token creates and submits a record with a proof, a reviewer's
token approves it, and the assessment system reads 汉滨区's score change (issue 18, "done when")."""

import datetime
import json
import urllib.error
import urllib.request
import uuid

import pytest

from api.tokens import api_token_create, system_account_create
from publicity.management.commands.demo_data import tiny_png
from publicity.models import Status, Unit
from tests.conftest import make_user


def call(base: str, method: str, path: str, *, token: str | None = None, data: dict | None = None,
         files: dict[str, tuple[str, bytes, str]] | None = None):
    headers = {"Accept": "application/json"}
    body = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if files:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (data or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                         .encode())
        for name, (filename, content, content_type) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def hanbin_of(assessment: dict) -> dict:
    return next(unit for unit in assessment["units"] if unit["unit"] == "汉滨区")


@pytest.mark.django_db(transaction=True)
def test_create_submit_approve_and_read_the_score_change(live_server, reference_data, make_publication):
    base = live_server.url
    hanbin = Unit.objects.get(name="汉滨区")
    make_user("alice", "信息宣传员", "汉滨区")
    make_user("rita", "审核员", "政策法规与信息化管理科", is_staff=True)
    # 汉滨区 has its 40 municipal-or-higher news but only 3 of its 4 research articles: one short, 3.9 points.
    for n in range(40):
        make_publication(hanbin, title=f"新闻{n}", outlet="安康日报", status=Status.APPROVED)
    for n in range(3):
        make_publication(hanbin, title=f"调研{n}", kind="research", status=Status.APPROVED)
    zara = system_account_create(username="zara", display_name="综合考核系统", scope="assessment", actor=None)
    assessment_token = api_token_create(user=zara, scope="assessment", name="综合考核系统", actor=None)[1]

    status, before = call(base, "GET", "/api/v1/assessment/?year=2011", token=assessment_token)
    assert status == 200
    assert hanbin_of(before)["score"] == 3.9 and hanbin_of(before)["missing"] == 1

    # People obtain their own tokens with their passwords.
    status, alice = call(base, "POST", "/api/v1/token/", data={"username": "alice", "password": "pw-alice"})
    assert status == 201
    status, rita = call(base, "POST", "/api/v1/token/", data={"username": "rita", "password": "pw-rita"})
    assert status == 201

    status, record = call(base, "POST", "/api/v1/records/", token=alice["token"],
                          data={"title": "关于农民工返乡创业的调查与思考", "authors": "王明", "kind": "research",
                                "outlet": "安康日报", "published_on": "2011-06-01", "char_count": "3200"},
                          files={"proofs": ("版面.png", tiny_png(7), "image/png")})
    assert status == 201, record
    assert record["status"] == "draft" and len(record["proofs"]) == 1
    status, record = call(base, "POST", f"/api/v1/records/{record['id']}/submit/", token=alice["token"], data={})
    assert status == 200 and record["status"] == "submitted"

    status, _ = call(base, "POST", f"/api/v1/records/{record['id']}/approve/", token=assessment_token)
    assert status == 403  # the assessment system reads, never reviews

    status, record = call(base, "POST", f"/api/v1/records/{record['id']}/approve/", token=rita["token"])
    assert status == 200 and record["status"] == "approved"

    status, after = call(base, "GET", "/api/v1/assessment/?year=2011", token=assessment_token)
    assert hanbin_of(after)["score"] == 4.0 and hanbin_of(after)["missing"] == 0
    research = next(line for line in hanbin_of(after)["lines"] if line["code"] == "L_RES")
    assert research["have"] == 4 and research["deficit"] == 0
    status, bulletin = call(base, "GET", "/api/v1/bulletin/?year=2011", token=assessment_token)
    county = next(group for group in bulletin["groups"] if group["kind"] == "county")
    assert next(u for u in county["units"] if u["unit"] == "汉滨区")["score"] == 4.0
    assert datetime.date.fromisoformat(record["published_on"]) == datetime.date(2011, 6, 1)
