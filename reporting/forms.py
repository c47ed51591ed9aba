"""Forms of the website-contribution and reporting pages: they validate and convert, in Chinese."""

import datetime

from django import forms

from publicity.models import KIND_CHOICES
from reporting.contributions import upload_content_type

ACCEPT_SCANS = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


class ScanField(forms.FileField):
    """A JPG/PNG/PDF file, checked by its content and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_SCANS}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload_content_type(upload)
        return upload


class ContributionForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}))
    authors = forms.CharField(label="作者", max_length=200, required=False,
                              help_text="多名作者用“、”分隔，第一作者在前；不填视为集体稿件。")
    kind = forms.ChoiceField(label="稿件类型", choices=KIND_CHOICES, initial="news")
    is_major = forms.BooleanField(label="重大事项", required=False,
                                  help_text="重大事项须由分管领导签字审批；一般信息由科室负责人签字。")
    signed_by = forms.CharField(label="签批人", max_length=50,
                                help_text="在审批单上签字的科室负责人或分管领导姓名。")
    first_published_url = forms.URLField(label="本单位网站首发链接", max_length=500, required=False,
                                         assume_scheme="https")
    approval_scan = ScanField(label="签批件扫描件",
                              help_text="签字审批单的扫描件或照片（JPG、PNG 或 PDF）；"
                                        "无网站的单位上传领导签字的原件或传真件。")

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["first_published_url"]
        if unit is not None and unit.has_website:
            field.required = True
            field.help_text = "本单位有网站：请先在本单位网站发布，再填写首发链接。"
        else:
            field.help_text = "本单位没有网站的可不填。"


class PublishForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}))
    published_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}),
                                   initial=datetime.date.today)
    url = forms.URLField(label="局网站链接", max_length=500, required=False, assume_scheme="https")


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text="投稿单位会看到这段说明：写明要改什么。")


class ReportForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="可填写本期宣传工作的简要说明；零报告也请说明情况。")
    attachment = ScanField(label="附件（可选）", required=False,
                           help_text="如有原件凭证或盖章的明细表扫描件，可上传（JPG、PNG 或 PDF）。")


class RosterForm(forms.Form):
    officer_name = forms.CharField(label="信息宣传员姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=30)
