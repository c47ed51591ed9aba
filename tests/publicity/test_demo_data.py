import pytest
from django.core.management import call_command

from publicity.models import Manuscript, ProofFile, Publication, Status, Unit

pytestmark = pytest.mark.django_db


def test_demo_data_fills_a_believable_year_with_every_status_and_logins(capsys):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert Publication.objects.count() >= 300
    assert set(Publication.objects.values_list("status", flat=True)) == {s.value for s in Status}
    assert Unit.objects.exclude(manuscripts__isnull=False).count() == 0
    # every recorded publication has its proof; the bureau website's own items (D9) need none
    assert ProofFile.objects.count() == Publication.objects.filter(contribution__isnull=True).count()
    proof = ProofFile.objects.first()
    assert proof.file.read(8) == b"\x89PNG\r\n\x1a\n"
    for username in ("shenhe", "lingdao", "hanbin", "hanbin_fzr", "admin"):
        assert username in out

    before = Manuscript.objects.count()
    call_command("demo_data")
    assert Manuscript.objects.count() == before


def test_demo_data_fills_the_reporting_and_payout_pages_once():
    from reporting.models import OfficerRoster, PeriodReport, WebsiteContribution
    from rewards.models import PayoutBatch

    call_command("demo_data")
    states = set(WebsiteContribution.objects.values_list("status", flat=True))
    assert states == {"submitted", "published", "returned"}
    assert PeriodReport.objects.filter(period_kind="monthly").count() == 11
    assert PeriodReport.objects.filter(is_late=True).exists()
    # the rosters of most units (the training courses invite from them, DOMAIN §11); a few units have none
    rostered = OfficerRoster.objects.count()
    assert 0 < Unit.objects.filter(is_active=True).exclude(rosters__year=2011).count() <= 5
    (batch,) = PayoutBatch.objects.all()
    assert batch.is_confirmed and batch.period_end.month == 6
    assert batch.lines.exists()

    call_command("demo_data")
    assert WebsiteContribution.objects.count() == 3
    assert PeriodReport.objects.count() == 13
    assert PayoutBatch.objects.count() == 1
    assert OfficerRoster.objects.count() == rostered


def test_demo_data_fills_every_duty_of_2011_with_something_to_flag():
    """Issue 16 item 6: every new page has something to show, and the compliance page something to flag."""
    import datetime

    from publicity.models import ResearchTopic
    from reporting import duties
    from reporting.models import (
        BureauLeader,
        ResponsiblePerson,
        TrainingAttendance,
        TrainingCourse,
        UnitPlan,
        WebsiteStatus,
        YearSettings,
    )

    call_command("demo_data")
    assert YearSettings.objects.get(year=2011).contact_name == "杨一帆" and BureauLeader.objects.count() >= 5
    assert ResearchTopic.objects.filter(year=2011).with_completion().exclude(completed_on=None).exists()
    assert Manuscript.objects.exclude(research_topic=None).filter(kind="research").exists()
    assert UnitPlan.objects.filter(is_late=True).exists() and UnitPlan.objects.filter(is_late=False).exists()
    assert all(plan.leaders.filter(role="leader").exists() for plan in UnitPlan.objects.all())
    assert ResponsiblePerson.objects.count() == UnitPlan.objects.count()
    assert set(WebsiteStatus.objects.values_list("state", flat=True)) == {"none", "building", "online"}
    assert TrainingCourse.objects.count() == 2
    assert set(TrainingAttendance.objects.values_list("state", flat=True)) == {"attended", "absent", "excused"}
    rows = duties.duty_rows(year=2011, today=datetime.date(2011, 12, 31))
    assert any(row.overdue for row in rows) and any(not row.overdue for row in rows)
