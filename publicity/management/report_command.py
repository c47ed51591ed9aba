"""The shape `assess` and `rewards` share (DOMAIN.md §10): `--year Y --format json|table|xlsx [--output FILE]`."""

import json
import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

FORMATS = ("json", "table", "xlsx")


class ReportCommand(BaseCommand):
    year_help = "年度，如 2011"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=self.year_help)
        parser.add_argument("--format", choices=FORMATS, default="table", help="json、table 或 xlsx")
        parser.add_argument("--output", help="输出文件；不指定时写到标准输出")

    def emit(self, *, format: str, output: str | None, workbook: Callable, data: Callable[[], dict],
             table: Callable[[], str], written: str) -> None:
        """Print or write the chosen form; only that form is built. `written` describes an xlsx file on stderr."""
        if format == "xlsx":
            payload = workbook().to_bytes()
            if output:
                self._write(output, payload)
                self.stderr.write(f"已写入 {output}（{written}）")
            else:
                stream = getattr(self.stdout._out, "buffer", None) or sys.stdout.buffer
                stream.write(payload)
                stream.flush()
            return
        text = json.dumps(data(), ensure_ascii=False, indent=2) if format == "json" else table()
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
