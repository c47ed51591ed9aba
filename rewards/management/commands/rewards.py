"""`manage.py rewards --year Y --format json|table|xlsx` (DOMAIN.md §10)."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import ReportCommand
from rewards.exports import rewards_table, rewards_workbook
from rewards.services import rewards_for_year, rewards_json


class Command(ReportCommand):
    help = "计算某年度每篇稿件的宣传奖励（一稿多投按最高等次、跨年补差、按作者分配），输出 JSON、表格或 Excel。"
    year_help = "奖励年度，如 2011"

    def handle(self, *args, year, format, output, **options):
        try:
            result = rewards_for_year(year=year)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.emit(format=format, output=output, written=f"{len(result.manuscripts)} 篇稿件",
                  workbook=lambda: rewards_workbook(result), data=lambda: rewards_json(result),
                  table=lambda: rewards_table(result))
