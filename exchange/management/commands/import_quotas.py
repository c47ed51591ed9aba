"""`manage.py import_quotas FILE --year Y [--dry-run] [--format json]`: the allocation table (附件1)."""

from django.core.management.base import CommandError

from exchange.management.base import ImportCommand
from exchange.services import quotas_import


class Command(ImportCommand):
    help = "导入某年度的任务分解表（附件1，.xlsx 或 .xls）；系统中没有的单位会被新建。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="任务所属年度，如 2011")

    def handle(self, *args, **options):
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("年度应在 2000 至 2100 之间。")
        content, name = self.read(options)
        report = quotas_import(actor=self.actor(options), year=options["year"], file=content, filename=name,
                               dry_run=options["dry_run"])
        self.report(report, options)
