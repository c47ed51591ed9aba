"""`manage.py rewards --year Y --format json|table|xlsx` (DOMAIN.md §10)."""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from publicity.xlsx import workbook_bytes
from rewards.exports import rewards_table, rewards_workbook
from rewards.services import rewards_for_year, rewards_json

FORMATS = ("json", "table", "xlsx")


class Command(BaseCommand):
    help = "计算某年度每篇稿件的宣传奖励（一稿多投按最高等次、跨年补差、按作者分配），输出 JSON、表格或 Excel。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="奖励年度，如 2011")
        parser.add_argument("--format", choices=FORMATS, default="table", help="json、table 或 xlsx")
        parser.add_argument("--output", help="输出文件；不指定时写到标准输出")

    def handle(self, *args, year, format, output, **options):
        try:
            result = rewards_for_year(year=year)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if format == "xlsx":
            data = workbook_bytes(rewards_workbook(result))
            if output:
                self._write(output, data)
                self.stderr.write(f"已写入 {output}（{len(result.manuscripts)} 篇稿件）")
            else:
                stream = getattr(self.stdout._out, "buffer", None) or sys.stdout.buffer
                stream.write(data)
                stream.flush()
            return
        if format == "json":
            text = json.dumps(rewards_json(result), ensure_ascii=False, indent=2)
        else:
            text = rewards_table(result)
        if output:
            self._write(output, (text + "\n").encode("utf-8"))
        else:
            self.stdout.write(text)

    def _write(self, path: str, data: bytes) -> None:
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc}") from exc
