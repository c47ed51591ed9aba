"""The officer portal and the review pages, through the browser's eyes (Django's test client)."""

import datetime

import pytest
from django.urls import reverse

from publicity import services
from publicity.models import AuditEvent, Notification, Outlet, ProofFile, Publication, Status, Unit
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"title": "汉滨区高校毕业生就业见习工作取得明显成效", "authors": "王明、李娟", "kind": "news",
            "special_topic": "", "outlet": "《安康日报》", "published_on": "2011-05-03", "page": "第2版",
            "char_count": "1200", "url": ""}
    data.update(overrides)
    return data


@pytest.fixture
def officer_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def reviewer_client(client, rita):
    client.force_login(rita)
    return client


def post_entry(client, **overrides):
    data = form_data(**overrides)
    return client.post(reverse("portal:record_create"), data)


# --- recording ------------------------------------------------------------------------------------


def test_an_officer_records_a_published_article_in_one_form(officer_client, hanbin):
    response = post_entry(officer_client, proofs=[helpers.png(), helpers.pdf()], key_topics=[1], save="1")
    publication = Publication.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:record_detail", args=[publication.pk])
    assert publication.status == Status.DRAFT
    assert publication.manuscript.unit == hanbin
    assert publication.outlet.name == "安康日报"  # the alias 《安康日报》 was resolved
    assert publication.char_count == 1200
    assert publication.proofs.count() == 2
    assert publication.manuscript.key_topics.count() == 1


def test_save_and_submit_sends_it_to_review(officer_client, rita):
    post_entry(officer_client, submit="1")
    publication = Publication.objects.get()
    assert publication.status == Status.SUBMITTED
    assert Notification.objects.filter(user=rita).exists()


def test_a_bad_form_keeps_everything_typed_and_says_what_to_fix(officer_client):
    response = post_entry(officer_client, outlet="不存在的晚报", published_on="2099-01-01", char_count="一千",
                          proofs=[helpers.exe()])
    assert response.status_code == 200
    body = response.content.decode()
    assert not Publication.objects.exists()
    assert "没有找到媒体「不存在的晚报」" in body
    assert "发表日期不能晚于今天" in body
    assert "字数请填整数" in body
    assert "可执行程序" in body
    assert 'value="汉滨区高校毕业生就业见习工作取得明显成效"' in body
    assert 'value="王明、李娟"' in body and 'value="不存在的晚报"' in body and 'value="第2版"' in body
    assert "附件需要重新选择" in body


def test_an_officer_cannot_set_status_unit_or_reviewer_through_the_form(officer_client, hanbin, hanyin, rita):
    post_entry(officer_client, status="approved", unit=str(hanyin.pk), reviewer=str(rita.pk),
               manuscript__unit=str(hanyin.pk), reviewed_at="2011-01-01", created_by=str(rita.pk))
    publication = Publication.objects.get()
    assert publication.status == Status.DRAFT
    assert publication.manuscript.unit == hanbin
    assert publication.reviewer is None and publication.reviewed_at is None

    # Nor by editing.
    officer_client.post(reverse("portal:record_edit", args=[publication.pk]),
                        form_data(status="approved", unit=str(hanyin.pk), reviewer=str(rita.pk), page="第3版"))
    publication.refresh_from_db()
    assert publication.page == "第3版"
    assert publication.status == Status.DRAFT and publication.manuscript.unit == hanbin
    assert publication.reviewer is None


def test_the_outlet_picker_works_without_javascript(officer_client):
    body = officer_client.get(reverse("portal:record_create")).content.decode()
    assert '<datalist id="outlet-options">' in body and '<option value="安康日报">' in body
    assert 'list="outlet-options"' in body
    assert "outlet-picker.js" in body and "<script>" not in body


def test_the_outlet_search_finds_names_and_aliases(officer_client):
    by_alias = officer_client.get(reverse("portal:outlet_search"), {"q": "《陕西日"}).json()["results"]
    assert "陕西日报" in [r["name"] for r in by_alias]
    by_other_alias = officer_client.get(reverse("portal:outlet_search"), {"q": "人社局网站"}).json()["results"]
    assert "局网站" in [r["name"] for r in by_other_alias]
    first = by_alias[0]
    assert set(first) == {"name", "level", "media_class", "aliases"}


