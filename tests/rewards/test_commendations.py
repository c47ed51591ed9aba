"""Commendations (表彰): proposed from a closed year's snapshots, confirmed by reviewers, printed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from publicity.models import Unit
from rewards.models import Commendation
from rewards.services import commendation_confirm, commendation_remove, commendations_propose
from scoring.models import UnitResultSnapshot
from yearend.services import year_close

pytestmark = pytest.mark.django_db
AFTER_2011 = datetime.date(2012, 2, 1)


def close_with_scores(rita, scores: dict[str, tuple[int, str]]):
    """Close 2011, then set the snapshot's rank and score of the named units (others rank low, score 0)."""
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    UnitResultSnapshot.objects.filter(year=2011).update(rank=20, score=Decimal("0"))
    for name, (rank, score) in scores.items():
        UnitResultSnapshot.objects.filter(year=2011, unit_name=name).update(rank=rank, score=Decimal(score))


def proposals(kind):
    return list(Commendation.objects.filter(year=2011, kind=kind).order_by("rank"))


def test_proposals_need_a_closed_year(rita):
    with pytest.raises(ValidationError, match="尚未结算"):
        commendations_propose(year=2011, reviewer=rita)


def test_it_proposes_the_best_three_units_of_each_kind_scoring_at_least_the_base(rita):
    counties = list(Unit.objects.filter(kind="county").order_by("sort_order")[:5])
    close_with_scores(rita, {counties[0].name: (1, "5.2"), counties[1].name: (2, "4.5"),
                             counties[2].name: (3, "3.9"),  # below the base of 4
                             counties[3].name: (4, "4.2")})  # not in the best three
    commendations_propose(year=2011, reviewer=rita)
    proposed = proposals(Commendation.Kind.COLLECTIVE)
    assert [c.unit for c in proposed] == counties[:2]
    assert proposed[0].reason == "县区第1名，考核得分5.2"
    assert all(c.status == Commendation.State.PROPOSED for c in proposed)


def test_it_proposes_individuals_by_rewards_then_articles(rita, hanbin, hanyin, make_publication):
    make_publication(hanbin, title="省报一", outlet="陕西日报", authors="王明")
    make_publication(hanbin, title="省报二", outlet="陕西日报", authors="王明、李华")
    make_publication(hanyin, title="市报", outlet="安康日报", authors="赵六")
    make_publication(hanyin, title="集体稿", outlet="人民日报", authors="")  # collective: nobody is commended
    make_publication(hanyin, title="内部", outlet="内部报送", authors="钱七")  # earns 0: not proposed
    close_with_scores(rita, {})
    commendations_propose(year=2011, reviewer=rita)
    proposed = proposals(Commendation.Kind.INDIVIDUAL)
    assert [(c.person_name, c.unit) for c in proposed] == [("王明", hanbin), ("李华", hanbin), ("赵六", hanyin)]
    assert proposed[0].reason == "全年采用稿件2篇，获宣传奖励150.00元"
    assert proposed[0].figures == {"amount": "150.00", "articles": 2}


def test_confirming_is_audited_and_survives_a_new_proposal(rita, hanbin, make_publication):
    make_publication(hanbin, title="省报一", outlet="陕西日报", authors="王明")
    make_publication(hanbin, title="省报二", outlet="陕西日报", authors="李华")
    close_with_scores(rita, {})
    commendations_propose(year=2011, reviewer=rita)
    wang = Commendation.objects.get(person_name="王明")
    commendation_confirm(commendation=wang, reviewer=rita)
    wang.refresh_from_db()
    assert (wang.status, wang.confirmed_by) == (Commendation.State.CONFIRMED, rita)
    assert wang.confirmed_at is not None
    assert AuditEvent.objects.filter(action="commendation_confirm", target_id=str(wang.pk)).exists()
    with pytest.raises(ValidationError):
        commendation_confirm(commendation=wang, reviewer=rita)

    commendations_propose(year=2011, reviewer=rita)
    rows = Commendation.objects.filter(year=2011, kind=Commendation.Kind.INDIVIDUAL)
    assert sorted((c.person_name, c.status) for c in rows) == [("李华", "proposed"), ("王明", "confirmed")]
    assert Commendation.objects.get(pk=wang.pk).is_confirmed


def test_removing_is_audited(rita, hanbin, make_publication):
    make_publication(hanbin, title="省报一", outlet="陕西日报", authors="王明")
    close_with_scores(rita, {})
    (wang,) = commendations_propose(year=2011, reviewer=rita)
    commendation_remove(commendation=wang, reviewer=rita)
    assert not Commendation.objects.filter(pk=wang.pk).exists()
    event = AuditEvent.objects.get(action="commendation_remove")
    assert "王明" in event.summary


