"""The year's bulletin gains the 工作落实情况 table (issue 16 item 4, DOMAIN §11): on the page (and so in print), in
the xlsx beside each unit's score, naming each unit's first responsible person; the score itself is unchanged."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from publicity.models import ResearchTopic
from reporting import duties
from tests.scoring import worked_examples

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(alice, hanbin, make_publication):
    worked_examples.county_41(make_publication, hanbin)
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="张建国", post="区人社局局长")
    ResearchTopic.objects.create(unit=hanbin, year=2011, title="农村劳动力转移就业调研", lead="王明",
                                 planned_completion=datetime.date(2011, 10, 31))


def test_the_bulletin_page_names_each_units_first_responsible_person(client, leo, filed):
    client.force_login(leo)
    page = client.get(reverse("scoring:bulletin") + "?year=2011").content.decode()
    table = page[page.index('id="duties-title"'):]
    assert "工作落实情况" in table and "不计入考核得分" in table
    hanbin = re.search(r'<th scope="row" class="unit">汉滨区</th>.*?</tr>', table, re.S).group(0)
    assert "张建国" in hanbin and "区人社局局长" in hanbin and "填报1个 · 完成0个" in hanbin
    # DOMAIN §11: the bulletin names the first responsible person beside the unit's score, the ranking's own
    ranking = page[:page.index('id="duties-title"')]
    assert re.search(r'<td class="score">4\.1</td>\s*<td>张建国', hanbin)
    assert "4.1" in re.search(r"汉滨区.*?</tr>", ranking[ranking.index("县区"):], re.S).group(0)
    hanyin = re.search(r'<th scope="row" class="unit">汉阴县</th>.*?</tr>', table, re.S).group(0)
    assert "未填报" in hanyin and "duty-flag" in hanyin  # 2011's due dates are past: flagged
    # the print stylesheet keeps the table: it is in the bulletin block that prints
    assert page.index('class="bulletin"') < page.index('id="duties-title"')


def test_the_bulletin_workbook_has_the_duties_sheet_with_score_and_first_responsible_person(client, leo, filed):
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_xlsx") + "?year=2011")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[-1] == "工作落实情况"
    rows = list(workbook["工作落实情况"].iter_rows(values_only=True))
    assert rows[0][0].startswith("2011年度宣传工作落实情况") and "不计入考核得分" in rows[0][0]
    header = rows[1]
    assert header == ("单位类型", "单位", "得分", "第一责任人", "职务", "调研专题", "工作计划", "网站建设", "培训出勤",
                      "逾期事项")
    by_unit = {row[1]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    counties = list(workbook["县区"].iter_rows(values_only=True))
    scores = {row[1]: row[counties[1].index("得分")] for row in counties[2:]}
    hanbin = by_unit["汉滨区"]
    assert (hanbin["第一责任人"], hanbin["职务"], hanbin["调研专题"]) == ("张建国", "区人社局局长", "填报1个 · 完成0个")
    assert hanbin["得分"] == scores["汉滨区"] == 4.1  # beside the unit's score, which the duties do not change
    assert by_unit["汉阴县"]["第一责任人"] == "未填报" and "工作计划" in by_unit["汉阴县"]["逾期事项"]
