"""E-mail officers whose periodic report or roster (DOMAIN D10), or a duty of DOMAIN §11 (research topics, the
year's plan with its leading group, the first responsible person, the unit's website) is due within 3 days or
overdue.

Run it daily from cron; a second run on the same day sends nothing more:
    python manage.py send_reminders [--today YYYY-MM-DD]
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus

from reporting.tasks import reminders_send_task


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式不正确：{value}（应为 YYYY-MM-DD，如 2011-12-22）") from exc


class Command(BaseCommand):
    help = ("向报送或工作落实事项（调研专题、年度工作计划、第一责任人、网站建设）即将到期（3天内）或已逾期的单位"
            "信息宣传员发送提醒邮件；同一天重复运行不会重复发送。")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=parse_day, default=None, help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today, **options):
        result = reminders_send_task.enqueue((today or timezone.localdate()).isoformat())
        if result.status == TaskResultStatus.SUCCESSFUL:  # run inline (no worker configured)
            for line in result.return_value:
                self.stdout.write(f"已提醒 {line}")
            self.stdout.write(f"共发送 {len(result.return_value)} 封提醒邮件。")
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError("发送提醒失败，详见日志。")
        else:
            self.stdout.write(f"已交给后台任务执行（任务编号 {result.id}），由 db_worker 发送。")
