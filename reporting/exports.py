"""Builders of background exports (publicity/background_exports.py) that reporting adds to.

The year's bulletin (考核通报) as Excel is scoring's own workbook with one more sheet, 工作落实情况 (DOMAIN §11):
each unit's first responsible person beside its score, and the duties of the year. Scoring never imports
reporting; this module is above both.
"""

from django.utils import timezone

from reporting.duties import duties_by_kind
from scoring.exports import bulletin_built, bulletin_workbook

DUTIES_SHEET = "工作落实情况"
DUTIES_HEADERS = ["单位类型", "单位", "得分", "第一责任人", "职务", "调研专题", "工作计划", "网站建设", "培训出勤",
                  "逾期事项"]


def duties_sheet_rows(*, year: int, today, scores: dict[int, object]) -> list[list]:
    rows = []
    for label, group in duties_by_kind(year=year, today=today):
        for row in group:
            rows.append([label, row.unit.name, scores.get(row.unit.pk),
                         row.responsible.name if row.responsible else "未填报",
                         row.responsible.post if row.responsible else "",
                         row.topics_label, row.plan_label, row.website_label, row.attendance.label,
                         "；".join(duty.text for duty in row.overdue)])
    return rows


def bulletin_export(*, user, year: int):
    workbook, bulletin = bulletin_workbook(year=year)
    today = timezone.localdate()
    scores = {result.unit_id: result.shown_score for result in bulletin.results}
    workbook.add_sheet(DUTIES_SHEET, DUTIES_HEADERS, duties_sheet_rows(year=year, today=today, scores=scores),
                       title=f"{year}年度宣传工作落实情况（截至{today:%Y-%m-%d}；不计入考核得分）")
    return bulletin_built(year=year, workbook=workbook, bulletin=bulletin)
