import pytest
from django.core.management import call_command

from publicity.models import Publication, Status, Unit
from scoring.models import Quota

pytestmark = pytest.mark.django_db


def test_it_generates_units_quotas_and_publications_over_years(capsys):
    call_command("generate_data", units=40, per_year=300, years=2, start_year=2012)
    assert Unit.objects.count() == 40
    for year in (2012, 2013):
        assert Publication.objects.in_year(year).count() == 300
        assert Quota.objects.filter(year=year).values("unit").distinct().count() == 40
    assert set(Publication.objects.values_list("status", flat=True)) == {s.value for s in Status}
    reprinted = Publication.objects.values("manuscript").distinct().count()
    assert reprinted < Publication.objects.count()  # some manuscripts appear in two outlets
    assert "完成" in capsys.readouterr().out
