from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "备份数据库和凭证文件到一个新目录（SQLite 在线备份；PostgreSQL 用 pg_dump），并写入带校验值的清单。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="备份目录（不存在或为空）")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_write(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{output}（{manifest['database']['vendor']} 数据库，共 {len(manifest['files'])} 个文件）"))
