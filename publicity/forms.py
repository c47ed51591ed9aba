"""Officer and reviewer forms. They validate and convert; the services do the writing.

No form has a status, unit or reviewer field: those are set by the services from who acts.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.text import clean_text, normalize_name, required_reason, tidy_spaces
from publicity.models import KIND_CHOICES, TOPIC_CHOICES, KeyTopic, Outlet, ResearchTopic
from publicity.proofs import proof_check
from publicity.research import research_topic_check_link
from publicity.services import REASON_REQUIRED_MESSAGE

OUTLET_UNKNOWN_MESSAGE = "没有找到媒体「{value}」。请从列表中选择；列表里没有的媒体请联系审核员添加。"
OUTLET_REQUIRED_MESSAGE = "请填写刊发的媒体，例如：安康日报。"
FUTURE_DATE_MESSAGE = "发表日期不能晚于今天，请检查年份和月份。"
OLD_DATE_MESSAGE = "发表日期太早，请检查年份（应为2000年以后）。"

REQUIRED_MESSAGE = "请填写{label}。"
ACCEPT = ".jpg,.jpeg,.png,.pdf,.doc,.docx,.xls,.xlsx,.wps"  # a hint for the file dialog; content decides


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleProofField(forms.FileField):
    """Several proof files in one input, each checked by content (publicity.proofs)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, cleaned = [], []
        for upload in files:
            try:
                proof_check(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class OutletField(forms.CharField):
    """Typed outlet name or alias (《安康日报》, 安康日报社 …) → Outlet. A datalist offers the names without JS."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"required": OUTLET_REQUIRED_MESSAGE})
        super().__init__(*args, max_length=100, **kwargs)

    def clean(self, value):
        if isinstance(value, Outlet):
            return value
        value = super().clean(value)
        if not value:
            return None
        outlet = Outlet.objects.filter(is_active=True).lookup_table().get(normalize_name(value))
        if outlet is None:
            raise ValidationError(OUTLET_UNKNOWN_MESSAGE.format(value=value), code="unknown_outlet")
        return outlet

    def prepare_value(self, value):
        if isinstance(value, Outlet):
            return value.name
        if isinstance(value, int):
            outlet = Outlet.objects.filter(pk=value).first()
            return outlet.name if outlet else value
        return value


def _required(label: str) -> dict:
    return {"required": REQUIRED_MESSAGE.format(label=label)}


class PublicationForm(forms.Form):
    """One appearance in one outlet (刊发记录), with its proof files. Also the reprint form."""

    outlet = OutletField(label="刊发媒体", help_text="输入媒体名称或简称，从列表中选择。",
                         widget=forms.TextInput(attrs={"list": "outlet-options", "autocomplete": "off",
                                                       "data-outlet-search": reverse_lazy("portal:outlet_search")}))
    published_on = forms.DateField(label="发表日期", error_messages={**_required("发表日期"),
                                                                  "invalid": "日期格式不对，请写成 2011-05-03。"},
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    front_headline = forms.BooleanField(label="头版头条", required=False)
    page = forms.CharField(label="版面", max_length=50, required=False, help_text="如：第2版；头版头条请勾选上方选项。")
    char_count = forms.IntegerField(label="字数", required=False, min_value=1, max_value=200000,
                                    error_messages={"invalid": "字数请填整数，如 1200。",
                                                    "min_value": "字数至少为 1。"})
    url = forms.URLField(label="链接", required=False, max_length=500, assume_scheme="https",
                         error_messages={"invalid": "链接格式不对，请复制完整网址，如 http://www.ak.gov.cn/…"})
    proofs = MultipleProofField(label="发表凭证", help_text="报纸版面照片、网页截图、PDF 或 Office 文档，可多选。")

    def clean_published_on(self):
        value = self.cleaned_data["published_on"]
        if value > datetime.date.today():
            raise ValidationError(FUTURE_DATE_MESSAGE)
        if value.year < 2000:
            raise ValidationError(OLD_DATE_MESSAGE)
        return value

    def clean_page(self):
        return clean_text(self.cleaned_data["page"])

    def publication_data(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("outlet", "published_on", "front_headline", "page", "url")} | {
            "char_count": data.get("char_count")}


class ResearchTopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year}年：{obj.title}"


class EntryForm(PublicationForm):
    """A published article: the manuscript and its first publication together (issue 6, item 1)."""

    MANUSCRIPT_FIELDS = ("title", "authors", "kind", "special_topic", "key_topics", "research_topic")

    title = forms.CharField(label="标题", max_length=300, error_messages=_required("标题"))
    authors = forms.CharField(label="作者", max_length=200, required=False,
                              help_text="多名作者用“、”分隔，第一作者在前；不填视为集体稿件。")
    kind = forms.ChoiceField(label="稿件类型", choices=KIND_CHOICES, initial="news")
    special_topic = forms.ChoiceField(label="专项类别", choices=TOPIC_CHOICES, required=False)
    key_topics = forms.ModelMultipleChoiceField(label="宣传重点", queryset=KeyTopic.objects.all(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    # DOMAIN §11: a research article may name one of its unit's research topics (调研专题).
    research_topic = ResearchTopicChoiceField(
        label="调研专题", queryset=ResearchTopic.objects.none(), required=False, empty_label="（不关联专题）",
        help_text="调研文章可关联本单位填报的调研专题；专题的调研文章审核通过后，该专题即为已完成。",
        error_messages={"invalid_choice": "请从列表中选择本单位的调研专题。"})

    field_order = ["title", "authors", "kind", "special_topic", "key_topics", "research_topic"]

    def __init__(self, *args, manuscript_locked: str = "", unit=None, **kwargs):
        """`manuscript_locked`: why the manuscript's fields cannot change (services.manuscript_lock_message)."""
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit is not None:
            # The unit's topics of recent years (an article may finish last year's topic), newest first.
            self.fields["research_topic"].queryset = ResearchTopic.objects.filter(unit=unit).order_by(
                "-year", "created_at", "id")
        self.manuscript_locked = manuscript_locked
        if manuscript_locked:
            for name in self.MANUSCRIPT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = manuscript_locked

    def clean_title(self):
        # Stored as typed (DOMAIN §10); comparisons go through core.text.title_key.
        return tidy_spaces(self.cleaned_data["title"])

    def clean_authors(self):
        return clean_text(self.cleaned_data["authors"])

    def clean(self):
        data = super().clean()
        topic = data.get("research_topic")
        if topic is not None and not self.manuscript_locked:
            try:
                research_topic_check_link(topic=topic, unit=topic.unit_id, kind=data.get("kind"))
            except ValidationError as exc:
                self.add_error("research_topic", exc)
        return data

    def manuscript_data(self) -> dict:
        data = {k: self.cleaned_data[k] or "" for k in ("title", "authors", "kind", "special_topic")}
        data["research_topic"] = self.cleaned_data.get("research_topic")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)

    def clean_reason(self):
        return required_reason(self.cleaned_data["reason"], message=REASON_REQUIRED_MESSAGE)


class DuplicateCheckForm(forms.Form):
    """What the entry form has typed so far (GET parameters of the duplicate check)."""

    title = forms.CharField(max_length=300)
    outlet = OutletField()
    published_on = forms.DateField()
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    exclude = forms.IntegerField(required=False)

    def clean_title(self):
        # Stored as typed (DOMAIN §10); comparisons go through core.text.title_key.
        return tidy_spaces(self.cleaned_data["title"])
