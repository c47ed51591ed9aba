"""Login lock-out, session, CSRF and Content-Security-Policy (issue 8, item 2)."""

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

OFFICE = "10.8.1.20"
ELSEWHERE = "10.8.2.30"


def attempt_login(client, username, password, address=OFFICE):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


# --- login lock-out ---------------------------------------------------------------------------

def test_five_wrong_passwords_lock_alice_out_from_that_address(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt_login(client, "alice", "wrong").status_code == 200
    assert attempt_login(client, "alice", "wrong").status_code == 429
    response = attempt_login(client, "alice", "pw-alice")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_out_page_speaks_chinese(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt_login(client, "alice", "wrong")
    page = response.content.decode()
    assert "账号已暂时锁定" in page
    assert "30 分钟" in page
    assert "Account locked" not in page


def test_bob_in_the_same_office_still_logs_in(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt_login(client, "alice", "wrong")
    response = attempt_login(client, "bob", "pw-bob")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_alice_still_logs_in_from_another_address(alice):
    locked, elsewhere = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt_login(locked, "alice", "wrong")
    response = attempt_login(elsewhere, "alice", "pw-alice", address=ELSEWHERE)
    assert response.status_code == 302


def test_a_forwarded_for_header_does_not_dodge_the_lock_out(client, alice):
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR=OFFICE,
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    response = client.post("/login/", {"username": "alice", "password": "pw-alice"}, REMOTE_ADDR=OFFICE,
                           HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_the_admin_login_is_locked_out_too(client, rita):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "rita", "password": "wrong"}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429


def test_a_successful_login_clears_earlier_failures(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt_login(client, "alice", "wrong")
    assert attempt_login(client, "alice", "pw-alice").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt_login(client, "alice", "wrong")
    assert attempt_login(client, "alice", "pw-alice").status_code == 302


def test_programmatic_login_is_not_blocked_by_the_lock_out(client, alice):
    assert client.login(username="alice", password="pw-alice")


# --- session and CSRF ---------------------------------------------------------------------------

def test_a_session_ends_after_eight_hours_or_when_the_browser_closes(client, alice):
    assert attempt_login(client, "alice", "pw-alice").status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_a_login_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 403


def test_every_post_form_in_our_templates_carries_a_csrf_token():
    missing = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for form in text.lower().split("<form")[1:]:
            body = form.split("</form>")[0]
            if 'method="post"' in body.split(">")[0] and "{% csrf_token %}" not in body:
                missing.append(str(template))
    assert missing == []


# --- Content-Security-Policy --------------------------------------------------------------------

def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name] = values
    return directives


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class InlineFinder(HTMLParser):
    """Collects what a CSP governs: inline scripts, styles, style attributes, handlers, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.styles, self.style_attrs, self.handlers, self.urls = [], [], [], [], []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append(value)
            if name == "style":
                self.style_attrs.append(value)
            if name in {"src", "href", "action"} and value and tag != "a":
                self.urls.append(value)
        if tag == "script" and "src" not in attrs:
            self._open = ("script", attrs.get("nonce"), [])
        elif tag == "style":
            self._open = ("style", attrs.get("nonce"), [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            kind, nonce, parts = self._open
            (self.scripts if kind == "script" else self.styles).append((nonce, "".join(parts)))
            self._open = None


def policy_violations(response) -> list[str]:
    """Every inline fragment or foreign URL of the page that its CSP header does not allow."""
    policy = parse_policy(response["Content-Security-Policy"])
    finder = InlineFinder()
    finder.feed(response.content.decode())
    problems = []
    for directive, blocks, attributes in (("script-src", finder.scripts, finder.handlers),
                                          ("style-src", finder.styles, finder.style_attrs)):
        sources = policy.get(directive, policy["default-src"])
        for nonce, text in blocks:
            if f"'nonce-{nonce}'" not in sources and sha256_source(text) not in sources:
                problems.append(f"{directive} inline: {text[:60]!r}")
        for text in attributes:
            if "'unsafe-hashes'" not in sources or sha256_source(text) not in sources:
                problems.append(f"{directive} attribute: {text!r}")
    problems += [f"foreign URL {url}" for url in finder.urls
                 if url.startswith(("//", "http:", "https:")) or url.startswith("javascript:")]
    return problems


def test_the_policy_allows_only_the_app_itself(client):
    policy = parse_policy(client.get("/login/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy)


def test_login_and_home_satisfy_the_strict_policy(client, alice):
    assert policy_violations(client.get("/login/")) == []
    client.force_login(alice)
    assert policy_violations(client.get("/")) == []


def test_the_lock_out_page_satisfies_the_strict_policy(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt_login(client, "alice", "wrong")
    assert policy_violations(response) == []


def test_every_admin_page_satisfies_its_policy(client, superuser, make_publication, hanbin):
    make_publication(hanbin)
    assert policy_violations(client.get("/admin/login/")) == []
    client.force_login(superuser)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base, base + "add/"] if model_admin.has_add_permission(request) else [base]
        # django-import-export's pages, wherever an admin offers them
        pages += [base + "import/"] if hasattr(model_admin, "get_import_resource_classes") else []
        pages += [base + "export/"] if hasattr(model_admin, "get_export_resource_classes") else []
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        if response["Content-Type"].startswith("application/vnd.openxmlformats"):
            continue  # an export link downloads the list at once: a file, not a page
        assert policy_violations(response) == [], page


def test_the_admin_policy_widens_nothing_but_hashed_fragments(client, superuser):
    client.force_login(superuser)
    policy = parse_policy(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in str(policy)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert all(source in {"'self'", "'unsafe-hashes'"} or source.startswith("'sha256-")
               for source in policy["script-src"] + policy["style-src"])


def test_pages_are_never_framed_and_send_the_security_headers(client):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_policy_checker_catches_inline_fragments(client):
    response = client.get("/login/")
    response.content = (b'<script>alert(1)</script><p style="color:red" onclick="x()"></p>'
                        b'<style>p{}</style><img src="https://cdn.example/x.png">')
    assert len(policy_violations(response)) == 5


def test_the_lock_out_records_have_chinese_names_in_the_admin(client, superuser):
    from axes.models import AccessAttempt

    client.force_login(superuser)
    page = client.get("/admin/").content.decode()
    assert "登录防护" in page
    assert str(AccessAttempt._meta.verbose_name_plural) == "登录失败记录"
    assert "已锁定" in client.get("/admin/axes/accessattempt/").content.decode()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(client, alice, bob, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.1"
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR=proxy,
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, {OFFICE}")
    locked = client.post("/login/", {"username": "alice", "password": "pw-alice"}, REMOTE_ADDR=proxy,
                         HTTP_X_FORWARDED_FOR=OFFICE)
    assert locked.status_code == 429
    elsewhere = Client().post("/login/", {"username": "alice", "password": "pw-alice"}, REMOTE_ADDR=proxy,
                              HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert elsewhere.status_code == 302
