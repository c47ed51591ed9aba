"""What the import commands share: the file argument, --dry-run, --format text|json, --user."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.report import ImportReport


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件路径（.xlsx 或 .xls）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
        parser.add_argument("--format", choices=("text", "json"), default="text",
                            help="text：给人看的摘要和错误；json：给脚本用（各类行数和每处错误的行、列、值、原因）")
        parser.add_argument("--user", help="以哪位用户的身份导入（审核员导入本单位的记录时按待审核提交）")

    def read(self, options) -> tuple[bytes, str]:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        return path.read_bytes(), path.name

    def actor(self, options):
        name = options.get("user")
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个有效用户：{name}")
        return user

    def report(self, report: ImportReport, options) -> None:
        """Print the summary, or every error and fail with exit status 1; in JSON for --format json."""
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            if not report.ok:
                raise CommandError(report.summary())
            return
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(report.summary())
        for row in report.rows:
            if row.note:
                self.stdout.write(f"第{row.number}行：{row.note}。")
        self.stdout.write(report.summary())