def test_an_officer_adds_a_reprint_of_the_same_manuscript(officer_client):
    post_entry(officer_client)
    manuscript = Publication.objects.get().manuscript
    response = officer_client.post(reverse("portal:reprint_create", args=[manuscript.pk]),
                                   {"outlet": "陕西日报", "published_on": "2011-05-10", "front_headline": "on"})
    assert response.status_code == 302
    assert manuscript.publications.count() == 2
    assert manuscript.publications.get(outlet__name="陕西日报").front_headline


def test_a_reprint_in_the_same_outlet_on_the_same_day_is_refused_politely(officer_client):
    post_entry(officer_client)
    manuscript = Publication.objects.get().manuscript
    response = officer_client.post(reverse("portal:reprint_create", args=[manuscript.pk]),
                                   {"outlet": "安康日报", "published_on": "2011-05-03"})
    assert response.status_code == 200
    assert "请勿重复录入" in response.content.decode()


def test_the_officer_sees_the_reason_when_correcting_a_rejected_record(officer_client, alice, rita):
    post_entry(officer_client, submit="1")
    publication = Publication.objects.get()
    services.publication_reject(publication=publication, reviewer=rita, reason="请补充报纸版面照片")
    body = officer_client.get(reverse("portal:record_edit", args=[publication.pk])).content.decode()
    assert "审核员的退回原因" in body and "请补充报纸版面照片" in body and "保存并重新提交" in body
    response = officer_client.post(reverse("portal:record_edit", args=[publication.pk]),
                                   form_data(submit="1", proofs=[helpers.png()]))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == Status.SUBMITTED and publication.proofs.count() == 1


def test_an_approved_record_is_read_only_to_its_officer(officer_client, rita):
    post_entry(officer_client, submit="1")
    publication = Publication.objects.get()
    services.publication_approve(publication=publication, reviewer=rita)
    page = officer_client.get(reverse("portal:record_edit", args=[publication.pk]))
    assert page.status_code == 302
    officer_client.post(reverse("portal:record_edit", args=[publication.pk]), form_data(title="改过的标题"))
    publication.refresh_from_db()
    assert publication.manuscript.title != "改过的标题"
    detail = officer_client.get(reverse("portal:record_detail", args=[publication.pk])).content.decode()
    assert "已审核通过的记录不能修改" in detail and reverse("portal:record_edit", args=[publication.pk]) not in detail


def test_a_likely_duplicate_is_flagged_before_it_is_submitted(officer_client, make_publication, hanyin):
    make_publication(hanyin, title="别的单位的稿件", url="http://www.akdaily.cn/a/1.html", status=Status.APPROVED)
    response = post_entry(officer_client, submit="1", url="http://www.akdaily.cn/a/1.html")
    publication = Publication.objects.exclude(status=Status.APPROVED).get()
    assert publication.status == Status.DRAFT
    detail = officer_client.get(response.url).content.decode()
    assert "可能重复" in detail and "我已核对，不是重复记录" in detail
    officer_client.post(reverse("portal:record_submit", args=[publication.pk]), {"duplicates_confirmed": "1"})
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED


def test_the_same_article_typed_again_keeps_the_form_and_says_it_is_recorded(officer_client, make_publication,
                                                                            hanbin):
    make_publication(hanbin, title="汉滨区高校毕业生就业见习工作取得明显成效", status=Status.APPROVED)
    response = post_entry(officer_client, submit="1")
    assert response.status_code == 200
    assert "已登记过同一媒体、同一发表日期" in response.content.decode()
    assert response.context["form"]["title"].value() == "汉滨区高校毕业生就业见习工作取得明显成效"
    assert Publication.objects.count() == 1


def test_the_record_page_shows_every_status_change(officer_client, rita):
    post_entry(officer_client, submit="1")
    publication = Publication.objects.get()
    services.publication_reject(publication=publication, reviewer=rita, reason="日期与凭证不符")
    body = officer_client.get(reverse("portal:record_detail", args=[publication.pk])).content.decode()
    assert "草稿 → 待审核" in body and "待审核 → 已退回" in body and "日期与凭证不符" in body
    assert "Rita" in body


