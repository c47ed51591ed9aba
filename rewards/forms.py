import datetime

from django import forms

from core.yearlock import YearLockedForm
from rewards.models import RateSheet

YEAR_RANGE_MESSAGE = "请填写2000至2100之间的年度。"


class BatchOpenForm(forms.Form):
    year = forms.IntegerField(label="奖励年度", min_value=2000, max_value=2100,
                              error_messages={"min_value": YEAR_RANGE_MESSAGE, "max_value": YEAR_RANGE_MESSAGE,
                                              "required": "请填写奖励年度。", "invalid": "年度请填写数字，如 2011。"})
    period_end = forms.DateField(label="统计截止日期",
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text="统计截至该日（含）已审核通过的刊发记录；须在奖励年度内。",
                                 error_messages={"required": "请填写统计截止日期。",
                                                 "invalid": "日期格式应为 2011-12-31。"})

    sheet = forms.ModelChoiceField(
        label="奖励标准", required=False, queryset=RateSheet.objects.select_related("issuer"),
        empty_label="市人社局奖励标准（按年度自动选择）",
        help_text="县区、局属单位自筹资金的奖励标准只发放本单位稿件，与市局发放分别计算。")

    def clean(self):
        data = super().clean()
        year, end = data.get("year"), data.get("period_end")
        if year and end and end.year != year:
            self.add_error("period_end", f"统计截止日期必须在{year}年内。")
        return data

    @classmethod
    def initial_for(cls, year: int) -> dict:
        return {"year": year, "period_end": datetime.date(year, 12, 31)}


class BatchConfirmForm(forms.Form):
    override_reason = forms.CharField(
        label="超预算说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="本批次发放后超出年度奖励预算时必须填写（如：经局务会研究同意），将记入操作日志。")


class SheetYearForm(YearLockedForm):
    """Rows of a rate sheet (tiers, headline rates) belong to the sheet's year."""

    def lock_years(self, values: dict) -> set[int | None]:
        sheet = values.get("sheet")
        if sheet is None and self.instance.sheet_id:
            sheet = self.instance.sheet
        if sheet is not None and not hasattr(sheet, "year"):
            sheet = RateSheet.objects.filter(pk=sheet).first()
        return {getattr(sheet, "year", None)}
