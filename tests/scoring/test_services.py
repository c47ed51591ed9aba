import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent, YearClose
from publicity.models import Publication, Status, Unit
from scoring.models import AssessmentPolicy, Objection, Quota, UnitResultSnapshot
from scoring.services import (
    assess_year,
    assessment_policy_save,
    bulletin_for_year,
    monthly_approved,
    objection_answer,
    objection_lodge,
    periodic_bulletin,
    unit_detail,
)
from tests.scoring import worked_examples
from yearend.services import year_close, year_publicize, year_reopen

pytestmark = pytest.mark.django_db

AFTER_2011 = datetime.date(2012, 1, 10)


def result_of(results, name):
    return next(r for r in results if r.unit_name == name)


def lines_of(result):
    return {line.code: (line.count, line.have, line.deficit) for line in result.lines}


@pytest.mark.parametrize(("unit_name", "build", "missing", "bonus", "score"), [
    ("汉滨区", worked_examples.county_41, 0, 1, Decimal("4.1")),
    ("市技工学校", worked_examples.affiliated_14, 2, 0, Decimal("3.8")),
    ("办公室", worked_examples.section_9, 2, 0, Decimal("3.8")),
    ("汉阴县", worked_examples.county_60, 0, 20, Decimal("5.2")),
])
def test_it_assesses_the_worked_examples_of_the_domain(make_publication, unit_name, build, missing, bonus, score):
    unit = Unit.objects.get(name=unit_name)
    build(make_publication, unit)
    result = result_of(assess_year(year=2011), unit_name)
    assert (result.missing, result.bonus_articles, result.shown_score) == (missing, bonus, score)


def test_a_county_with_nothing_misses_44_and_scores_0():
    result = result_of(assess_year(year=2011), "石泉县")
    assert (result.missing, result.bonus_articles, result.shown_score) == (44, 0, Decimal("0"))


def test_the_affiliated_example_has_the_deficits_of_the_domain(make_publication):
    unit = Unit.objects.get(name="市技工学校")
    worked_examples.affiliated_14(make_publication, unit)
    result = result_of(assess_year(year=2011), "市技工学校")
    assert lines_of(result) == {"L_MUN_UP": (15, 14, 1), "L_MUN": (10, 9, 1), "L_SC": (2, 2, 0),
                                "L_JJ": (2, 1, 1), "L_RES": (1, 0, 1)}


def test_only_approved_publications_of_the_year_count(make_publication, hanbin):
    make_publication(hanbin, title="通过", status=Status.APPROVED)
    make_publication(hanbin, title="待审", status=Status.SUBMITTED)
    make_publication(hanbin, title="退回", status=Status.REJECTED)
    make_publication(hanbin, title="草稿", status=Status.DRAFT)
    make_publication(hanbin, title="上一年", published_on=datetime.date(2010, 12, 31))
    make_publication(hanbin, title="下一年", published_on=datetime.date(2012, 1, 1))
    result = result_of(assess_year(year=2011), "汉滨区")
    assert lines_of(result)["L_MUN_UP"] == (40, 1, 39)


def test_bonus_eligibility_follows_the_outlet_class_and_level(make_publication, hanbin):
    # 41 in 安康电视台 (municipal tv): eligible; the same in 安康广播电台 (radio) or 华商报 would not be.
    worked_examples.fill(make_publication, hanbin, 40, outlet="安康广播电台")
    worked_examples.fill(make_publication, hanbin, 1, outlet="华商报")
    worked_examples.fill(make_publication, hanbin, 4, outlet="内部报送", kind="research")
    assert result_of(assess_year(year=2011), "汉滨区").bonus_articles == 0
    worked_examples.fill(make_publication, hanbin, 2, outlet="安康电视台")
    assert result_of(assess_year(year=2011), "汉滨区").bonus_articles == 2


def test_every_unit_with_a_quota_appears_and_only_those():
    results = assess_year(year=2011)
    assert {r.unit_id for r in results} == set(Quota.objects.filter(year=2011).values_list("unit_id", flat=True))
    assert assess_year(year=2030) == []