@pytest.mark.parametrize("size", [3, 60])
def test_the_officers_records_page_needs_at_most_ten_queries(officer_client, make_publication, hanbin, size,
                                                              django_assert_max_num_queries):
    for i in range(size):
        make_publication(hanbin, title=f"稿件{i}", status=Status.REJECTED if i % 3 == 0 else Status.APPROVED)
    with django_assert_max_num_queries(10):
        response = officer_client.get(reverse("portal:records"), {"year": 2011, "page": 2 if size > 50 else 1})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


def test_the_units_records_are_filtered_and_paged(officer_client, make_publication, hanbin, hanyin,
                                                  django_assert_max_num_queries):
    for size in (5, 40):
        Publication.objects.all().delete()
        for i in range(size):
            make_publication(hanbin, title=f"稿件{i}", status=Status.REJECTED if i % 2 else Status.APPROVED)
        make_publication(hanyin, title="别的单位")
        with django_assert_max_num_queries(12):
            response = officer_client.get(reverse("portal:records"), {"status": "rejected"})
        page = response.context["page"]
        assert page.paginator.count == size // 2
        assert all(p.status == Status.REJECTED and p.manuscript.unit == hanbin for p in page)
    first = officer_client.get(reverse("portal:records")).context["page"]
    assert first.paginator.count == 40 and len(first.object_list) == 25
    second = officer_client.get(reverse("portal:records"), {"page": 2}).context["page"]
    assert second.number == 2 and len(second.object_list) == 15


# --- review ---------------------------------------------------------------------------------------


def test_the_queue_shows_waiting_records_oldest_first_with_proofs_inline(reviewer_client, alice, make_publication,
                                                                         hanbin, hanyin):
    newer = make_publication(hanyin, title="新提交", status=Status.SUBMITTED,
                             submitted_at=datetime.datetime(2011, 5, 5, tzinfo=datetime.UTC))
    older = make_publication(hanbin, title="早提交", status=Status.SUBMITTED,
                             submitted_at=datetime.datetime(2011, 5, 1, tzinfo=datetime.UTC))
    image = services.proof_file_add(publication=older, upload=helpers.png(), uploaded_by=alice)
    document = services.proof_file_add(publication=older, upload=helpers.pdf(), uploaded_by=alice)
    response = reviewer_client.get(reverse("portal:review_queue"))
    rows = response.context["rows"]
    assert [r["publication"].pk for r in rows] == [older.pk, newer.pk]
    body = response.content.decode()
    assert f'<img class="thumb" src="{reverse("portal:proof", args=[image.pk])}?inline=1"' in body
    assert f'href="{reverse("portal:proof", args=[document.pk])}?inline=1"' in body and "PDF：" in body
    assert "无凭证" in body  # the newer one has none


def test_the_queue_flags_likely_duplicates(reviewer_client, make_publication, hanbin):
    make_publication(hanbin, title="同一篇", status=Status.APPROVED, url="http://a.cn/1")
    make_publication(hanbin, title="另一个标题", status=Status.SUBMITTED, url="http://a.cn/1")
    body = reviewer_client.get(reverse("portal:review_queue")).content.decode()
    assert "可能重复" in body and "链接相同" in body


def test_the_queue_page_query_count_does_not_grow_with_the_page(reviewer_client, alice, make_publication, hanbin,
                                                                django_assert_max_num_queries):
    for size in (3, 30):
        for i in range(size):
            p = make_publication(hanbin, title=f"队列{size}-{i}", status=Status.SUBMITTED, url=f"http://x.cn/{size}/{i}")
            services.proof_file_add(publication=p, upload=helpers.png(seed=size * 100 + i), uploaded_by=alice)
        with django_assert_max_num_queries(16):
            reviewer_client.get(reverse("portal:review_queue"))


