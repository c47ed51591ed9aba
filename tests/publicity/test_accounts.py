"""Accounts people manage themselves (issue 15, item 1): own password, reset by e-mail or one-time link,
first-login change, Chinese rules and lock-out, officer hand-over."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from core import roles
from core.models import AuditEvent
from publicity import accounts
from publicity.models import Membership, Publication

pytestmark = pytest.mark.django_db

OFFICE = "10.8.1.20"
NEW_PASSWORD = "Hanbin-Xuanchuan-2012"


def log_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=OFFICE)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def link_in(text: str) -> str:
    return re.search(r"http://\S+/password/reset/\S+/", text).group(0)


def path_of(link: str) -> str:
    return link.removeprefix(settings.SITE_URL)


# --- own password --------------------------------------------------------------------------------


def test_every_page_header_offers_the_password_change(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert f'href="{reverse("password_change")}"' in page and "修改密码" in page


def test_alice_changes_her_own_password(client, alice):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-alice", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "密码已修改" in response.content.decode()
    client.logout()
    assert not logged_in(client) and log_in(client, "alice", "pw-alice").status_code == 200 and not logged_in(client)
    log_in(client, "alice", NEW_PASSWORD)
    assert logged_in(client)
    assert AuditEvent.objects.filter(action="user.password_change", target_id=str(alice.pk)).count() == 1


@pytest.mark.parametrize(("password", "message"), [
    ("abc1x", "密码太短：至少需要 8 个字符。"),
    ("12345678901", "密码不能全是数字"),
    ("password123", "这个密码太常见"),
    ("alice2011", "密码与账号的用户名太相似"),
])
def test_password_rules_are_explained_in_chinese(client, alice, password, message):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-alice", "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "This password" not in page
    alice.refresh_from_db()
    assert alice.check_password("pw-alice")


def test_a_wrong_old_password_is_refused_in_chinese(client, alice):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "旧密码不正确" in response.content.decode()


# --- reset by e-mail -----------------------------------------------------------------------------


def test_alice_resets_a_forgotten_password_by_email_once(client, alice):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"}, follow=True)
    assert "请查收邮件" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"] and "重设密码" in message.subject
    assert "24 小时内有效" in message.body and "只能使用一次" in message.body
    link = path_of(link_in(message.body))
    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                         "new_password2": NEW_PASSWORD}, follow=True)
    assert "新密码已设置" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_reset_request", target_id=str(alice.pk)).exists()
    assert AuditEvent.objects.filter(action="user.password_reset", target_id=str(alice.pk)).exists()
    again = client.get(link, follow=True)
    assert "链接已失效" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "请查收邮件" in response.content.decode()
    assert mail.outbox == []


def test_a_reset_link_expires(client, alice, monkeypatch):
    token = default_token_generator.make_token(alice)
    link = path_of(accounts.reset_link(alice))
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(type(default_token_generator), "_now", lambda self: later)
    assert not default_token_generator.check_token(alice, token)
    assert "链接已失效" in client.get(link, follow=True).content.decode()


def test_a_reset_lifts_the_lock_out(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "alice", "wrong")
    assert response.status_code == 429
    assert "通过邮箱重设密码" in response.content.decode()
    accounts.account_password_changed(user=alice, how="reset")
    alice.set_password(NEW_PASSWORD)
    alice.save()
    log_in(client, "alice", NEW_PASSWORD)
    assert logged_in(client)


def test_the_login_page_offers_the_reset(client):
    assert f'href="{reverse("password_reset")}"' in client.get("/login/").content.decode()


# --- the administrator: one-time links and first-login change ------------------------------------


def test_an_administrator_issues_a_one_time_link_for_a_user_without_email(client, superuser, bob):
    assert not bob.email
    client.force_login(superuser)
    url = reverse("admin:auth_user_reset_link", args=[bob.pk])
    assert "生成一次性重设链接" in client.get(url).content.decode()
    assert "一次性重设链接" in client.get(reverse("admin:auth_user_change", args=[bob.pk])).content.decode()
    page = client.post(url).content.decode()
    link = re.search(r'value="(http://[^"]+)"', page).group(1)
    event = AuditEvent.objects.get(action="user.reset_link", target_id=str(bob.pk))
    assert link not in str(event.after) and "token" not in str(event.after)
    client.logout()
    form_page = client.get(path_of(link), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert "链接已失效" in client.get(path_of(link), follow=True).content.decode()


def test_a_reviewer_cannot_issue_reset_links(client, rita, bob):
    client.force_login(rita)
    assert client.post(reverse("admin:auth_user_reset_link", args=[bob.pk])).status_code in (302, 403)
    assert not AuditEvent.objects.filter(action="user.reset_link").exists()


def create_in_admin(client, superuser, username, password):
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_user_add"), {
        "username": username, "password1": password, "password2": password, "usable_password": "true",
        "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "0", "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1", "membership-0-unit": "", "membership-0-phone": "",
        "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return User.objects.get(username=username)


def test_an_account_created_by_the_administrator_must_choose_its_password_first(client, superuser):
    carol = create_in_admin(client, superuser, "carol", "Initial-Pass-2011")
    assert Membership.objects.get(user=carol).must_change_password
    log_in(client, "carol", "Initial-Pass-2011")
    for page in ("/", reverse("portal:records"), reverse("scoring:bulletin")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), page
    assert "请先修改为只有您自己知道的新密码" in client.get(reverse("password_change")).content.decode()
    client.post(reverse("password_change"), {"old_password": "Initial-Pass-2011", "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    assert not Membership.objects.get(user=carol).must_change_password
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="user.must_change_password", target_id=str(carol.pk)).exists()


def test_a_password_set_by_the_administrator_must_be_replaced(client, superuser, alice):
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_user_password_change", args=[alice.pk]), {
        "password1": "Admin-Chosen-2011", "password2": "Admin-Chosen-2011", "usable_password": "true"})
    assert response.status_code == 302
    assert Membership.objects.get(user=alice).must_change_password
    client.logout()
    log_in(client, "alice", "Admin-Chosen-2011")
    assert client.get("/")["Location"] == reverse("password_change")
    assert client.post(reverse("logout")).status_code == 302  # logging out is never blocked


def test_the_administrator_changing_the_own_password_is_not_asked_again(client, superuser):
    client.force_login(superuser)
    client.post(reverse("admin:auth_user_password_change", args=[superuser.pk]), {
        "password1": "Root-Chosen-2011", "password2": "Root-Chosen-2011", "usable_password": "true"})
    assert not Membership.objects.filter(user=superuser, must_change_password=True).exists()


# --- officer hand-over ---------------------------------------------------------------------------


def handover(client, superuser, unit, **data):
    client.force_login(superuser)
    return client.post(reverse("admin:publicity_unit_handover", args=[unit.pk]), data)


def test_an_officer_hand_over(client, superuser, alice, hanbin, make_publication):
    old_record = make_publication(hanbin, title="前任录入的稿件", published_on=datetime.date(2011, 3, 1),
                                  created_by=alice)
    client.force_login(alice)
    assert client.get("/").status_code == 200
    alice_session = client.cookies["sessionid"].value

    other = __import__("django.test", fromlist=["Client"]).Client()
    response = handover(other, superuser, hanbin, old_officer=alice.pk, username="zhangwei", name="张伟")
    page = response.content.decode()
    assert "已停用" in page and "zhangwei" in page
    link = re.search(r'value="(http://[^"]+)"', page).group(1)  # no e-mail: the one-time link is shown

    alice.refresh_from_db()
    assert not alice.is_active
    # Alice's open session ends and she cannot log in again.
    client.cookies["sessionid"] = alice_session
    assert client.get("/").status_code == 302
    fresh = __import__("django.test", fromlist=["Client"]).Client()
    log_in(fresh, "alice", "pw-alice")
    assert not logged_in(fresh)

    zhang = User.objects.get(username="zhangwei")
    assert roles.has_role(zhang, roles.OFFICER) and roles.unit_of(zhang) == hanbin
    assert not zhang.has_usable_password()
    form_page = fresh.get(path_of(link), follow=True)
    fresh.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    log_in(fresh, "zhangwei", NEW_PASSWORD)
    assert logged_in(fresh)
    # The new officer sees the unit's whole history; the record keeps who submitted it.
    assert list(Publication.objects.visible_to(zhang)) == [old_record]
    detail = fresh.get(reverse("portal:record_detail", args=[old_record.pk])).content.decode()
    assert "前任录入的稿件" in detail
    old_record.refresh_from_db()
    assert old_record.created_by == alice

    actions = set(AuditEvent.objects.filter(unit=hanbin).values_list("action", flat=True))
    assert {"unit.handover", "user.deactivate", "user.reset_link"} <= actions


def test_a_hand_over_to_a_new_officer_with_email_mails_the_link(client, superuser, alice, hanbin):
    handover(client, superuser, hanbin, old_officer=alice.pk, username="lina", name="李娜", email="lina@example.com")
    assert mail.outbox[0].to == ["lina@example.com"]
    assert "/password/reset/" in mail.outbox[0].body


def test_a_hand_over_to_an_existing_account(client, superuser, alice, hanbin):
    spare = User.objects.create_user("spare", password="Spare-Pass-2011")
    handover(client, superuser, hanbin, old_officer=alice.pk, new_officer=spare.pk)
    assert roles.unit_of(spare) == hanbin and roles.has_role(spare, roles.OFFICER)
    assert spare.check_password("Spare-Pass-2011")


@pytest.mark.parametrize(("data", "message"), [
    ({}, "请选择新的信息宣传员的已有账号"),
    ({"username": "bob"}, "已被占用"),
])
def test_a_hand_over_with_a_mistake_changes_nothing(client, superuser, alice, bob, hanbin, data, message):
    response = handover(client, superuser, hanbin, old_officer=alice.pk, **data)
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
    assert not AuditEvent.objects.filter(action="unit.handover").exists()


def test_an_officer_of_another_unit_cannot_take_over(superuser, alice, bob, hanbin):
    with pytest.raises(Exception, match="属于汉阴县"):
        accounts.unit_officer_handover(unit=hanbin, old_officer=alice, new_officer=bob, actor=superuser)


def test_only_an_administrator_hands_a_unit_over(client, rita, alice, hanbin):
    client.force_login(rita)
    response = client.post(reverse("admin:publicity_unit_handover", args=[hanbin.pk]),
                           {"old_officer": alice.pk, "username": "x"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.is_active


def test_the_new_pages_keep_the_strict_policy(client, superuser, alice, hanbin):
    from tests.test_security import policy_violations

    pages = ["/password/reset/", "/password/reset/sent/", "/password/reset/MQ/wrong/", "/password/reset/complete/"]
    for page in pages:
        assert policy_violations(client.get(page, follow=True)) == [], page
    client.force_login(superuser)
    for page in ["/password/change/", "/password/change/done/", "/search/?q=春风行动",
                 reverse("admin:auth_user_reset_link", args=[alice.pk]),
                 reverse("admin:publicity_unit_handover", args=[hanbin.pk]),
                 "/scoring/dashboard/?compare=1", f"/scoring/unit/2011/{hanbin.pk}/"]:
        response = client.get(page)
        assert response.status_code == 200 and policy_violations(response) == [], page
