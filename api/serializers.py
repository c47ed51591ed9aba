"""What the API sends, and the documentation of what it takes.

Output: records and reference data as serializers; the assessment, bulletin and rewards are the dicts the
scoring and rewards services build (the `assess` and `rewards` commands' JSON), documented here by shape.
Input is validated by the web pages' own forms (publicity/forms.py), never by a second copy of their rules:
`form_serializer` only describes a form's fields to the OpenAPI schema.
"""

from django import forms
from django.urls import reverse
from rest_framework import serializers

from publicity.forms import EntryForm, MultipleProofField
from publicity.models import Outlet, ProofFile, Publication, Unit
from scoring.models import Quota
from scoring.services import outlet_is_bonus_eligible

# --- input: described from the forms ---------------------------------------------------------------------


def _field_for(field: forms.Field) -> serializers.Field:
    common = {"required": field.required, "label": str(field.label or ""),
              "help_text": str(field.help_text or field.label or "")}
    if isinstance(field, MultipleProofField | forms.FileField):
        return serializers.ListField(child=serializers.FileField(), required=False, label=common["label"],
                                     help_text="发表凭证文件（multipart/form-data，可多个）：" + common["help_text"])
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=True, **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=[c for c in field.choices if c[0] != ""], allow_blank=True, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, allow_null=True,
                                        **common)
    return serializers.CharField(max_length=getattr(field, "max_length", None), allow_blank=not field.required,
                                 **common)


def form_serializer(form_class, name: str, **extra: serializers.Field):
    """A serializer class with one field per form field (documentation only; the form validates)."""
    fields = {field_name: _field_for(field) for field_name, field in form_class.base_fields.items()}
    return type(name, (serializers.Serializer,), {**fields, **extra})


EntryInput = form_serializer(
    EntryForm, "EntryInput",
    manuscript=serializers.IntegerField(required=False, help_text="本单位已有稿件的编号：填写时为该稿件的其他刊发记录"
                                                                  "（一稿多投），稿件字段不必填。"))


class SubmitInput(serializers.Serializer):
    duplicates_confirmed = serializers.BooleanField(
        required=False, default=False, help_text="已核对可能重复的记录、确认不是重复时为 true（同网页上的勾选）。")


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="退回原因，信息宣传员修改时会看到。")


class ProofInput(serializers.Serializer):
    file = serializers.FileField(help_text="一个发表凭证文件（multipart/form-data）。")


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(required=False, max_length=100, help_text="令牌用途，如：我的统计脚本。")


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="只显示这一次，请妥善保存；请求头写 Authorization: Token <令牌>。")
    name = serializers.CharField()
    scope = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


# --- output: reference data and records ----------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    website_url = serializers.CharField(help_text="本单位网站地址（可为空）")

    class Meta:
        model = Unit
        fields = ("id", "name", "kind", "kind_label", "has_website", "website_url", "is_active")


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class QuotaSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    code = serializers.CharField(source="line.code")
    label = serializers.CharField(source="line.label")

    class Meta:
        model = Quota
        fields = ("year", "unit", "code", "label", "count")


class OutletSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")
    media_class_label = serializers.CharField(source="get_media_class_display")
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    is_bonus_eligible = serializers.SerializerMethodField(help_text="计入加分：市级及以上党报和电视台。")

    class Meta:
        model = Outlet
        fields = ("id", "name", "level", "level_label", "media_class", "media_class_label", "is_bonus_eligible",
                  "aliases")


    def get_is_bonus_eligible(self, outlet) -> bool:
        return outlet_is_bonus_eligible(outlet)


class ProofSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="下载地址（同样需要令牌）。")

    class Meta:
        model = ProofFile
        fields = ("id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download")

    def get_download(self, proof) -> str:
        return reverse("api:proof", args=[proof.pk])


class RecordSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="manuscript.unit")
    manuscript_id = serializers.IntegerField()
    title = serializers.CharField(source="manuscript.title")
    authors = serializers.CharField(source="manuscript.authors")
    kind = serializers.CharField(source="manuscript.kind")
    kind_label = serializers.CharField(source="manuscript.get_kind_display")
    special_topic = serializers.CharField(source="manuscript.special_topic")
    key_topics = serializers.SlugRelatedField(source="manuscript.key_topics", many=True, read_only=True,
                                              slug_field="name")
    research_topic = serializers.IntegerField(source="manuscript.research_topic_id", allow_null=True,
                                              help_text="关联的本单位调研专题编号（调研文章，可为空）")
    outlet = serializers.CharField(source="outlet.name")
    outlet_level = serializers.CharField(source="outlet.level")
    status_label = serializers.CharField(source="get_status_display")
    url = serializers.CharField(help_text="链接（可为空）")  # not URLField: an empty link is allowed
    proofs = ProofSerializer(many=True, read_only=True)

    class Meta:
        model = Publication
        fields = ("id", "unit", "manuscript_id", "title", "authors", "kind", "kind_label", "special_topic",
                  "key_topics", "research_topic", "outlet", "outlet_level", "published_on", "front_headline", "page",
                  "char_count",
                  "url", "status", "status_label", "reject_reason", "submitted_at", "reviewed_at", "created_at",
                  "updated_at", "proofs")


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="可查看时为记录编号；其他单位的记录只给出原因。")
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicatesOutput(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateSerializer(many=True)


# --- output: the assessment, bulletin and rewards (DOMAIN.md §10's shapes) ------------------------------


class LineJson(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    have = serializers.IntegerField()
    deficit = serializers.IntegerField()


class UnitAssessmentJson(serializers.Serializer):
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    missing = serializers.IntegerField(help_text="缺稿篇数（D3）")
    bonus_articles = serializers.IntegerField(help_text="超额加分篇数（D4）")
    score = serializers.FloatField(help_text="得分，最多两位小数（D5）")
    lines = LineJson(many=True)


class AssessmentJson(serializers.Serializer):
    year = serializers.IntegerField()
    units = UnitAssessmentJson(many=True, help_text="当年有任务的每个单位。")


class RankedUnitJson(UnitAssessmentJson):
    rank = serializers.IntegerField(help_text="本类单位内的名次，得分相同名次相同。")


class BulletinGroupJson(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    units = RankedUnitJson(many=True)


class BulletinJson(serializers.Serializer):
    year = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["estimate", "notice", "closed"],
                                    help_text="estimate 预估（实时计算）、notice 公示中、closed 已结算")
    state_label = serializers.CharField()
    notice_until = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    groups = BulletinGroupJson(many=True)


class RecipientJson(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.FloatField()


class ManuscriptRewardJson(serializers.Serializer):
    unit = serializers.CharField()
    title = serializers.CharField()
    outlet = serializers.CharField()
    amount = serializers.FloatField()
    recipients = RecipientJson(many=True)


class RewardsJson(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.FloatField()
    manuscripts = ManuscriptRewardJson(many=True)


class ErrorJson(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