def test_units_limit_the_assessment(hanbin, hanyin):
    assert [r.unit_name for r in assess_year(year=2011, units=[hanbin])] == ["汉滨区"]


def test_today_cuts_the_estimate_at_that_date(make_publication, hanbin):
    make_publication(hanbin, title="五月", published_on=datetime.date(2011, 5, 3))
    make_publication(hanbin, title="九月", published_on=datetime.date(2011, 9, 3))
    result = result_of(assess_year(year=2011, today=datetime.date(2011, 6, 30)), "汉滨区")
    assert lines_of(result)["L_MUN_UP"][1] == 1


def test_the_years_policy_is_applied(make_publication, hanbin):
    AssessmentPolicy.objects.create(year=2012, base=Decimal("10"), penalty_per_article=Decimal("0.2"))
    Quota.objects.create(unit=hanbin, line=Quota.objects.filter(unit=hanbin).first().line, year=2012, count=5)
    result = result_of(assess_year(year=2012), "汉滨区")
    assert result.shown_score == Decimal("9")


def test_ranks_are_within_kind_and_equal_scores_share_a_rank(make_publication):
    results = assess_year(year=2011)
    counties = [r for r in results if r.kind == "county"]
    assert all(r.rank == 1 for r in counties)  # every county has nothing: all 0
    worked_examples.county_41(make_publication, Unit.objects.get(name="汉阴县"))
    counties = [r for r in assess_year(year=2011) if r.kind == "county"]
    assert [(r.unit_name, r.rank) for r in counties[:2]] == [("汉阴县", 1), (counties[1].unit_name, 2)]
    assert {r.rank for r in counties[1:]} == {2}
    sections = [r for r in assess_year(year=2011) if r.kind == "section"]
    assert {r.rank for r in sections} == {1}


def test_results_are_ordered_county_section_affiliated():
    kinds = list(dict.fromkeys(r.kind for r in assess_year(year=2011)))
    assert kinds == ["county", "section", "affiliated"]


def _spread(make_publication, n_per_unit):
    outlets = ["安康日报", "陕西日报", "局网站", "安康电视台"]
    for unit in Unit.objects.filter(kind="county")[:5]:
        for i in range(n_per_unit):
            make_publication(unit, title=f"{unit.name}{i}", outlet=outlets[i % 4], topic="shuangchuang" * (i % 2))


@pytest.mark.parametrize("n_per_unit", [1, 12])
def test_assess_year_needs_three_queries_whatever_the_data(make_publication, django_assert_max_num_queries,
                                                           n_per_unit):
    _spread(make_publication, n_per_unit)
    with django_assert_max_num_queries(3):
        results = assess_year(year=2011)
    assert len(results) == Quota.objects.filter(year=2011).values("unit").distinct().count()


# --- Year close and bulletin ----------------------------------------------------------------------


