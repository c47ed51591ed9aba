import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from core.models import AuditEvent
from exchange.services import ARTICLE_HEADERS, articles_import
from publicity.models import Manuscript, Publication, Status
from tests.exchange.excel_files import FILES, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = list(ARTICLE_HEADERS)


def row(unit="汉滨区", title="就业招聘会", authors="张三", outlet="安康日报", kind="新闻", page="第2版",
        chars=800, date="2011-05-03", topic="", url="", ref=""):
    return [unit, title, authors, outlet, kind, page, chars, date, topic, url, ref]


def dirty_file(n: int = 3) -> bytes:
    """Title rows, full-width spaces, numbers and dates as text, outlets in 《》 or by alias."""
    rows = [["2011年度宣传稿件明细表"], [], ["序号", *[h.replace("单位", "单　位") for h in HEADER], "备注"]]
    forms = ["2011-05-03", "2011/5/3", "2011.5.3", "2011年5月3日", datetime.date(2011, 5, 3)]
    outlets = ["《安康日报》", "陕西日报", " 安康电视台 ", "央视", "安康台"]
    for i in range(n):
        rows.append([i + 1, *row(title=f"稿件{i}", outlet=outlets[i % 5], date=forms[i % 5], chars=str(900 + i),
                                 authors="张三，李四"), "备注"])
    return xlsx_bytes(rows, merges=["A1:L1"])


def test_a_dirty_but_sensible_file_imports_as_approved_publications(rita, hanbin):
    result = articles_import(actor=rita, file=dirty_file(5), filename="明细表.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    publications = Publication.objects.filter(manuscript__unit=hanbin).select_related("outlet", "manuscript")
    assert publications.count() == 5
    assert {p.outlet.name for p in publications} == {"安康日报", "陕西日报", "安康电视台", "中央电视台"}
    assert {p.published_on for p in publications} == {datetime.date(2011, 5, 3)}
    assert all(p.status == Status.APPROVED and p.reviewer == rita for p in publications)
    assert sorted(p.char_count for p in publications) == [900, 901, 902, 903, 904]
    assert {p.manuscript.authors for p in publications} == {"张三、李四"}


def test_an_import_is_recorded_in_the_audit_trail(rita):
    articles_import(actor=rita, file=dirty_file(2), filename="明细表.xlsx")
    event = AuditEvent.objects.get(action="articles_import")
    assert event.actor == rita and "明细表.xlsx" in event.summary and event.after["created"] == 2


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_column_and_value(rita):
    content = xlsx_bytes([HEADER, row(title="好稿件"), row(title="坏日期", date="5月3日"),
                          row(title="坏媒体", outlet="不存在的报纸")])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert not result.ok
    assert Publication.objects.count() == 0 and Manuscript.objects.count() == 0
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "发表日期", "5月3日"), (4, "媒体", "不存在的报纸")]
    assert "第3行，发表日期：“5月3日”" in str(result.errors[0])
    assert "无法识别的日期" in str(result.errors[0])


def test_every_error_of_the_file_is_reported_at_once(rita):
    content = xlsx_bytes([HEADER, row(unit="火星区", kind="小说", chars="很多", topic="环保", url="不是网址"),
                          row(title="", date="")])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "单位"), (2, "稿件类型"), (2, "字数"), (2, "专项"), (2, "链接"), (3, "标题"), (3, "发表日期")}
    assert all(e.reason for e in result.errors)
    assert [r.number for r in result.rows if r.errors] == [2, 3]


def test_importing_the_same_file_twice_adds_nothing(rita):
    content = dirty_file(4)
    articles_import(actor=rita, file=content, filename="a.xlsx")
    before = list(Publication.objects.values_list("pk", "updated_at"))
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert list(Publication.objects.values_list("pk", "updated_at")) == before
    assert Manuscript.objects.count() == 4


