"""The detail table's optional 调研专题 column (issue 16, DOMAIN §11): a research article links to one of its unit's
research topics by title; an unknown topic or a topic on a non-research row is an error naming row and value; an
export carries the column only when an article has a topic, and re-imports without a change."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from exchange.services import ARTICLE_HEADERS, articles_export, articles_import
from publicity.models import Manuscript, Publication, ResearchTopic
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = [*ARTICLE_HEADERS, "调研专题"]


def row(title, *, unit="汉滨区", kind="调研", topic="", date="2011-05-03"):
    return [unit, title, "张三", "安康日报", kind, "第2版", 800, date, "", "", "", topic]


@pytest.fixture
def topics(hanbin, hanyin):
    def make(unit, year, title):
        return ResearchTopic.objects.create(unit=unit, year=year, title=title, lead="王明",
                                            planned_completion=datetime.date(year, 11, 30))

    return {"hb2011": make(hanbin, 2011, "农村劳动力转移就业调研"),
            "hb2010": make(hanbin, 2010, "农村劳动力转移就业调研"),  # the same title a year earlier
            "hy2011": make(hanyin, 2011, "社保扩面调研")}


def test_a_research_row_links_to_its_units_topic_of_the_rows_year(rita, topics):
    content = xlsx_bytes([HEADER, row("调研一", topic="农村劳动力转移就业调研"),
                          row("调研二", topic=" 农村劳动力　转移就业调研 "),  # compared like titles (spaces)
                          row("调研三"), row("去年的调研", topic="农村劳动力转移就业调研", date="2010-11-03")])
    result = articles_import(actor=rita, file=content, filename="明细表.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    linked = dict(Manuscript.objects.values_list("title", "research_topic"))
    assert linked == {"调研一": topics["hb2011"].pk, "调研二": topics["hb2011"].pk, "调研三": None,
                      "去年的调研": topics["hb2010"].pk}


def test_an_unknown_topic_or_another_units_is_an_error_naming_row_and_value(rita, topics):
    content = xlsx_bytes([HEADER, row("好调研", topic="农村劳动力转移就业调研"),
                          row("坏专题", topic="没有这个专题"),
                          row("别人的专题", topic="社保扩面调研")])
    result = articles_import(actor=rita, file=content, filename="明细表.xlsx")
    assert not result.ok and not Publication.objects.exists()
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [
        (3, "调研专题", "没有这个专题", "汉滨区没有填报这个调研专题，请填写本单位已填报的专题名称（或留空）"),
        (4, "调研专题", "社保扩面调研", "汉滨区没有填报这个调研专题，请填写本单位已填报的专题名称（或留空）")]


def test_a_topic_on_a_news_row_is_an_error(rita, topics):
    content = xlsx_bytes([HEADER, row("新闻带专题", kind="新闻", topic="农村劳动力转移就业调研")])
    result = articles_import(actor=rita, file=content, filename="明细表.xlsx")
    assert not result.ok and not Publication.objects.exists()
    assert [(e.row, e.value) for e in result.errors] == [(2, "农村劳动力转移就业调研")]
    assert "只有调研文章可以关联调研专题" in result.errors[0].reason


def test_the_export_carries_the_column_only_with_a_linked_article_and_reimports_unchanged(rita, topics, hanbin,
                                                                                           make_publication):
    make_publication(hanbin, title="无专题调研", kind="research")
    plain = load_workbook(io.BytesIO(articles_export(publications=Publication.objects.all(), actor=rita).to_bytes()))
    assert "调研专题" not in next(plain["稿件明细表"].iter_rows(values_only=True))  # still the notice's 附件2

    linked = make_publication(hanbin, title="有专题调研", kind="research")
    Manuscript.objects.filter(pk=linked.manuscript_id).update(research_topic=topics["hb2011"])
    content = articles_export(publications=Publication.objects.all(), actor=rita).to_bytes()
    rows = list(load_workbook(io.BytesIO(content))["稿件明细表"].iter_rows(values_only=True))
    column = rows[0].index("调研专题")
    assert {r[1]: r[column] for r in rows[1:]} == {"无专题调研": None, "有专题调研": "农村劳动力转移就业调研"}
    before = list(Manuscript.objects.order_by("pk").values("pk", "research_topic"))
    result = articles_import(actor=rita, file=content, filename="导出.xlsx")
    assert result.ok and (result.created, result.updated) == (0, 0)
    assert list(Manuscript.objects.order_by("pk").values("pk", "research_topic")) == before