def test_closing_a_year_snapshots_every_unit(make_publication, rita, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    snapshot = UnitResultSnapshot.objects.get(year=2011, unit=hanbin)
    assert (snapshot.missing, snapshot.bonus_articles, snapshot.score, snapshot.rank) == (0, 1, Decimal("4.1"), 1)
    assert UnitResultSnapshot.objects.filter(year=2011).count() == len(assess_year(year=2011))
    assert YearClose.objects.get(year=2011).state == YearClose.State.CLOSED
    assert AuditEvent.objects.filter(action="year_close").exists()


def test_later_edits_do_not_change_a_closed_bulletin(make_publication, rita, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    before = bulletin_for_year(year=2011)
    Publication.objects.filter(manuscript__unit=hanbin).update(status=Status.REJECTED, reject_reason="核查不符")
    make_publication(Unit.objects.get(name="汉阴县"), title="补录")
    after = bulletin_for_year(year=2011)
    assert not after.estimate
    assert after.results == before.results
    assert result_of(after.results, "汉滨区").shown_score == Decimal("4.1")
    assert result_of(assess_year(year=2011), "汉滨区").shown_score == Decimal("0")


def test_an_open_year_has_a_live_estimate_bulletin(make_publication, hanbin):
    bulletin = bulletin_for_year(year=2011)
    assert bulletin.estimate
    assert "预估" in bulletin.state_label


def test_a_year_cannot_be_closed_before_it_ends(rita):
    with pytest.raises(ValidationError, match="尚未结束"):
        year_close(year=2011, reviewer=rita, today=datetime.date(2011, 12, 31))


def test_a_closed_year_cannot_be_closed_twice(rita):
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    with pytest.raises(ValidationError, match="已经结算"):
        year_close(year=2011, reviewer=rita, today=AFTER_2011)


def test_reopening_needs_a_reason_and_is_audited(rita, make_publication, hanbin):
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    with pytest.raises(ValidationError, match="原因"):
        year_reopen(year=2011, reviewer=rita, reason="  ")
    record = year_reopen(year=2011, reviewer=rita, reason="汉滨区补报凭证")
    assert record.state == YearClose.State.REOPENED and record.reopened
    assert record.history[-1]["reason"] == "汉滨区补报凭证"
    event = AuditEvent.objects.get(action="year_reopen")
    assert event.reason == "汉滨区补报凭证" and event.before == {"state": "closed"}
    worked_examples.county_41(make_publication, hanbin)
    assert result_of(bulletin_for_year(year=2011).results, "汉滨区").shown_score == Decimal("4.1")
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    assert UnitResultSnapshot.objects.get(year=2011, unit=hanbin).score == Decimal("4.1")


def test_an_open_year_cannot_be_reopened(rita):
    with pytest.raises(ValidationError, match="无需重新开放"):
        year_reopen(year=2011, reviewer=rita, reason="试试")


def test_a_closed_years_policy_cannot_be_changed(rita):
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    policy = AssessmentPolicy.objects.get(year=2011)
    policy.base = Decimal("5")
    with pytest.raises(ValidationError, match="已结算"):
        assessment_policy_save(policy=policy, actor=rita)


def test_saving_a_policy_is_audited(rita):
    policy = AssessmentPolicy(year=2012, base=Decimal("5"))
    assessment_policy_save(policy=policy, actor=rita)
    event = AuditEvent.objects.get(action="policy_save")
    assert event.after["base"] == "5"


# --- 公示 and objections ---------------------------------------------------------------------------


def test_a_unit_objects_during_the_notice_period_and_a_reviewer_answers(rita, alice, hanbin):
    year_publicize(year=2011, reviewer=rita, today=AFTER_2011, notice_days=7)
    assert bulletin_for_year(year=2011).state.get_state_display() == "公示中"
    objection = objection_lodge(year=2011, unit=hanbin, user=alice, text="漏计3篇安康日报稿件",
                                today=AFTER_2011 + datetime.timedelta(days=6))
    with pytest.raises(ValidationError, match="未答复"):
        year_close(year=2011, reviewer=rita, today=AFTER_2011 + datetime.timedelta(days=8))
    objection_answer(objection=objection, reviewer=rita, answer="已核实补录")
    assert Objection.objects.get().answer == "已核实补录"
    year_close(year=2011, reviewer=rita, today=AFTER_2011 + datetime.timedelta(days=8))
    assert AuditEvent.objects.filter(action__in=["objection_lodge", "objection_answer"]).count() == 2


def test_objections_are_refused_outside_the_notice_period(rita, alice, hanbin):
    with pytest.raises(ValidationError, match="不在公示期"):
        objection_lodge(year=2011, unit=hanbin, user=alice, text="异议", today=AFTER_2011)
    year_publicize(year=2011, reviewer=rita, today=AFTER_2011, notice_days=3)
    with pytest.raises(ValidationError, match="不在公示期"):
        objection_lodge(year=2011, unit=hanbin, user=alice, text="异议", today=AFTER_2011 + datetime.timedelta(3))


def test_an_officer_objects_only_for_the_own_unit(rita, bob, hanbin):
    year_publicize(year=2011, reviewer=rita, today=AFTER_2011)
    with pytest.raises(ValidationError, match="本单位"):
        objection_lodge(year=2011, unit=hanbin, user=bob, text="异议", today=AFTER_2011)


def test_the_notice_period_must_end_before_closing(rita):
    year_publicize(year=2011, reviewer=rita, today=AFTER_2011, notice_days=5)
    with pytest.raises(ValidationError, match="公示期满"):
        year_close(year=2011, reviewer=rita, today=AFTER_2011 + datetime.timedelta(days=4))


# --- Unit drill-down, trend, periodic bulletin ----------------------------------------------------


def test_the_unit_detail_says_what_is_missing(make_publication):
    unit = Unit.objects.get(name="办公室")
    worked_examples.section_9(make_publication, unit)
    detail = unit_detail(year=2011, unit=unit)
    assert detail.result.shortfalls == ["还差 2 篇省级及以上媒体稿件(含会议经验交流材料)"]


def test_shortfalls_add_up_to_missing_with_nested_lines(make_publication):
    unit = Unit.objects.get(name="市技工学校")
    worked_examples.affiliated_14(make_publication, unit)
    result = unit_detail(year=2011, unit=unit).result
    assert result.shortfalls == ["还差 1 篇纪检监察信息", "还差 1 篇专题调研文章"]


def test_the_unit_detail_marks_the_bonus_articles_and_their_lines(make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    detail = unit_detail(year=2011, unit=hanbin)
    bonus = [row for row in detail.publications if row.bonus]
    assert len(bonus) == 1 and bonus[0].bonus_eligible
    research = next(row for row in detail.publications if row.publication.manuscript.kind == "research")
    assert research.lines == ["专题调研文章"]


@pytest.mark.parametrize("n_per_unit", [1, 12])
def test_the_unit_detail_needs_few_queries(make_publication, hanbin, django_assert_max_num_queries, n_per_unit):
    _spread(make_publication, n_per_unit)
    with django_assert_max_num_queries(7):
        unit_detail(year=2011, unit=hanbin)


def test_monthly_trend_counts_approved_publications_per_month(make_publication, hanbin):
    make_publication(hanbin, title="一月", published_on=datetime.date(2011, 1, 9))
    make_publication(hanbin, title="一月二", published_on=datetime.date(2011, 1, 19))
    make_publication(hanbin, title="十二月", published_on=datetime.date(2011, 12, 31))
    make_publication(hanbin, title="待审", published_on=datetime.date(2011, 3, 1), status=Status.SUBMITTED)
    assert monthly_approved(year=2011) == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_the_periodic_bulletin_reports_adoption_rate_and_progress(make_publication, hanbin):
    make_publication(hanbin, title="一", published_on=datetime.date(2011, 4, 2))
    make_publication(hanbin, title="二", published_on=datetime.date(2011, 5, 2))
    make_publication(hanbin, title="三", published_on=datetime.date(2011, 5, 3), status=Status.REJECTED)
    make_publication(hanbin, title="四", published_on=datetime.date(2011, 6, 3), status=Status.SUBMITTED)
    make_publication(hanbin, title="草稿", published_on=datetime.date(2011, 6, 4), status=Status.DRAFT)
    make_publication(hanbin, title="七月", published_on=datetime.date(2011, 7, 4))
    bulletin = periodic_bulletin(year=2011, period="quarter", number=2)
    row = next(r for r in bulletin.rows if r.result.unit_name == "汉滨区")
    assert (row.submitted, row.approved, row.adoption_rate) == (4, 2, Decimal("50.0"))
    assert lines_of(row.result)["L_MUN_UP"][1] == 2  # progress to 30 June, not July
    assert bulletin.title == "2011年第二季度宣传工作通报"
    month = periodic_bulletin(year=2011, period="month", number=12)
    assert (month.start, month.end) == (datetime.date(2011, 12, 1), datetime.date(2011, 12, 31))
