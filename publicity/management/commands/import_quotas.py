"""`manage.py import_quotas FILE --year Y`: the allocation table (附件1)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publicity.exchange import quotas_import
from publicity.management.commands.import_articles import report


class Command(BaseCommand):
    help = "导入某年度的任务分解表（附件1，.xlsx 或 .xls）；系统中没有的单位会被新建。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件路径")
        parser.add_argument("--year", type=int, required=True, help="任务所属年度，如 2011")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("年度应在 2000 至 2100 之间。")
        result = quotas_import(actor=None, year=options["year"], file=path.read_bytes(), filename=path.name,
                               dry_run=options["dry_run"])
        report(self, result)
