import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from publicity.models import Unit
from scoring.exports import text_width
from scoring.models import Quota
from tests.scoring import worked_examples

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_the_shape_of_the_domain(make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    worked_examples.affiliated_14(make_publication, Unit.objects.get(name="市技工学校"))
    data = json.loads(run("--year", "2011", "--format", "json"))
    assert data["year"] == 2011
    hanbin_row = next(u for u in data["units"] if u["unit"] == "汉滨区")
    assert hanbin_row == {
        "unit": "汉滨区", "kind": "county", "missing": 0, "bonus_articles": 1, "score": 4.1,
        "lines": [
            {"code": "L_MUN_UP", "label": "市级及以上媒体新闻稿件", "count": 40, "have": 41, "deficit": 0},
            {"code": "L_RES", "label": "专题调研文章", "count": 4, "have": 4, "deficit": 0},
        ],
    }
    school = next(u for u in data["units"] if u["unit"] == "市技工学校")
    assert (school["missing"], school["bonus_articles"], school["score"]) == (2, 0, 3.8)
    assert [line["code"] for line in school["lines"]] == ["L_MUN_UP", "L_MUN", "L_SC", "L_JJ", "L_RES"]


def test_scores_are_json_numbers_with_at_most_two_decimals(make_publication):
    text = run("--year", "2011", "--format", "json")
    for unit in json.loads(text)["units"]:
        assert isinstance(unit["score"], (int, float))
        assert round(unit["score"], 2) == unit["score"]
    assert '"score": "' not in text


def test_every_unit_with_a_quota_that_year_appears():
    data = json.loads(run("--year", "2011", "--format", "json"))
    expected = set(Quota.objects.filter(year=2011).values_list("unit__name", flat=True))
    assert {u["unit"] for u in data["units"]} == expected
    assert json.loads(run("--year", "2030", "--format", "json")) == {"year": 2030, "units": []}


def test_the_table_aligns_chinese_columns(make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    text = run("--year", "2011", "--format", "table")
    block = text.split("【县区】")[1].strip().split("\n\n")[0].splitlines()
    header, rule, *rows = block
    assert len(rows) == 10
    # The score column is right-aligned and as wide as its header, so with CJK counted as two
    # columns every line ends exactly under the end of the rule.
    for line in [header, *rows]:
        assert text_width(line) == text_width(rule), line
    assert "汉滨区" in text and "4.1" in text


def test_text_width_counts_chinese_as_two():
    assert text_width("汉滨区") == 6
    assert text_width("L_MUN 41/40") == 11


def test_the_xlsx_is_the_statistics_table(make_publication, hanbin, tmp_path):
    worked_examples.county_41(make_publication, hanbin)
    target = tmp_path / "assess.xlsx"
    run("--year", "2011", "--format", "xlsx", "--output", str(target))
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["县区", "机关科室", "局属单位"]
    rows = list(workbook["县区"].iter_rows(values_only=True))
    header = rows[1]
    assert header[:5] == ("排名", "单位", "市级及以上媒体新闻稿件·任务", "市级及以上媒体新闻稿件·完成",
                          "市级及以上媒体新闻稿件·差额")
    assert header[-3:] == ("缺稿篇数", "加分篇数", "得分")
    hanbin_row = next(row for row in rows[2:] if row[1] == "汉滨区")
    assert hanbin_row == (1, "汉滨区", 40, 41, 0, 4, 4, 0, 0, 1, 4.1)


def test_the_table_can_go_to_a_file(tmp_path):
    target = tmp_path / "assess.txt"
    run("--year", "2011", "--format", "json", "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["year"] == 2011


def test_the_xlsx_goes_to_stdout_without_an_output_file():
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")  # a terminal's stdout: text with a binary buffer
    call_command("assess", "--year", "2011", "--format", "xlsx", stdout=stdout)
    data = raw.getvalue()
    assert load_workbook(io.BytesIO(data)).sheetnames == ["县区", "机关科室", "局属单位"]


@pytest.mark.parametrize("command", ["assess", "rewards"])
@pytest.mark.parametrize("form", ["xlsx", "json"])
def test_an_unwritable_output_file_is_a_clear_chinese_error(tmp_path, command, form):
    target = tmp_path / "no-such-folder" / "out.file"
    with pytest.raises(CommandError, match="无法写入文件"):
        call_command(command, "--year", "2011", "--format", form, "--output", str(target), stderr=io.StringIO())
