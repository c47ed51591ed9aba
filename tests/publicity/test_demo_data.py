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
    assert OfficerRoster.objects.count() == 1
    (batch,) = PayoutBatch.objects.all()
    assert batch.is_confirmed and batch.period_end.month == 6
    assert batch.lines.exists()

    call_command("demo_data")
    assert WebsiteContribution.objects.count() == 3
    assert PeriodReport.objects.count() == 13
    assert PayoutBatch.objects.count() == 1
