"""`manage.py import_articles FILE [--dry-run] [--format json] [--user NAME]`: the detail table (附件2)."""

from exchange.management.base import ImportCommand
from exchange.services import articles_import


class Command(ImportCommand):
    help = "导入稿件明细表（附件2，.xlsx 或 .xls）；新的刊发记录直接记为已通过（审核员导入本单位的记录除外）。"

    def handle(self, *args, **options):
        content, name = self.read(options)
        report = articles_import(actor=self.actor(options), file=content, filename=name, dry_run=options["dry_run"])
        self.report(report, options)
