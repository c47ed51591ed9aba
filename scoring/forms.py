from django import forms


class PublicizeForm(forms.Form):
    notice_days = forms.IntegerField(label="公示天数", min_value=1, max_value=60, initial=7,
                                     help_text="公示期内各单位可查看本单位结果及计算过程，并提出异议。")


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新开放原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             required=False, help_text="重新开放会记入操作日志；结算后的结果将恢复为实时预估。")


class ObjectionForm(forms.Form):
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                           help_text="请写明哪一项结果有误、理由及可核对的稿件（标题、媒体、日期）。",
                           error_messages={"required": "请写明异议的内容和理由。"})


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "请填写答复内容。"})


class PeriodForm(forms.Form):
    """Which monthly or quarterly bulletin (GET)."""

    year = forms.TypedChoiceField(label="年度", coerce=int)
    period = forms.ChoiceField(label="周期", choices=[("month", "月报"), ("quarter", "季报")], initial="quarter")
    number = forms.TypedChoiceField(label="第几月/季度", coerce=int, initial=1,
                                    choices=[(n, str(n)) for n in range(1, 13)],
                                    help_text="月报选1–12月，季报选1–4季度。")

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]

    def clean(self):
        data = super().clean()
        if data.get("period") == "quarter" and data.get("number") and data["number"] > 4:
            self.add_error("number", "季度只能是1至4。")
        return data


class BulletinDocumentForm(forms.Form):
    """The red-header bulletin's document number and date (GET; both optional)."""

    number = forms.IntegerField(label="文号", min_value=1, max_value=9999, required=False,
                                help_text="如 12，得到“安人社发〔2012〕12号”；不填则留空待手写。",
                                error_messages={"invalid": "文号请填1至9999的整数，如 12。",
                                                "min_value": "文号请填1至9999的整数，如 12。",
                                                "max_value": "文号请填1至9999的整数，如 12。"})
    issued_on = forms.DateField(label="成文日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text="不填为结算日期（未结算时为今天）。",
                                error_messages={"invalid": "成文日期格式不对，请写成 2012-01-10。"})

    def document_number(self, *, prefix: str, issued_on) -> str:
        # Official numbering: 机关代字〔年份〕序号号; the year is the year the document is issued.
        number = self.cleaned_data.get("number")
        return f"{prefix}〔{issued_on.year}〕{number if number else '　　'}号"