# --- pages -----------------------------------------------------------------------------------------


@pytest.fixture
def commended(rita, hanbin, make_publication):
    make_publication(hanbin, title="省报一", outlet="陕西日报", authors="王明")
    make_publication(hanbin, title="省报二", outlet="陕西日报", authors="李华")
    close_with_scores(rita, {"汉滨区": (1, "5")})
    commendations_propose(year=2011, reviewer=rita)
    confirmed = Commendation.objects.get(person_name="王明")
    commendation_confirm(commendation=confirmed, reviewer=rita)
    collective = Commendation.objects.get(kind=Commendation.Kind.COLLECTIVE, unit=hanbin)
    commendation_confirm(commendation=collective, reviewer=rita)
    confirmed.refresh_from_db()
    return confirmed


def test_every_user_reads_the_confirmed_list_but_not_the_proposals(client, bob, commended):
    client.force_login(bob)
    page = client.get(reverse("rewards:commendations"), {"year": 2011}).content.decode()
    assert "王明" in page
    assert "李华" not in page  # still a proposal
    assert "commendation_propose" not in page and "生成建议名单" not in page


def test_reviewers_see_proposals_and_confirm_them_on_the_page(client, rita, commended):
    client.force_login(rita)
    page = client.get(reverse("rewards:commendations"), {"year": 2011}).content.decode()
    assert "李华" in page and "生成建议名单" in page
    li = Commendation.objects.get(person_name="李华")
    response = client.post(reverse("rewards:commendation_confirm", args=[li.pk]))
    assert response.status_code == 302
    li.refresh_from_db()
    assert li.is_confirmed


def test_the_propose_button_reports_an_open_year(client, rita):
    client.force_login(rita)
    response = client.post(reverse("rewards:commendation_propose") + "?year=2011", follow=True)
    assert "尚未结算" in response.content.decode()


def test_certificates_print_one_per_page_in_chinese(client, rita, settings, commended):
    settings.BUREAU_NAME = "安康市人力资源和社会保障局"
    client.force_login(rita)
    page = client.get(reverse("rewards:commendation_certificates"), {"year": 2011}).content.decode()
    assert page.count('class="certificate"') == 2
    assert "荣誉证书" in page
    assert "授予汉滨区“2011年度人力资源和社会保障宣传工作先进集体”称号" in page
    assert "授予王明同志“2011年度人力资源和社会保障宣传工作先进个人”称号" in page
    assert "安康市人力资源和社会保障局" in page
    assert f"{commended.confirmed_at:%Y}年" in page
    assert "style=" not in page and "<script" not in page
    one = client.get(reverse("rewards:commendation_certificates"), {"year": 2011, "id": commended.pk})
    assert one.content.decode().count('class="certificate"') == 1


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_takes_a_bounded_number_of_queries(client, rita, hanbin, make_publication,
                                                    django_assert_max_num_queries, n):
    for i in range(n):
        make_publication(hanbin, title=f"稿件{i}", outlet="陕西日报", authors=f"作者{i}")
    close_with_scores(rita, {})
    commendations_propose(year=2011, reviewer=rita)
    client.force_login(rita)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("rewards:commendations"), {"year": 2011})
    assert response.content.decode().count("确认</button>") == min(n, 10)


def test_the_admin_shows_a_commendations_basis_as_a_sentence_not_json(client, rita):
    counties = list(Unit.objects.filter(kind="county").order_by("sort_order")[:1])
    close_with_scores(rita, {counties[0].name: (1, "5.2")})
    commendations_propose(year=2011, reviewer=rita)
    commendation = proposals(Commendation.Kind.COLLECTIVE)[0]
    client.force_login(rita)

    html = client.get(f"/admin/rewards/commendation/{commendation.pk}/change/").content.decode()
    listing = client.get("/admin/rewards/commendation/").content.decode()

    assert "县区第1名，考核得分5.2" in html and "县区第1名，考核得分5.2" in listing
    assert '"rank"' not in html and "&quot;rank&quot;" not in html


def test_a_basis_is_built_from_the_figures_kept_with_the_commendation():
    from rewards.models import commendation_basis

    assert commendation_basis("collective", {"kind": "section", "rank": 2, "score": "4.3"}) == \
        "机关科室第2名，考核得分4.3"
    assert commendation_basis("individual", {"articles": 5, "amount": "300.00"}) == \
        "全年采用稿件5篇，获宣传奖励300.00元"
    assert commendation_basis("individual", {}) == ""
