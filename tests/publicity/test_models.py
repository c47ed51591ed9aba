import datetime

import pytest
from django.db import IntegrityError, transaction

from core.text import normalize_name
from publicity.models import AuditEvent, Manuscript, Outlet, Publication, Quota, QuotaLine, Status, Unit

pytestmark = pytest.mark.django_db


def test_a_publication_is_unique_per_manuscript_outlet_and_date(make_publication, hanbin):
    first = make_publication(hanbin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(manuscript=first.manuscript, outlet=first.outlet,
                                   published_on=first.published_on)


def test_the_same_manuscript_may_appear_in_another_outlet(make_publication, hanbin):
    first = make_publication(hanbin)
    reprint = Publication.objects.create(manuscript=first.manuscript, outlet=Outlet.objects.get(name="陕西日报"),
                                         published_on=first.published_on)
    assert first.manuscript.publications.count() == 2
    assert reprint.status == Status.DRAFT


def test_a_rejection_needs_a_reason(make_publication, hanbin):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    publication.status = Status.REJECTED
    with pytest.raises(IntegrityError), transaction.atomic():
        publication.save()


def test_an_unknown_status_is_refused_by_the_database(make_publication, hanbin):
    publication = make_publication(hanbin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(status="published")


def test_an_unknown_kind_or_topic_is_refused_by_the_database(hanbin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Manuscript.objects.create(unit=hanbin, title="x", kind="poem")
    with pytest.raises(IntegrityError), transaction.atomic():
        Manuscript.objects.create(unit=hanbin, title="x", special_topic="sports")


def test_manuscript_numbers_are_unique_within_a_unit(hanbin, hanyin):
    Manuscript.objects.create(unit=hanbin, title="a", ref="2011-01")
    Manuscript.objects.create(unit=hanyin, title="b", ref="2011-01")
    Manuscript.objects.create(unit=hanbin, title="c", ref="")
    Manuscript.objects.create(unit=hanbin, title="d", ref="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Manuscript.objects.create(unit=hanbin, title="e", ref="2011-01")


def test_a_unit_has_one_count_per_line_and_year(hanbin):
    line = QuotaLine.objects.get(code="L_RES")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(unit=hanbin, line=line, year=2011, count=9)
    Quota.objects.create(unit=hanbin, line=line, year=2012, count=4)


def test_quota_years_are_plausible(hanbin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(unit=hanbin, line=QuotaLine.objects.get(code="L_RES"), year=211, count=4)


def test_a_unit_kind_outside_the_three_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="某某", kind="village")


@pytest.mark.parametrize(("name", "level", "media_class", "eligible"), [
    ("人民日报", "national", "party_paper", True),
    ("陕西电视台", "provincial", "tv", True),
    ("安康日报", "municipal", "party_paper", True),
    ("安康电视台", "municipal", "tv", True),
    ("当代陕西", "provincial", "party_periodical", False),
    ("安康广播电台", "municipal", "radio", False),
    ("局网站", "municipal", "website", False),
])
def test_bonus_eligibility_is_party_papers_and_tv_at_municipal_or_higher(name, level, media_class, eligible):
    outlet = Outlet.objects.get(name=name)
    assert (outlet.level, outlet.media_class, outlet.is_bonus_eligible) == (level, media_class, eligible)
    assert Outlet.objects.bonus_eligible().filter(pk=outlet.pk).exists() is eligible


def test_a_county_party_paper_earns_no_bonus():
    outlet = Outlet.objects.create(name="汉滨报", level="county", media_class="party_paper")
    assert not outlet.is_bonus_eligible


def test_names_are_normalised_for_lookup():
    assert normalize_name(" 《安康日报》 ") == "安康日报"
    assert normalize_name("安康\u3000日报") == "安康日报"
    assert normalize_name("ＣＣＴＶ") == "cctv"


def test_the_audit_trail_is_append_only():
    event = AuditEvent.objects.create(action="test", target_type="x", summary="测试")
    event.summary = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()


def test_publication_year_is_the_year_of_its_date(make_publication, hanbin):
    publication = make_publication(hanbin, published_on=datetime.date(2011, 12, 31))
    assert publication.year == 2011
    assert Publication.objects.in_year(2011).filter(pk=publication.pk).exists()
    assert not Publication.objects.in_year(2012).filter(pk=publication.pk).exists()
