"""`manage.py assess --year Y --format json|table|xlsx` (DOMAIN.md §10)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from publicity.xlsx import workbook_bytes
from scoring.exports import statistics_workbook, table_text
from scoring.services import assess_year, assessment_json

FORMATS = ("json", "table", "xlsx")


class Command(BaseCommand):
    help = "计算某年度各单位的宣传工作考核结果（4分制），输出 JSON、表格或 Excel 统计表。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="考核年度，如 2011")
        parser.add_argument("--format", choices=FORMATS, default="table", help="json、table 或 xlsx")
        parser.add_argument("--output", help="输出文件；不指定时写到标准输出")

    def handle(self, *args, year, format, output, **options):
        results = assess_year(year=year)
        if format == "xlsx":
            data = workbook_bytes(statistics_workbook(year=year, results=results))
            if output:
                with open(output, "wb") as handle:
                    handle.write(data)
                self.stderr.write(f"已写入 {output}（{len(results)} 个单位）")
            else:
                stream = getattr(self.stdout._out, "buffer", None) or sys.stdout.buffer
                stream.write(data)
                stream.flush()
            return
        if format == "json":
            text = json.dumps(assessment_json(year=year, results=results), ensure_ascii=False, indent=2)
        else:
            text = table_text(year=year, results=results)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
            except OSError as exc:
                raise CommandError(f"无法写入文件 {output}：{exc}") from exc
        else:
            self.stdout.write(text)
