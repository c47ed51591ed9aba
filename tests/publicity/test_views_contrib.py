"""Contribution pages: officers of their own unit only; reviewers edit and publish or return."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from home.management.commands.demo_data import tiny_png
from publicity.models import Publication
from reporting.contributions import contribution_submit
from reporting.models import WebsiteContribution

pytestmark = pytest.mark.django_db

PNG = tiny_png(11)


def make_contribution(officer, unit, title="汉滨区启动就业援助月"):
    return contribution_submit(officer=officer, unit=unit, title=title, body="正文。", signed_by="张科长",
                               scan=SimpleUploadedFile("签批单.png", PNG),
                               first_published_url="https://example.gov.cn/1.html")


def form_data(**overrides):
    data = {"title": "汉滨区启动就业援助月", "body": "正文内容。", "authors": "王明", "kind": "news",
            "signed_by": "张科长", "first_published_url": "https://hb.example.gov.cn/1.html",
            "approval_scan": SimpleUploadedFile("签批单.png", PNG, content_type="image/png")}
    data.update(overrides)
    return data


def test_an_officer_submits_through_the_form(client, alice, hanbin):
    client.force_login(alice)
    response = client.post(reverse("reporting:contribution_new"), form_data())
    contribution = WebsiteContribution.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:contribution", args=[contribution.pk])
    assert contribution.unit == hanbin and contribution.submitted_by == alice


def test_a_bad_scan_keeps_what_was_typed_and_says_what_to_fix(client, alice):
    client.force_login(alice)
    bad = SimpleUploadedFile("签批单.png", b"GIF89a not accepted", content_type="image/png")
    response = client.post(reverse("reporting:contribution_new"), form_data(approval_scan=bad, body="我写的正文"))
    body = response.content.decode()
    assert response.status_code == 200 and not WebsiteContribution.objects.exists()
    assert "文件「签批单.png」不是允许的格式" in body
    assert "我写的正文" in body and "张科长" in body


def test_a_unit_with_a_website_is_told_to_give_the_url(client, alice):
    client.force_login(alice)
    response = client.post(reverse("reporting:contribution_new"), form_data(first_published_url=""))
    assert response.context["form"].errors["first_published_url"]
    assert "请先在本单位网站发布，再填写首发链接" in response.content.decode()
    assert not WebsiteContribution.objects.exists()


def test_an_officer_cannot_set_the_unit_or_status_through_the_form(client, alice, hanbin, hanyin):
    client.force_login(alice)
    client.post(reverse("reporting:contribution_new"), form_data(unit=hanyin.pk, status="published"))
    contribution = WebsiteContribution.objects.get()
    assert contribution.unit == hanbin and contribution.status == "submitted"


def test_bob_reaches_nothing_of_hanbin_by_changing_ids(client, alice, bob, hanbin):
    contribution = make_contribution(alice, hanbin)
    client.force_login(bob)
    assert contribution.title not in client.get(reverse("reporting:contributions")).content.decode()
    for name in ("reporting:contribution", "reporting:contribution_scan"):
        assert client.get(reverse(name, args=[contribution.pk])).status_code == 404, name
    for name in ("reporting:contribution_publish", "reporting:contribution_return"):
        assert client.post(reverse(name, args=[contribution.pk]), {"reason": "x"}).status_code == 403, name


def test_the_scan_is_served_to_the_unit_and_to_reviewers_only_through_the_view(client, alice, hank, rita, leo,
                                                                               hanbin):
    contribution = make_contribution(alice, hanbin)
    url = reverse("reporting:contribution_scan", args=[contribution.pk])
    for user in (alice, hank, rita, leo):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
    client.logout()
    assert client.get(url).status_code == 302


def test_a_reviewer_edits_and_publishes_from_the_page(client, alice, rita, hanbin):
    contribution = make_contribution(alice, hanbin)
    client.force_login(rita)
    page = client.get(reverse("reporting:contribution", args=[contribution.pk])).content.decode()
    assert "采编并发布到局网站" in page
    response = client.post(reverse("reporting:contribution_publish", args=[contribution.pk]), {
        "title": "改后的标题", "body": "改后的正文", "published_on": "2011-03-02", "url": ""})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.manuscript.title == "改后的标题" and publication.outlet.name == "局网站"
    assert publication.status == "approved" and publication.published_on == datetime.date(2011, 3, 2)


def test_a_return_needs_a_reason_and_the_officer_sees_it(client, alice, rita, hanbin):
    contribution = make_contribution(alice, hanbin)
    client.force_login(rita)
    url = reverse("reporting:contribution_return", args=[contribution.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "请填写退回原因" in response.content.decode()
    client.post(url, {"reason": "请补充活动时间。"})
    client.force_login(alice)
    page = client.get(reverse("reporting:contribution", args=[contribution.pk])).content.decode()
    assert "已退回" in page and "请补充活动时间。" in page
    assert "采编并发布到局网站" not in page


def test_an_officer_cannot_publish_through_the_page(client, alice, hanbin):
    contribution = make_contribution(alice, hanbin)
    client.force_login(alice)
    response = client.post(reverse("reporting:contribution_publish", args=[contribution.pk]),
                           {"title": "x", "body": "y", "published_on": "2011-03-02"})
    assert response.status_code == 403 and not Publication.objects.exists()


def test_the_list_filters_by_status(client, alice, rita, hanbin):
    make_contribution(alice, hanbin, title="第一篇")
    client.force_login(rita)
    assert "第一篇" in client.get(reverse("reporting:contributions") + "?status=submitted").content.decode()
    assert "第一篇" not in client.get(reverse("reporting:contributions") + "?status=published").content.decode()


def test_contributions_are_in_the_navigation(client, alice):
    client.force_login(alice)
    assert "网站投稿" in client.get("/").content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_page_takes_a_bounded_number_of_queries(client, alice, rita, hanbin, count,
                                                         django_assert_max_num_queries):
    for i in range(count):
        make_contribution(alice, hanbin, title=f"投稿{i}")
    client.force_login(rita)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:contributions"))
    assert response.status_code == 200 and "投稿1" in response.content.decode()


def test_a_returned_contribution_can_be_resubmitted_with_its_text_and_the_reason_in_view(client, alice, rita,
                                                                                          hanbin):
    from reporting.contributions import contribution_return

    contribution = make_contribution(alice, hanbin, title="要修改的投稿")
    contribution_return(contribution=contribution, reviewer=rita, reason="请补充活动时间。")
    client.force_login(alice)
    detail = client.get(reverse("reporting:contribution", args=[contribution.pk])).content.decode()
    assert "修改后重新投稿" in detail
    page = client.get(reverse("reporting:contribution_new") + f"?from={contribution.pk}").content.decode()
    assert 'value="要修改的投稿"' in page and "请补充活动时间。" in page


def test_bob_cannot_prefill_from_hanbins_returned_contribution(client, alice, bob, rita, hanbin):
    from reporting.contributions import contribution_return

    contribution = make_contribution(alice, hanbin, title="汉滨区的投稿")
    contribution_return(contribution=contribution, reviewer=rita, reason="保密原因")
    client.force_login(bob)
    page = client.get(reverse("reporting:contribution_new") + f"?from={contribution.pk}").content.decode()
    assert "汉滨区的投稿" not in page and "保密原因" not in page


def test_a_unit_head_reads_the_units_contributions_but_cannot_submit(client, alice, hank, hanbin):
    make_contribution(alice, hanbin, title="汉滨区的投稿")
    client.force_login(hank)
    page = client.get(reverse("reporting:contributions")).content.decode()
    assert "汉滨区的投稿" in page and "新建投稿" not in page
    assert client.get(reverse("reporting:contribution_new")).status_code == 403