def test_a_reviewer_approves_and_rejects_from_the_queue(reviewer_client, make_publication, hanbin, alice):
    one = make_publication(hanbin, title="一", status=Status.SUBMITTED)
    two = make_publication(hanbin, title="二", status=Status.SUBMITTED)
    reviewer_client.post(reverse("portal:review_approve", args=[one.pk]))
    missing_reason = reviewer_client.post(reverse("portal:review_reject", args=[two.pk]), {"reason": " "})
    assert missing_reason.status_code == 200 and "请填写退回原因" in missing_reason.content.decode()
    assert Publication.objects.get(pk=two.pk).status == Status.SUBMITTED
    reviewer_client.post(reverse("portal:review_reject", args=[two.pk]), {"reason": "凭证缺少报头"})
    assert Publication.objects.get(pk=one.pk).status == Status.APPROVED
    assert Publication.objects.get(pk=two.pk).reject_reason == "凭证缺少报头"
    assert Notification.objects.filter(user=alice).count() == 2


def test_a_reviewer_bulk_approves_the_ticked_records(reviewer_client, make_publication, hanbin, hanyin):
    picked = [make_publication(hanbin, title=f"批{i}", status=Status.SUBMITTED) for i in range(3)]
    left = make_publication(hanyin, title="没勾选", status=Status.SUBMITTED)
    reviewer_client.post(reverse("portal:review_bulk_approve"), {"ids": [p.pk for p in picked]})
    assert Publication.objects.filter(status=Status.APPROVED).count() >= 3
    assert all(Publication.objects.get(pk=p.pk).status == Status.APPROVED for p in picked)
    assert Publication.objects.get(pk=left.pk).status == Status.SUBMITTED


def test_a_reviewer_cannot_approve_the_own_units_record_from_the_page(reviewer_client, make_publication):
    own = make_publication(Unit.objects.get(name="政策法规与信息化管理科"), status=Status.SUBMITTED)
    reviewer_client.post(reverse("portal:review_approve", args=[own.pk]))
    reviewer_client.post(reverse("portal:review_bulk_approve"), {"ids": [own.pk]})
    assert Publication.objects.get(pk=own.pk).status == Status.SUBMITTED


def test_officers_cannot_open_the_review_pages(officer_client, make_publication, hanbin):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    assert officer_client.get(reverse("portal:review_queue")).status_code == 403
    assert officer_client.post(reverse("portal:review_approve", args=[publication.pk])).status_code == 403
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED


def test_admin_actions_use_the_same_services(client, superuser, make_publication, hanbin):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    client.force_login(superuser)
    client.post("/admin/publicity/publication/", {"action": "approve_selected", "_selected_action": [publication.pk]})
    assert Publication.objects.get(pk=publication.pk).status == Status.APPROVED
    assert AuditEvent.objects.filter(action="publication.approve", target_id=str(publication.pk)).exists()


# --- start pages and notifications ----------------------------------------------------------------


def test_the_reviewers_start_page_shows_what_awaits_review_oldest_first(reviewer_client, make_publication, hanbin):
    make_publication(hanbin, title="等了很久", status=Status.SUBMITTED,
                     submitted_at=datetime.datetime(2011, 1, 1, tzinfo=datetime.UTC))
    make_publication(hanbin, title="刚提交", status=Status.SUBMITTED,
                     submitted_at=datetime.datetime(2011, 6, 1, tzinfo=datetime.UTC))
    response = reviewer_client.get("/")
    assert response.context["waiting_count"] == 2
    assert [p.manuscript.title for p in response.context["waiting"]] == ["等了很久", "刚提交"]
    assert "最早一条已等待" in response.content.decode() and "进入审核队列" in response.content.decode()


def test_the_officers_start_page_lists_rejected_records_to_fix(officer_client, make_publication, hanbin):
    make_publication(hanbin, title="被退回的稿", status=Status.REJECTED, reject_reason="缺少凭证")
    body = officer_client.get("/").content.decode()
    assert "被退回、需要修改的记录" in body and "缺少凭证" in body and "录入稿件" in body