def test_a_corrected_reimport_updates_instead_of_duplicating(rita):
    articles_import(actor=rita, file=xlsx_bytes([HEADER, row(chars=800, page="第2版", kind="新闻")]), filename="a")
    result = articles_import(actor=rita, file=xlsx_bytes([HEADER, row(chars=1200, page="头版头条", kind="信息")]),
                             filename="a")
    assert (result.created, result.updated) == (0, 1)
    publication = Publication.objects.select_related("manuscript").get()
    assert (publication.char_count, publication.front_headline, publication.page) == (1200, True, "")
    assert publication.manuscript.kind == "info"


def test_rows_sharing_a_manuscript_number_are_one_manuscript_in_several_outlets(rita):
    content = xlsx_bytes([HEADER, row(outlet="安康日报", ref="HB-01"), row(outlet="陕西日报", ref="HB-01"),
                          row(title="另一篇", outlet="安康日报")])
    result = articles_import(actor=rita, file=content, filename="a")
    assert result.ok
    assert Manuscript.objects.count() == 2
    assert Manuscript.objects.get(ref="HB-01").publications.count() == 2


def test_rows_with_the_same_unit_and_title_are_one_manuscript(rita, hanbin, hanyin):
    content = xlsx_bytes([HEADER, row(outlet="安康日报"), row(outlet="陕西日报"),
                          row(unit="汉阴县", outlet="陕西日报")])
    assert articles_import(actor=rita, file=content, filename="a").ok
    assert Manuscript.objects.filter(unit=hanbin).get().publications.count() == 2
    assert Manuscript.objects.filter(unit=hanyin).count() == 1


def test_rows_of_one_manuscript_must_agree_on_its_kind(rita):
    content = xlsx_bytes([HEADER, row(outlet="安康日报", kind="新闻"), row(outlet="陕西日报", kind="调研")])
    result = articles_import(actor=rita, file=content, filename="a")
    assert [(e.row, e.column) for e in result.errors] == [(3, "稿件类型")]
    assert "第2行" in result.errors[0].reason


def test_a_row_repeated_in_the_file_is_reported(rita):
    content = xlsx_bytes([HEADER, row(), row(date="2011年5月3日")])
    result = articles_import(actor=rita, file=content, filename="a")
    assert [(e.row, e.reason[:6]) for e in result.errors] == [(3, "与第2行是同")]


def test_kinds_topics_and_placement_are_understood(rita):
    content = xlsx_bytes([HEADER, row(title="甲", kind="调研", topic="双创", page="头版头条"),
                          row(title="乙", kind="", topic="纪检监察", page=" 第 3 版 "),
                          row(title="丙", kind="经验交流", url="www.hanbin.gov.cn/a.html")])
    assert articles_import(actor=rita, file=content, filename="a").ok
    a, b, c = (Publication.objects.select_related("manuscript").get(manuscript__title=t) for t in "甲乙丙")
    assert (a.manuscript.kind, a.manuscript.special_topic, a.front_headline) == ("research", "shuangchuang", True)
    assert (b.manuscript.kind, b.manuscript.special_topic, b.page) == ("news", "discipline", "第 3 版")
    assert (c.manuscript.kind, c.url) == ("experience", "http://www.hanbin.gov.cn/a.html")


def test_a_legacy_xls_file_imports(rita):
    result = articles_import(actor=rita, file=(FILES / "articles_dirty.xls").read_bytes(), filename="a.xls")
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    assert Publication.objects.get(manuscript__title="汉滨区社保扩面纪实").published_on == datetime.date(2011, 6, 8)


def test_a_dry_run_reports_without_writing(rita):
    result = articles_import(actor=rita, file=dirty_file(3), filename="a", dry_run=True)
    assert result.ok and result.created == 3 and [r.action for r in result.rows] == ["新增"] * 3
    assert Publication.objects.count() == 0 and not AuditEvent.objects.exists()


