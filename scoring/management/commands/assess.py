"""`manage.py assess --year Y --format json|table|xlsx` (DOMAIN.md §10)."""

from core.commands import ReportCommand
from scoring.exports import statistics_workbook, table_text
from scoring.services import assess_year, assessment_json


class Command(ReportCommand):
    help = "计算某年度各单位的宣传工作考核结果（4分制），输出 JSON、表格或 Excel 统计表。"
    year_help = "考核年度，如 2011"

    def handle(self, *args, year, format, output, **options):
        results = assess_year(year=year)
        self.emit(format=format, output=output, written=f"{len(results)} 个单位",
                  workbook=lambda: statistics_workbook(year=year, results=results),
                  data=lambda: assessment_json(year=year, results=results),
                  table=lambda: table_text(year=year, results=results))
