from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库和凭证文件：先核对清单中每个文件的校验值；当前数据库须为空，除非加 --force。"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="backup 命令写出的备份目录")
        parser.add_argument("--force", action="store_true", help="当前数据库已有数据时也覆盖")

    def handle(self, *args, source: Path, force: bool, **options):
        try:
            manifest = backup_restore(source=source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # A backup from an older version gets the migrations written since.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成：{source}（备份时间 {manifest['created_at']}，共 {len(manifest['files'])} 个文件）"))
