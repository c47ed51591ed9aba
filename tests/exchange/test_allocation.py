import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.services import quotas_import
from publicity.models import AuditEvent, Quota, Unit
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

MUN_UP, MUN, SC, JJ, PROV_UP, RES = ("市级及以上媒体新闻稿件", "市级媒体(含局网站)稿件", "其中：双创报道",
                                     "其中：纪检监察信息", "省级及以上媒体稿件(含会议经验交流材料)", "专题调研文章")
HEADER = ["序号", "单位", "单位类型", MUN_UP, MUN, SC, JJ, PROV_UP, RES, "备注"]


def counts(unit_name, year=2012):
    return {q.line.code: q.count for q in Quota.objects.for_year(year).filter(unit__name=unit_name)}


def allocation(*rows):
    return xlsx_bytes([["2012年度宣传任务分解表"], HEADER, *rows], merges=["A1:J1"])


def test_it_imports_counts_per_unit_with_an_empty_cell_meaning_no_such_line(rita):
    content = allocation([1, "汉滨区", "县区", "４５", None, None, None, "—", "5", ""],
                         [2, "市技工学校", "局属单位", 15, 10, 2, "2", None, 1, "备注"],
                         [3, " 办公室 ", "机关科室", None, 5, None, None, 2, 1, None])
    result = quotas_import(actor=rita, year=2012, file=content, filename="任务.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert counts("汉滨区") == {"L_MUN_UP": 45, "L_RES": 5}
    assert counts("市技工学校") == {"L_MUN_UP": 15, "L_MUN": 10, "L_SC": 2, "L_JJ": 2, "L_RES": 1}
    assert counts("办公室") == {"L_MUN": 5, "L_PROV_UP": 2, "L_RES": 1}
    assert AuditEvent.objects.get(action="quotas_import").after["year"] == 2012


def test_the_same_allocation_twice_changes_nothing_and_a_correction_updates(rita):
    content = allocation([1, "汉滨区", "县区", 40, None, None, None, None, 4, None])
    quotas_import(actor=rita, year=2012, file=content, filename="a")
    again = quotas_import(actor=rita, year=2012, file=content, filename="a")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    fixed = quotas_import(actor=rita, year=2012, filename="a",
                          file=allocation([1, "汉滨区", "县区", 42, None, None, None, None, None, None]))
    assert fixed.updated == 1
    assert counts("汉滨区") == {"L_MUN_UP": 42}


def test_unknown_units_are_created_with_their_kind(rita):
    result = quotas_import(actor=rita, year=2012, filename="a",
                           file=allocation([1, "市社会保险稽核中心", "局属单位", 15, 10, None, None, None, 1, None]))
    assert result.ok and result.extra["新增单位"] == 1
    assert Unit.objects.get(name="市社会保险稽核中心").kind == "affiliated"
    assert counts("市社会保险稽核中心") == {"L_MUN_UP": 15, "L_MUN": 10, "L_RES": 1}


def test_overlapping_lines_of_a_unit_are_refused_and_nothing_is_imported(rita):
    # L_PROV_UP (≥ provincial, with experience) overlaps L_MUN_UP (≥ municipal, without it): D1.
    content = allocation([1, "汉滨区", "县区", 40, None, None, None, None, 4, None],
                         [2, "汉阴县", "县区", 40, None, None, None, 2, 4, None])
    result = quotas_import(actor=rita, year=2012, file=content, filename="a")
    assert [(e.row, e.column) for e in result.errors] == [(4, "任务项")]
    assert "重叠" in result.errors[0].reason
    assert not Quota.objects.filter(year=2012).exists()


def test_every_bad_cell_is_reported_with_row_column_and_value(rita):
    content = allocation([1, "汉滨区", "县城", "很多", None, None, None, None, 4, None],
                         [2, "新单位", None, 5, None, None, None, None, None, None],
                         [3, "汉滨区", "县区", 1, None, None, None, None, None, None],
                         [4, "汉阴县", "局属单位", 1, None, None, None, None, None, None])
    result = quotas_import(actor=rita, year=2012, file=content, filename="a")
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "单位类型", "县城"), (3, MUN_UP, "很多"), (4, "单位类型", ""), (5, "单位", "汉滨区"),
        (6, "单位类型", "局属单位")]
    assert not Unit.objects.filter(name="新单位").exists()


def test_the_quota_command_imports_and_fails_on_bad_files(tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(allocation([1, "汉滨区", "县区", 40, None, None, None, None, 4, None]))
    bad.write_bytes(allocation([1, "汉滨区", "县区", "四十", None, None, None, None, 4, None]))
    call_command("import_quotas", str(good), "--year", "2012")
    assert counts("汉滨区") == {"L_MUN_UP": 40, "L_RES": 4}
    with pytest.raises(CommandError):
        call_command("import_quotas", str(bad), "--year", "2012")
    assert "第3行，市级及以上媒体新闻稿件：“四十”" in capsys.readouterr().err


@pytest.mark.parametrize("n", [2, 20])
def test_the_quota_import_query_count_does_not_grow_with_the_rows(rita, django_assert_max_num_queries, n):
    rows = [[i, f"新单位{i}", "局属单位", 15, 10, 2, 2, None, 1, None] for i in range(n)]
    with django_assert_max_num_queries(16):
        assert quotas_import(actor=rita, year=2012, file=allocation(*rows), filename="a").created == n
