"""`manage.py import_articles FILE [--dry-run]`: the detail table (附件2), imported as approved."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publicity.exchange import articles_import


class Command(BaseCommand):
    help = "导入稿件明细表（附件2，.xlsx 或 .xls）；导入的刊发记录直接记为已通过。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        result = articles_import(actor=None, file=path.read_bytes(), filename=path.name,
                                 dry_run=options["dry_run"])
        report(self, result)


def report(command: BaseCommand, result) -> None:
    """Print every error and fail (exit status 1), or print the summary."""
    if not result.ok:
        for error in result.errors:
            command.stderr.write(str(error))
        raise CommandError(result.summary())
    command.stdout.write(result.summary())
