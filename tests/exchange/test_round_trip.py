"""DOMAIN §10 round trip, issue 13 items 4–5: re-importing any export changes nothing; a row's review status
is never changed by an import; closed years and bad export links are handled calmly."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from core.models import AuditEvent
from exchange.services import ARTICLE_HEADERS, articles_export, articles_import
from publicity.models import Manuscript, Publication, Status
from tests.exchange.excel_files import xlsx_bytes
from yearend.services import year_close

pytestmark = pytest.mark.django_db

HEADER = list(ARTICLE_HEADERS)


def row(unit="汉滨区", title="就业招聘会", outlet="安康日报", date="2011-05-03", status=None, chars=800):
    cells = [unit, title, "张三", outlet, "新闻", "第2版", chars, date, "", "", ""]
    return cells if status is None else [*cells, status]


@pytest.fixture
def mixed(make_publication, hanbin, hanyin):
    """A record of every status, in two units."""
    return [make_publication(hanbin, title="草稿稿件", status=Status.DRAFT),
            make_publication(hanbin, title="待审稿件", status=Status.SUBMITTED, outlet="陕西日报"),
            make_publication(hanyin, title="退回稿件", status=Status.REJECTED),
            make_publication(hanyin, title="通过稿件", status=Status.APPROVED, char_count=900)]


def _snapshot():
    return list(Publication.objects.order_by("pk").values()), list(Manuscript.objects.order_by("pk").values())


def test_an_admin_export_of_a_filtered_list_reimports_without_changing_a_status(client, rita, mixed):
    client.force_login(rita)
    response = client.get("/admin/publicity/publication/export/?status__in=draft,submitted,rejected,approved")
    assert response.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    assert header == [*HEADER, "审核状态"]
    titles = {c.value for c in load_workbook(io.BytesIO(response.content)).active["B"]}
    assert "草稿稿件" not in titles  # a draft is its unit's own until submitted (issue 19): not in a reviewer's export
    before = _snapshot()
    result = articles_import(actor=rita, file=response.content, filename="导出.xlsx")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert _snapshot() == before  # submitted and rejected records stay what they were


def test_an_export_of_approved_records_only_has_no_status_column(rita, mixed):
    book = articles_export(publications=Publication.objects.filter(status=Status.APPROVED), actor=rita)
    header = [c.value for c in load_workbook(io.BytesIO(book.to_bytes())).active[1]]
    assert header == HEADER


def test_a_new_row_that_is_not_approved_is_skipped_and_reported_with_its_row(rita):
    content = xlsx_bytes([[*HEADER, "审核状态"], row(title="甲", status="已通过"), row(title="乙", status="待审核"),
                          row(title="丙", status="草稿"), row(title="丁", status=None)])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert result.ok and (result.created, result.skipped) == (2, 2)
    assert sorted(Publication.objects.values_list("manuscript__title", "status")) == [
        ("丁", "approved"), ("甲", "approved")]
    skipped = {r.number: r.note for r in result.rows if r.action == "跳过"}
    assert set(skipped) == {3, 4} and "只导入已通过的记录" in skipped[3]
    assert "跳过 2 条" in result.summary()


def test_a_row_matching_a_record_under_review_never_changes_it(rita, mixed):
    content = xlsx_bytes([[*HEADER, "审核状态"], row(title="待审稿件", outlet="陕西日报", chars=5000, status="已通过")])
    before = _snapshot()
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert result.ok and result.skipped == 1
    assert "导入不改动审核中的记录" in result.rows[0].note
    assert _snapshot() == before


def test_an_approved_record_is_corrected_by_a_reimport_without_its_status_changing(rita, mixed, hanyin):
    content = xlsx_bytes([HEADER, row(unit="汉阴县", title="通过稿件", chars=1500)])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert (result.updated, result.created) == (1, 0)
    publication = Publication.objects.get(manuscript__title="通过稿件")
    assert (publication.char_count, publication.status) == (1500, Status.APPROVED)


def test_a_closed_years_export_reimports_unchanged_but_a_change_is_refused_once_and_clearly(rita, mixed):
    exported = articles_export(publications=Publication.objects.all(), actor=rita).to_bytes()
    year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 10))
    before = _snapshot()
    again = articles_import(actor=rita, file=exported, filename="导出.xlsx")
    assert again.ok and again.unchanged == 4
    events = AuditEvent.objects.filter(action="articles_import").count()
    changed = articles_import(actor=rita, file=xlsx_bytes([HEADER, row(unit="汉阴县", title="通过稿件", chars=1)]),
                              filename="a.xlsx")
    assert not changed.ok
    message = str(changed.errors[0])
    assert message.startswith("第2行，发表日期：“2011-05-03”") and "已结算" in message
    assert "。。" not in message and message.endswith("。")
    assert _snapshot() == before
    assert AuditEvent.objects.filter(action="articles_import").count() == events


@pytest.mark.parametrize("query", ["?published_on__year=abc", "?foo=bar", "?sort=x", "?p=-5", "?year=abc",
                                   "?status__exact=nonsense", "?manuscript__unit__id__exact=abc", "?o=zz"])
def test_a_bad_filter_in_an_export_link_is_a_message_not_a_server_error(client, rita, mixed, query):
    client.force_login(rita)
    for model in ("publicity/publication", "scoring/quota", "publicity/unit", "publicity/outlet", "core/auditevent"):
        response = client.get(f"/admin/{model}/export/{query}")
        assert response.status_code in (200, 302), (model, query, response.status_code)
        if response.status_code == 302:
            page = client.get(response["Location"]).content.decode()
            assert "筛选条件有误" in page, (model, query)
