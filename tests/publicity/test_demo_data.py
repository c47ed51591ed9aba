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
    assert ProofFile.objects.count() == Publication.objects.count()
    proof = ProofFile.objects.first()
    assert proof.file.read(8) == b"\x89PNG\r\n\x1a\n"
    for username in ("shenhe", "lingdao", "hanbin", "hanbin_fzr", "admin"):
        assert username in out

    before = Manuscript.objects.count()
    call_command("demo_data")
    assert Manuscript.objects.count() == before