@pytest.mark.parametrize("n", [3, 60])
def test_the_query_count_does_not_grow_with_the_rows(rita, django_assert_max_num_queries, n):
    content = dirty_file(n)
    # 25: on SQLite five statements a batch keep the search index (publicity.search_sql.indexed_in_bulk).
    with django_assert_max_num_queries(25):
        assert articles_import(actor=rita, file=content, filename="a").created == n
    with django_assert_max_num_queries(20):
        assert articles_import(actor=rita, file=content, filename="a").unchanged == n


def test_the_command_imports_and_exits_non_zero_listing_every_error(tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(dirty_file(2))
    bad.write_bytes(xlsx_bytes([HEADER, row(date="明天"), row(outlet="火星日报")]))
    call_command("import_articles", str(good), "--dry-run")
    assert Publication.objects.count() == 0
    call_command("import_articles", str(good))
    assert Publication.objects.count() == 2
    with pytest.raises(CommandError, match="2 处错误"):
        call_command("import_articles", str(bad))
    err = capsys.readouterr().err
    assert "第2行，发表日期" in err and "第3行，媒体" in err


# --- Exports -----------------------------------------------------------------------------------

def _open(book):
    return load_workbook(io.BytesIO(book.to_bytes()))


def _sheet_rows(book, title):
    return [list(r) for r in _open(book)[title].iter_rows(values_only=True)]


def test_the_detail_export_reimports_without_any_change(rita, hanbin, hanyin, make_publication):
    from exchange.services import articles_export

    make_publication(hanbin, title="甲", outlet="人民日报", kind="research", topic="shuangchuang", authors="张三、李四",
                     front_headline=True, char_count=1200, url="http://rmrb.example.cn/a")
    make_publication(hanyin, title="乙", outlet="安康日报", page="第2版", status=Status.SUBMITTED)
    Manuscript.objects.filter(title="乙").update(ref="HY-7")
    content = articles_export(publications=Publication.objects.all(), actor=rita).to_bytes()
    workbook = load_workbook(io.BytesIO(content))
    rows = [list(r) for r in workbook["稿件明细表"].iter_rows(values_only=True)]
    assert rows[0] == [*HEADER, "审核状态"]  # one record is not approved
    assert rows[1][:9] == ["汉滨区", "甲", "张三、李四", "人民日报", "调研", "头版头条", 1200,
                           datetime.datetime(2011, 5, 3), "双创"]
    assert workbook["稿件明细表"]["H2"].number_format == "yyyy-mm-dd"
    assert workbook["稿件明细表"].freeze_panes == "A2"
    Publication.objects.update(status=Status.APPROVED)
    before = list(Publication.objects.order_by("pk").values())
    result = articles_import(actor=rita, file=content, filename="导出.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Publication.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="articles_export").exists()


def test_the_statistics_export_counts_approved_publications_per_line_level_and_kind(
        rita, hanbin, make_publication):
    from exchange.services import statistics_export

    make_publication(hanbin, title="甲", outlet="陕西日报")
    make_publication(hanbin, title="乙", outlet="安康日报", kind="research")
    make_publication(hanbin, title="丙", outlet="安康日报", status=Status.SUBMITTED)
    workbook = statistics_export(year=2011, actor=rita)
    lines = _sheet_rows(workbook, "任务完成情况")
    header = lines[1]
    hanbin_row = dict(zip(header, next(r for r in lines if r[0] == "汉滨区"), strict=True))
    assert hanbin_row["市级及以上媒体新闻稿件·任务"] == 40
    assert hanbin_row["市级及以上媒体新闻稿件·完成"] == 1
    assert hanbin_row["专题调研文章·完成"] == 1
    assert hanbin_row["市级媒体(含局网站)稿件·完成"] is None  # a county has no such line
    levels = _sheet_rows(workbook, "按级别和类型")
    by_level = dict(zip(levels[1], next(r for r in levels if r[0] == "汉滨区"), strict=True))
    assert (by_level["省级"], by_level["市级"], by_level["新闻"], by_level["调研文章"], by_level["合计"]) == (
        1, 1, 1, 1, 2)


def test_the_blank_detail_template_has_an_instruction_row_and_drop_downs_and_reimports(rita):
    from exchange.services import articles_template

    book = articles_template()
    workbook = _open(book)
    ws = workbook["稿件明细表"]
    assert "填表说明" in ws["A1"].value and [c.value for c in ws[2]] == HEADER
    assert workbook["选项"].sheet_state == "hidden"
    ranges = {str(v.sqref).split(":")[0][0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert set(ranges) == {"A", "D", "E", "F", "I"}  # 单位, 媒体, 稿件类型, 版面, 专项
    options = _sheet_rows(book, "选项")
    assert "安康日报" in [r[1] for r in options] and "经验交流" in [r[2] for r in options]
    book.worksheet("稿件明细表").append(row())
    result = articles_import(actor=rita, file=book.to_bytes(), filename="模板.xlsx")
    assert result.ok and result.created == 1


def test_the_blank_allocation_template_reimports(rita):
    from exchange.services import quotas_import, quotas_template

    book = quotas_template()
    ws = _open(book)["任务分解表"]
    assert [c.value for c in ws[2]][:3] == ["单位", "单位类型", "市级及以上媒体新闻稿件"]
    assert any(v.formula1.endswith("$4") for v in ws.data_validations.dataValidation)  # the three unit kinds
    book.worksheet("任务分解表").append(["汉滨区", "县区", 41, None, None, None, None, 4])
    result = quotas_import(actor=rita, year=2013, file=book.to_bytes(), filename="模板.xlsx")
    assert result.ok and result.created == 0 and result.updated == 1


def test_titles_keep_their_chinese_punctuation_and_lose_only_stray_spaces(rita):
    content = xlsx_bytes([HEADER, row(title=" 汉滨区：“十二五”就业（创业）工作，开局良好！\u3000")])
    assert articles_import(actor=rita, file=content, filename="a").ok
    assert Manuscript.objects.get().title == "汉滨区：“十二五”就业（创业）工作，开局良好！"


@pytest.mark.parametrize("n", [2, 25])
def test_the_exports_query_count_does_not_grow_with_the_rows(rita, hanbin, make_publication,
                                                             django_assert_max_num_queries, n):
    from exchange.services import articles_export, statistics_export

    for i in range(n):
        make_publication(hanbin, title=f"稿件{i}", kind=["news", "research"][i % 2])
    with django_assert_max_num_queries(3):
        articles_export(publications=Publication.objects.all(), actor=rita)
    with django_assert_max_num_queries(6):
        statistics_export(year=2011, actor=rita)


def test_numbered_and_unnumbered_rows_of_one_title_reimport_without_duplicates(rita):
    content = xlsx_bytes([HEADER, row(outlet="安康日报", ref="X-1"), row(outlet="陕西日报", date="2011-06-01")])
    assert articles_import(actor=rita, file=content, filename="a").created == 2
    again = articles_import(actor=rita, file=content, filename="a")
    assert (again.created, again.unchanged) == (0, 2)


def test_numbering_an_already_imported_manuscript_adopts_it(rita):
    articles_import(actor=rita, file=xlsx_bytes([HEADER, row()]), filename="a")
    result = articles_import(actor=rita, file=xlsx_bytes([HEADER, row(ref="HB-9")]), filename="a")
    assert (result.created, result.updated) == (0, 1)
    assert Manuscript.objects.get().ref == "HB-9"
    again = articles_import(actor=rita, file=xlsx_bytes([HEADER, row()]), filename="a")
    assert again.created == 0 and Publication.objects.count() == 1


def test_the_commands_answer_in_json_for_scripts(tmp_path, capsys):
    import json

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(dirty_file(2))
    bad.write_bytes(xlsx_bytes([HEADER, row(date="明天"), row(title="好的")]))
    call_command("import_articles", str(good), "--format", "json")
    output = json.loads(capsys.readouterr().out)
    assert output == {"ok": True, "dry_run": False, "new": 2, "updated": 0, "unchanged": 0, "skipped": 0,
                      "extra": {"新增稿件": 2}, "skipped_rows": [], "errors": []}
    call_command("import_articles", str(good), "--format", "json", "--dry-run")
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2
    with pytest.raises(CommandError):
        call_command("import_articles", str(bad), "--format", "json")
    output = json.loads(capsys.readouterr().out)
    assert output["ok"] is False and output["new"] == 0
    assert output["errors"] == [{"row": 2, "column": "发表日期", "value": "明天",
                                 "reason": output["errors"][0]["reason"]}]
    assert "无法识别的日期" in output["errors"][0]["reason"]


def test_the_quota_command_answers_in_json(tmp_path, capsys):
    import json

    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes([["单位", "单位类型", "市级及以上媒体新闻稿件"], ["汉滨区", "县区", 41],
                                 ["新的局属单位", "局属单位", 15]]))
    call_command("import_quotas", str(path), "--year", "2015", "--format", "json")
    output = json.loads(capsys.readouterr().out)
    assert (output["ok"], output["new"], output["updated"], output["extra"]) == (True, 1, 1, {"新增单位": 1})


def test_the_statistics_table_is_the_assessment_itself(rita, hanbin, hanyin, make_publication):
    # Issue 13 item 5: built from scoring.services.assess_year, not from a second count of D2.
    from exchange.services import statistics_export
    from scoring.services import assess_year

    for i, outlet in enumerate(["人民日报", "陕西日报", "安康日报", "安康电视台", "局网站"]):
        make_publication(hanbin, title=f"汉滨{i}", outlet=outlet, kind=["news", "research"][i % 2])
        make_publication(hanyin, title=f"汉阴{i}", outlet=outlet, topic="shuangchuang")
    rows = _sheet_rows(statistics_export(year=2011, actor=rita), "任务完成情况")
    header = rows[1]
    by_unit = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    for result in assess_year(year=2011):
        for line in result.lines:
            assert by_unit[result.unit_name][f"{line.label}·任务"] == line.count
            assert by_unit[result.unit_name][f"{line.label}·完成"] == line.have


def test_imported_records_are_searchable_and_the_index_keeps_its_trigger(rita, make_publication, hanbin):
    """The import indexes its new rows in one statement (publicity.search_sql.indexed_in_bulk): every imported
    row is found, none twice, and a record written afterwards is indexed by the trigger again."""
    from django.db import connection

    from publicity import search_sql
    from publicity.search import publication_search

    before = make_publication(hanbin, title="导入之前的春风行动稿件")
    result = articles_import(actor=rita, file=dirty_file(4), filename="明细表.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    imported = set(Publication.objects.exclude(pk=before.pk).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM publicity_search" if connection.vendor == "sqlite"
                       else "SELECT publication_id FROM publicity_search")
        indexed = [key for (key,) in cursor.fetchall()]
    assert sorted(indexed) == sorted([before.pk, *imported])
    for title in ("稿件0", "稿件1", "稿件2", "稿件3"):
        assert [p.manuscript.title for p in publication_search(user=rita, query=title).results] == [title]
    assert set(search_sql.TRIGGERS[connection.vendor]) <= search_sql.triggers_present(connection)
    after = make_publication(hanbin, title="导入之后的就业援助稿件")
    assert [p.pk for p in publication_search(user=rita, query="就业援助").results] == [after.pk]


def test_a_refused_import_leaves_the_search_index_as_it_was(rita, make_publication, hanbin):
    from django.db import connection

    from publicity import search_sql

    make_publication(hanbin, title="已有稿件")
    bad = xlsx_bytes([HEADER, row(title="好的一行"), row(unit="不存在的单位", title="坏的一行")])
    assert not articles_import(actor=rita, file=bad, filename="明细表.xlsx").ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM publicity_search")
        assert cursor.fetchone()[0] == 1
    assert set(search_sql.TRIGGERS[connection.vendor]) <= search_sql.triggers_present(connection)
