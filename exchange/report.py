"""What an import tells its user: every error with row, column, value and reason, what happens to each row,
and the counts — the same for the admin's preview, the command line and `--format json`."""

from __future__ import annotations

from dataclasses import dataclass, field

NEW, UPDATED, UNCHANGED, SKIPPED = "新增", "更新", "不变", "跳过"
HAS_ERROR, FINE = "有错误", "无误"
PREVIEW_ROWS = 500  # the admin shows the first rows and every row with an error or a note


@dataclass
class RowError:
    row: int  # as Excel numbers it; 0 = the file as a whole
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        reason = self.reason.rstrip("。")
        if not self.row:
            return f"{reason}。"
        value = f"“{self.value}”" if self.value != "" else "（空）"
        return f"第{self.row}行，{self.column}：{value}，{reason}。"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason.rstrip("。")}


@dataclass
class PreviewRow:
    number: int
    raw: dict  # header → the cell as read
    headers: list[str]
    errors: list[RowError] = field(default_factory=list)
    action: str = ""  # 新增 / 更新 / 不变 / 跳过, or 有错误 / 无误 in a file with errors
    note: str = ""  # why a row is skipped

    @property
    def cells(self) -> list[str]:
        """The row as typed, in the table's header order (built only for the rows the admin shows)."""
        from exchange.cells import display

        return [display(self.raw.get(h)) for h in self.headers]


@dataclass
class ImportReport:
    headers: list[str]
    rows: list[PreviewRow]
    errors: list[RowError]
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    extra: dict = field(default_factory=dict)  # e.g. manuscripts or units created

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if not e.row]

    @property
    def preview(self) -> list[PreviewRow]:
        """The rows the admin shows: the first PREVIEW_ROWS, then only those with an error or a note."""
        return [r for i, r in enumerate(self.rows) if i < PREVIEW_ROWS or r.errors or r.note]

    @property
    def preview_cut(self) -> int:
        return len(self.rows) - len(self.preview)

    def count(self, action: str) -> None:
        if action == NEW:
            self.created += 1
        elif action == UPDATED:
            self.updated += 1
        elif action == UNCHANGED:
            self.unchanged += 1
        elif action == SKIPPED:
            self.skipped += 1

    def summary(self) -> str:
        if not self.ok:
            return f"文件中有 {len(self.errors)} 处错误，未导入任何数据。"
        verb = "预检通过，将" if self.dry_run else "已"
        parts = [f"新增 {self.created} 条", f"更新 {self.updated} 条", f"不变 {self.unchanged} 条"]
        if self.skipped:
            parts.append(f"跳过 {self.skipped} 条")
        parts += [f"{label} {count} 个" for label, count in self.extra.items() if count]
        return f"{verb}{'，'.join(parts)}。"

    def as_json(self) -> dict:
        """`import_* --format json`: for scripts (counts, and every error with row, column, value, reason)."""
        return {"ok": self.ok, "dry_run": self.dry_run, "new": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "extra": {label: count for label, count in self.extra.items()},
                "skipped_rows": [{"row": r.number, "reason": r.note} for r in self.rows if r.action == SKIPPED],
                "errors": [e.as_dict() for e in self.errors]}
