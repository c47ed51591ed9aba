"""The demo year end to end: assess, dashboard, unit page and bulletin (one test: demo_data is slow)."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from publicity.models import Unit
from scoring.models import Quota

pytestmark = pytest.mark.django_db


def test_the_demo_year_is_assessed_and_every_page_renders(client, django_assert_max_num_queries):
    call_command("demo_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("assess", "--year", "2011", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["units"]) == Quota.objects.filter(year=2011).values("unit").distinct().count()
    assert all(0 <= unit["score"] <= 5.2 for unit in data["units"])
    assert any(unit["bonus_articles"] for unit in data["units"])

    client.force_login(User.objects.get(username="lingdao"))
    hanbin = Unit.objects.get(name="汉滨区")
    # The bulletin also reads reporting's 工作落实情况 table: 7 more queries, whatever the number of units.
    for url, text, queries in [(reverse("scoring:dashboard") + "?year=2011", "县区排名", 16),
                               (reverse("scoring:bulletin") + "?year=2011", "考核通报", 16 + 7),
                               (reverse("scoring:unit", args=[2011, hanbin.pk]), "计入考核的刊发记录", 16),
                               (reverse("scoring:periodic") + "?year=2011&period=quarter&number=4", "第四季度", 16)]:
        with django_assert_max_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode()
