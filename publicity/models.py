"""Units and their people, outlets, manuscripts, publications, proof files, notifications (DOMAIN.md §2–§4).

The codes of levels, kinds and special topics are the notice's words (core.notice), which the pure rules use
too, so that scoring and the database can never disagree about them.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone

from core import notice
from core.roles import ScopedQuerySet
from core.text import normalize_name, parse_authors, title_key

LEVEL_CHOICES = [(code, notice.LEVEL_LABELS[code]) for code in notice.LEVELS]
KIND_CHOICES = [(code, notice.KIND_LABELS[code]) for code in notice.KINDS]
TOPIC_CHOICES = [("", "无")] + [(code, notice.TOPIC_LABELS[code]) for code in notice.TOPICS]

def private_storage():
    return storages["private"]


class UnitQuerySet(ScopedQuerySet):
    unit_path = "pk"


class Unit(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "县区"
        SECTION = "section", "机关科室"
        AFFILIATED = "affiliated", "局属单位"

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices)
    has_website = models.BooleanField("有本单位网站", default=False,
                                      help_text="有网站的单位先在本单位网站发布，再由市局采编（通知第二条）。")
    website_url = models.URLField("本单位网站地址", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["county", "section", "affiliated"]),
                                   name="unit_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's unit. The role itself is the user's group (see core.roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership", verbose_name="用户")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members",
                             verbose_name="所属单位", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    # Issue 15: an account created or given a password by an administrator must choose its own password at
    # its next login (publicity.accounts.PasswordChangeRequiredMiddleware); cleared when the user sets one.
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False,
        help_text="管理员新建账号或重设密码后自动勾选；用户修改密码后自动取消。")

    class Meta:
        verbose_name = "用户所属单位"
        verbose_name_plural = "用户所属单位"

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}（{self.unit or '未分配单位'}）"


class OutletQuerySet(models.QuerySet):
    def lookup_table(self) -> dict[str, "Outlet"]:
        """Normalised name or alias → outlet, for imports and the outlet picker."""
        table: dict[str, Outlet] = {}
        outlets = list(self.prefetch_related("aliases"))
        for outlet in outlets:
            for alias in outlet.aliases.all():
                table.setdefault(alias.normalized, outlet)
        for outlet in outlets:  # a real name wins over another outlet's alias
            table[outlet.normalized] = outlet
        return table


class Outlet(models.Model):
    class MediaClass(models.TextChoices):
        PARTY_PAPER = "party_paper", "党报"
        PARTY_PERIODICAL = "party_periodical", "党刊"
        TV = "tv", "电视台"
        RADIO = "radio", "广播电台"
        BRIEFING = "briefing", "简报"
        INDUSTRY_PRESS = "industry_press", "行业报刊"
        WEBSITE = "website", "网站"
        COMMERCIAL_PAPER = "commercial_paper", "都市报及其他报纸"
        PORTAL = "portal", "商业门户网站"
        OTHER = "other", "其他"

    name = models.CharField("媒体名称", max_length=100, unique=True)
    normalized = models.CharField("查找键", max_length=100, unique=True, editable=False)
    level = models.CharField("级别", max_length=20, choices=LEVEL_CHOICES)
    media_class = models.CharField("类别", max_length=20, choices=MediaClass.choices)
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        verbose_name = "媒体"
        verbose_name_plural = "媒体"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=list(notice.LEVELS)), name="outlet_level_valid"),
        ]
        indexes = [models.Index(fields=["level", "media_class"], name="outlet_level_class")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


class OutletAlias(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="aliases", verbose_name="媒体")
    name = models.CharField("别名", max_length=100)
    normalized = models.CharField("查找键", max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = "媒体别名"
        verbose_name_plural = "媒体别名"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.outlet.name}"

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


class KeyTopic(models.Model):
    """The seven focus areas of notice §3 (descriptive tags only)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("宣传重点", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "宣传重点"
        verbose_name_plural = "宣传重点"
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


class ResearchTopicQuerySet(ScopedQuerySet):
    unit_path = "unit"

    def with_completion(self):
        """Each topic with `completed_on`: the date of its first approved research article, or None (DOMAIN §11:
        a topic is completed once a linked research article is approved). One query, however many topics."""
        return self.annotate(completed_on=models.Min(
            "manuscripts__publications__published_on",
            filter=Q(manuscripts__kind="research", manuscripts__publications__status="approved")))


class ResearchTopic(models.Model):
    """A unit's research topic of the year (调研专题, notice §3 item 5: 1–2 per unit and year)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="research_topics", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("专题名称", max_length=200)
    # DOMAIN §10's one title comparison, so that a topic typed in a detail table finds the one filed on the web.
    title_key = models.CharField("名称比对键", max_length=200, editable=False, default="")
    lead = models.CharField("牵头人", max_length=100, help_text="负责该专题调研的人员姓名和职务，如：王明（副局长）。")
    planned_completion = models.DateField("计划完成时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ResearchTopicQuerySet.as_manager()

    class Meta:
        verbose_name = "调研专题"
        verbose_name_plural = "调研专题"
        ordering = ["-year", "unit", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "title_key"], name="research_topic_unit_year_title"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="research_topic_year_range"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit} · {self.title}"

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        super().save(*args, **kwargs)


class ManuscriptQuerySet(ScopedQuerySet):
    unit_path = "unit"

    def private_rows(self):
        # A manuscript none of whose records has been handed in yet is its unit's draft too (its title would
        # tell); one with no record at all (made in the admin) is not.
        publications = Publication.objects.filter(manuscript=models.OuterRef("pk"))
        return Q(Exists(publications.filter(status=Status.DRAFT))) & ~Q(
            Exists(publications.exclude(status=Status.DRAFT)))


class Manuscript(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="manuscripts", verbose_name="单位")
    title = models.CharField("标题", max_length=300)
    authors = models.CharField("作者", max_length=200, blank=True,
                               help_text="多名作者用“、”分隔，第一作者在前；不填视为集体稿件。")
    kind = models.CharField("稿件类型", max_length=20, choices=KIND_CHOICES, default="news")
    special_topic = models.CharField("专项类别", max_length=20, choices=TOPIC_CHOICES, blank=True, default="")
    key_topics = models.ManyToManyField(KeyTopic, blank=True, verbose_name="宣传重点", related_name="manuscripts")
    # DOMAIN §11: a research article may be linked to one of its unit's research topics.
    research_topic = models.ForeignKey(ResearchTopic, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="manuscripts", verbose_name="调研专题")
    ref = models.CharField("稿件编号", max_length=50, blank=True,
                           help_text="导入明细表时，编号相同的行属于同一篇稿件（即使刊发标题不同）。")
    # DOMAIN §10: "the same title" is the same after core.text.title_key; kept beside the title as typed.
    title_key = models.CharField("标题比对键", max_length=300, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ManuscriptQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "ref"], condition=~Q(ref=""), name="manuscript_unit_ref_unique"),
            models.CheckConstraint(condition=Q(kind__in=list(notice.KINDS)), name="manuscript_kind_valid"),
            models.CheckConstraint(condition=Q(special_topic__in=["", *notice.TOPICS]),
                                   name="manuscript_topic_valid"),
            models.CheckConstraint(condition=Q(research_topic__isnull=True) | Q(kind="research"),
                                   name="manuscript_research_topic_kind"),
        ]
        indexes = [models.Index(fields=["unit", "title_key"], name="manuscript_unit_title_key")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def clean(self):
        # DOMAIN §11: only a research article, and only to one of its own unit's topics (every model form).
        from django.core.exceptions import ValidationError

        from publicity.research import research_topic_check_link

        if self.research_topic_id is not None:
            try:
                research_topic_check_link(topic=self.research_topic, unit=self.unit_id, kind=self.kind)
            except ValidationError as exc:
                raise ValidationError({"research_topic": exc.messages}) from exc

    @property
    def author_list(self) -> list[str]:
        return parse_authors(self.authors)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


class PublicationQuerySet(ScopedQuerySet):
    unit_path = "manuscript__unit"

    def private_rows(self):
        # DOMAIN §1 and issue 19: a draft is its unit's own until submitted (rejected records have been seen).
        return Q(status=Status.DRAFT)

    def approved(self):
        return self.filter(status=Status.APPROVED)

    def in_year(self, year: int):
        # A range on the date (not __year) so the (status, published_on) index serves it.
        import datetime

        return self.filter(published_on__gte=datetime.date(year, 1, 1), published_on__lte=datetime.date(year, 12, 31))


class Publication(models.Model):
    """One appearance of a manuscript in one outlet (刊发记录). Only approved ones count."""

    manuscript = models.ForeignKey(Manuscript, on_delete=models.PROTECT, related_name="publications",
                                   verbose_name="稿件")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="publications", verbose_name="媒体")
    title = models.CharField("刊发标题", max_length=300, blank=True,
                             help_text="这次刊发时的标题与稿件标题不同时才填写（编辑改过标题的转载）。")
    published_on = models.DateField("发表日期")
    front_headline = models.BooleanField("头版头条", default=False)
    page = models.CharField("版面", max_length=50, blank=True, help_text="如：第2版；头版头条请勾选上方选项。")
    char_count = models.PositiveIntegerField("字数", null=True, blank=True)
    url = models.URLField("链接", max_length=500, blank=True)
    status = models.CharField("审核状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reject_reason = models.TextField("退回原因", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "刊发记录"
        verbose_name_plural = "刊发记录"
        ordering = ["-published_on", "-id"]
        constraints = [
            # issue 5: a publication is identified by unit + title (the manuscript) + outlet + date.
            models.UniqueConstraint(fields=["manuscript", "outlet", "published_on"],
                                    name="publication_identity_unique"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]),
                                   name="publication_status_valid"),
            models.CheckConstraint(condition=~Q(status=Status.REJECTED) | ~Q(reject_reason=""),
                                   name="publication_rejection_has_reason"),
        ]
        indexes = [
            # The per-year aggregates filter on status and a date range; with the two keys they join on, the
            # index covers the assessment's aggregate (no table read per publication: ~25% faster at province
            # scale on SQLite, bench/), and serves every (status, published_on) look-up as before.
            models.Index(fields=["status", "published_on", "manuscript", "outlet"], name="publication_year_cover"),
            models.Index(fields=["url"], name="publication_url"),
            # Newest first without a sort (search results, year ranges without a status: issue 15).
            models.Index(fields=["published_on", "id"], name="publication_date_id"),
        ]

    def __str__(self):
        return f"{self.shown_title} · {self.outlet.name} · {self.published_on.isoformat()}"

    @property
    def shown_title(self) -> str:
        """The title this publication appeared under (刊发标题), which is the manuscript's unless it differs."""
        return self.title or self.manuscript.title

    @property
    def year(self) -> int:
        return self.published_on.year

    @property
    def placement_label(self) -> str:
        return "头版头条" if self.front_headline else (self.page or "")


def proof_upload_to(instance, filename):
    # Generated names: the user's file name is kept in original_name, never in the path.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"proofs/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class ProofFileQuerySet(ScopedQuerySet):
    unit_path = "publication__manuscript__unit"

    def private_rows(self):
        return Q(publication__status=Status.DRAFT)


class ProofFile(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="proofs",
                                    verbose_name="刊发记录")
    file = models.FileField("文件", upload_to=proof_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("内容摘要", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ProofFileQuerySet.as_manager()

    class Meta:
        verbose_name = "发表凭证"
        verbose_name_plural = "发表凭证"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read=False)


class Notification(models.Model):
    """A message shown in the app (reviewers: new submissions; officers: review outcomes)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name="接收人")
    text = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    read = models.BooleanField("已读", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read"], name="notification_user_read")]

    def __str__(self):
        return self.text


def export_upload_to(instance, filename: str) -> str:
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportFile(models.Model):
    """An Excel export built by a background task (publicity/background_exports.py), kept for its user
    for a few days; downloaded only by that user."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "生成失败"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_files",
                             verbose_name="用户")
    kind = models.CharField("类型", max_length=40)
    params = models.JSONField("参数", default=dict)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    filename = models.CharField("文件名", max_length=200, blank=True)
    file = models.FileField("文件", upload_to=export_upload_to, storage=private_storage, max_length=200, blank=True)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出文件"
        verbose_name_plural = "导出文件"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="exportfile_user_created")]

    def __str__(self):
        return self.filename or f"{self.kind}（{self.get_state_display()}）"