def test_notifications_are_shown_and_marked_read(officer_client, alice):
    services.notification_send(users=[alice], text="审核通过：测试", link="/records/1/")
    body = officer_client.get("/").content.decode()
    assert "1 条未读通知" in body
    assert "审核通过：测试" in officer_client.get(reverse("portal:notifications")).content.decode()
    officer_client.post(reverse("portal:notification_read"))
    assert not Notification.objects.filter(user=alice, read=False).exists()


# --- proofs ---------------------------------------------------------------------------------------


def test_a_proof_is_served_with_its_original_name_and_nosniff(officer_client, alice):
    post_entry(officer_client, proofs=[helpers.pdf(name="安康日报第2版.pdf")])
    proof = ProofFile.objects.get()
    response = officer_client.get(reverse("portal:proof", args=[proof.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%AE%89%E5%BA%B7" in response["Content-Disposition"]  # 安康…, RFC 5987 encoded
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    inline = officer_client.get(reverse("portal:proof", args=[proof.pk]), {"inline": "1"})
    assert inline["Content-Disposition"].startswith("inline")


def test_proof_files_live_outside_any_public_url(officer_client, private_media):
    post_entry(officer_client, proofs=[helpers.png()])
    proof = ProofFile.objects.get()
    assert (private_media / proof.file.name).exists()
    from django.conf import settings

    assert not str(private_media).startswith(str(settings.STATIC_ROOT))
    assert officer_client.get("/media/" + proof.file.name).status_code == 404
    assert officer_client.get("/static/" + proof.file.name).status_code == 404


def test_outlet_choice_is_never_an_inactive_outlet(officer_client):
    Outlet.objects.filter(name="华商报").update(is_active=False)
    response = post_entry(officer_client, outlet="华商报")
    assert response.status_code == 200 and "没有找到媒体" in response.content.decode()


def test_an_officer_with_admin_access_cannot_change_an_approved_record_or_a_unit(client, alice, make_publication,
                                                                                 hanbin):
    alice.is_staff = True
    alice.save()
    approved = make_publication(hanbin, status=Status.APPROVED)
    client.force_login(alice)
    response = client.post(f"/admin/publicity/publication/{approved.pk}/change/",
                           {"manuscript": approved.manuscript_id, "outlet": approved.outlet_id,
                            "published_on": "2011-06-01", "char_count": "5"})
    assert response.status_code in (302, 403) or "保存" not in response.content.decode()
    assert Publication.objects.get(pk=approved.pk).published_on.isoformat() == "2011-05-03"
    page = client.get(f"/admin/publicity/manuscript/{approved.manuscript_id}/change/").content.decode()
    assert 'name="unit"' not in page


def test_the_admin_reject_action_asks_for_a_reason_then_uses_the_service(client, superuser, make_publication,
                                                                          hanbin):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    client.force_login(superuser)
    url = "/admin/publicity/publication/"
    page = client.post(url, {"action": "reject_selected", "_selected_action": [publication.pk]})
    assert page.status_code == 200 and "退回原因" in page.content.decode()
    empty = client.post(url, {"action": "reject_selected", "_selected_action": [publication.pk], "apply": "1",
                              "reason": " "})
    assert "请填写退回原因" in empty.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED
    client.post(url, {"action": "reject_selected", "_selected_action": [publication.pk], "apply": "1",
                      "reason": "版面照片缺报头"})
    publication.refresh_from_db()
    assert publication.status == Status.REJECTED and publication.reject_reason == "版面照片缺报头"
    assert AuditEvent.objects.filter(action="publication.reject", target_id=str(publication.pk)).exists()


def test_reviewers_filter_the_records_by_unit(reviewer_client, make_publication, hanbin, hanyin):
    make_publication(hanbin, title="滨")
    make_publication(hanyin, title="阴")
    page = reviewer_client.get(reverse("portal:records"), {"unit": hanyin.pk}).context["page"]
    assert [p.manuscript.title for p in page] == ["阴"]


def test_the_reviewers_start_page_query_count_does_not_grow(reviewer_client, make_publication, hanbin,
                                                            django_assert_max_num_queries):
    for size in (3, 30):
        for i in range(size):
            make_publication(hanbin, title=f"首页{size}-{i}", status=Status.SUBMITTED)
        with django_assert_max_num_queries(11):
            reviewer_client.get("/")
