"""Forms of the duties pages (DOMAIN §11): they validate and convert, in Chinese; the services in
reporting/duties.py and publicity/research.py write."""

from __future__ import annotations

import datetime

from django import forms

from publicity.forms import ACCEPT
from reporting.models import LeadingGroupRole, TrainingAttendance, WebsiteStatus

DATE_INVALID_MESSAGE = "日期格式不对，请写成 2011-03-31。"


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": f"请填写{label}。", "invalid": DATE_INVALID_MESSAGE}, **kwargs)


class ResearchTopicForm(forms.Form):
    title = forms.CharField(label="专题名称", max_length=200, error_messages={"required": "请填写专题名称。"},
                            help_text="如：关于农村劳动力转移就业的调研。")
    lead = forms.CharField(label="牵头人", max_length=100, error_messages={"required": "请填写牵头人。"},
                           help_text="负责该专题调研的人员姓名和职务，如：王明（副局长）。")
    planned_completion = _date_field("计划完成时间", help_text="一般不晚于当年12月25日。")


class PlanForm(forms.Form):
    summary = forms.CharField(label="计划摘要", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写计划摘要（主要任务和措施，几句话即可）。"},
                              help_text="全年宣传报道的主要任务、重点和措施。")
    staff = forms.CharField(label="宣传报道工作人员", max_length=300,
                            error_messages={"required": "请填写落实的宣传报道工作人员。"},
                            help_text="姓名及职务，多人用“、”分隔，如：王明（办公室主任）、李娟。")
    staff_count = forms.IntegerField(label="工作人员人数", min_value=1, max_value=999,
                                     error_messages={"required": "请填写工作人员人数。",
                                                     "invalid": "人数请填整数，如 2。",
                                                     "min_value": "人数至少为1。", "max_value": "人数不能超过999。"})
    budget = forms.DecimalField(label="宣传报道经费（元）", min_value=0, max_digits=12, decimal_places=2,
                                error_messages={"required": "请填写宣传报道经费（没有专项经费的填0）。",
                                                "invalid": "经费请填金额（元），如 20000。",
                                                "min_value": "经费不能为负数。",
                                                "max_digits": "金额过大，请以元为单位填写。",
                                                "max_decimal_places": "金额最多两位小数。"},
                                help_text="全年用于宣传报道的经费，单位：元。")
    document = forms.FileField(label="计划文件", required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                               help_text="年度宣传报道工作计划正文：Word、WPS、PDF 或盖章扫描件（JPG、PNG）。")

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_document:
            self.fields["document"].help_text = "已上传计划文件；如需更换请重新选择，不选则保留原文件。"


class LeaderForm(forms.Form):
    role = forms.ChoiceField(label="职务", choices=[(c, label) for c, label in LeadingGroupRole.choices
                                                   if c != LeadingGroupRole.RESPONSIBLE_LEADER],
                             initial=LeadingGroupRole.MEMBER)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    post = forms.CharField(label="单位职务", max_length=100, required=False)


class BaseLeaderFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"第{index + 1}行" if index is not None else "新增行"
        for field in form.fields.values():  # the table shows the labels as headings only
            field.widget.attrs["aria-label"] = f"领导小组{row}：{field.label}"

    def leaders(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


LeaderFormSet = forms.formset_factory(LeaderForm, formset=BaseLeaderFormSet, extra=3, max_num=30,
                                      validate_max=True)


class ResponsibleForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    post = forms.CharField(label="职务", max_length=100, error_messages={"required": "请填写职务。"},
                           help_text="县区主要负责人、局属单位负责人或科室科长（主任），如：区人社局局长。")


class WebsiteForm(forms.Form):
    state = forms.ChoiceField(label="建设情况", choices=WebsiteStatus.State.choices, widget=forms.RadioSelect)
    url = forms.URLField(label="网站地址", max_length=300, required=False, assume_scheme="https",
                         error_messages={"invalid": "网址格式不对，请填写完整地址，如 http://www.hbrsj.gov.cn/"},
                         help_text="已建成的必填。")
    online_on = _date_field("开通日期", required=False, help_text="已建成的必填。")
    note = forms.CharField(label="说明", max_length=300, required=False,
                           help_text="建设中的请说明进度，如：已完成招标，预计10月上线。")

    def clean_online_on(self):
        day = self.cleaned_data.get("online_on")
        if day and day > datetime.date.today():
            raise forms.ValidationError("开通日期不能晚于今天。")
        return day


class TrainingCourseForm(forms.Form):
    title = forms.CharField(label="培训主题", max_length=200, error_messages={"required": "请填写培训主题。"})
    held_on = _date_field("培训日期")
    place = forms.CharField(label="培训地点", max_length=200, error_messages={"required": "请填写培训地点。"})
    note = forms.CharField(label="培训内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label="出勤", choices=TrainingAttendance.State.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class BaseAttendanceFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        unit = (self.initial[index].get("unit_name") if self.initial and index is not None
                and index < len(self.initial) else "") or ""
        for name in ("state", "note"):
            form.fields[name].widget.attrs["aria-label"] = f"{unit}{form.fields[name].label}"

    def marks(self) -> dict[int, tuple[str, str]]:
        return {form.cleaned_data["attendance"]: (form.cleaned_data["state"], form.cleaned_data.get("note", ""))
                for form in self.forms if form.cleaned_data}


AttendanceFormSet = forms.formset_factory(AttendanceForm, formset=BaseAttendanceFormSet, extra=0, max_num=500,
                                          validate_max=True)
