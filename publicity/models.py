"""Units, outlets, manuscripts, publications, proof files, quotas and the audit trail.

DOMAIN.md §2–§5. The codes of levels, kinds and special topics come from the pure rules
module, so that scoring and the database can never disagree about them.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from core.text import normalize_name, title_key
from scoring import rules

LEVEL_CHOICES = [(code, rules.LEVEL_LABELS[code]) for code in rules.LEVELS]
KIND_CHOICES = [(code, rules.KIND_LABELS[code]) for code in rules.KINDS]
TOPIC_CHOICES = [("", "无")] + [(code, rules.TOPIC_LABELS[code]) for code in rules.TOPICS]

# DOMAIN §3: 计入加分 = party papers and TV at municipal level or higher (notice §5: 市级以上党报和电视台).
BONUS_CLASSES = ("party_paper", "tv")
BONUS_LEVELS = ("municipal", "provincial", "national")


def private_storage():
    return storages["private"]


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        from publicity.roles import unit_scope

        scope = unit_scope(user)
        return self if scope is ALL_UNITS else self.filter(pk__in=[unit.pk for unit in scope])


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
    """A user's unit. The role itself is the user's group (see publicity.roles)."""

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
    def bonus_eligible(self):
        return self.filter(media_class__in=BONUS_CLASSES, level__in=BONUS_LEVELS)

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
            models.CheckConstraint(condition=Q(level__in=list(rules.LEVELS)), name="outlet_level_valid"),
        ]
        indexes = [models.Index(fields=["level", "media_class"], name="outlet_level_class")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def is_bonus_eligible(self) -> bool:
        return self.media_class in BONUS_CLASSES and self.level in BONUS_LEVELS


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


class ManuscriptQuerySet(models.QuerySet):
    def visible_to(self, user):
        from publicity.roles import unit_scope

        scope = unit_scope(user)
        return self if scope is ALL_UNITS else self.filter(unit__in=scope)


class Manuscript(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="manuscripts", verbose_name="单位")
    title = models.CharField("标题", max_length=300)
    authors = models.CharField("作者", max_length=200, blank=True,
                               help_text="多名作者用“、”分隔，第一作者在前；不填视为集体稿件。")
    kind = models.CharField("稿件类型", max_length=20, choices=KIND_CHOICES, default="news")
    special_topic = models.CharField("专项类别", max_length=20, choices=TOPIC_CHOICES, blank=True, default="")
    key_topics = models.ManyToManyField(KeyTopic, blank=True, verbose_name="宣传重点", related_name="manuscripts")
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
            models.CheckConstraint(condition=Q(kind__in=list(rules.KINDS)), name="manuscript_kind_valid"),
            models.CheckConstraint(condition=Q(special_topic__in=["", *rules.TOPICS]),
                                   name="manuscript_topic_valid"),
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

    @property
    def author_list(self) -> list[str]:
        from rewards.rates import parse_authors

        return parse_authors(self.authors)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from publicity.roles import unit_scope

        scope = unit_scope(user)
        return self if scope is ALL_UNITS else self.filter(manuscript__unit__in=scope)

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

    class Meta:
        verbose_name = "发表凭证"
        verbose_name_plural = "发表凭证"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class QuotaLine(models.Model):
    """A kind of yearly task (DOMAIN §5) with its scope; counts per unit and year are Quotas."""

    code = models.CharField("代码", max_length=20, unique=True)
    label = models.CharField("任务项", max_length=100, unique=True)
    level_min = models.CharField("最低级别", max_length=20, choices=LEVEL_CHOICES)
    level_max = models.CharField("最高级别", max_length=20, choices=LEVEL_CHOICES)
    kinds = models.JSONField("稿件类型", default=list, help_text="稿件类型代码列表，如 [\"news\", \"info\"]。")
    topic = models.CharField("限定专项", max_length=20, choices=TOPIC_CHOICES, blank=True, default="")
    default_county = models.PositiveIntegerField("县区默认任务数", null=True, blank=True)
    default_affiliated = models.PositiveIntegerField("局属单位默认任务数", null=True, blank=True)
    default_section = models.PositiveIntegerField("机关科室默认任务数", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "任务项"
        verbose_name_plural = "任务项"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level_min__in=list(rules.LEVELS)) & Q(level_max__in=list(rules.LEVELS)),
                                   name="quotaline_levels_valid"),
            models.CheckConstraint(condition=Q(topic__in=["", *rules.TOPICS]), name="quotaline_topic_valid"),
        ]

    def __str__(self):
        return self.label

    @property
    def scope(self) -> rules.Scope:
        return rules.Scope(level_min=self.level_min, level_max=self.level_max,
                           kinds=frozenset(self.kinds), topic=self.topic)

    def default_for(self, kind: str) -> int | None:
        return {"county": self.default_county, "affiliated": self.default_affiliated,
                "section": self.default_section}[kind]

    def clean(self):
        errors = {}
        if self.level_min and self.level_max and rules.LEVEL_RANK[self.level_min] > rules.LEVEL_RANK[self.level_max]:
            errors["level_max"] = "最高级别不能低于最低级别。"
        unknown = [k for k in (self.kinds or []) if k not in rules.KINDS]
        if not self.kinds or unknown:
            errors["kinds"] = f"请至少选择一种稿件类型，可用代码：{', '.join(rules.KINDS)}。"
        if errors:
            raise ValidationError(errors)

    def spec(self, count: int) -> rules.LineSpec:
        return rules.LineSpec(code=self.code, label=self.label, count=count, scope=self.scope)


class QuotaQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year).select_related("unit", "line")


class Quota(models.Model):
    """A unit's count for one quota line in one year (附件1 任务分解表)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="quotas", verbose_name="单位")
    line = models.ForeignKey(QuotaLine, on_delete=models.PROTECT, related_name="quotas", verbose_name="任务项")
    year = models.PositiveSmallIntegerField("年度")
    count = models.PositiveIntegerField("任务数（篇）")

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = "年度任务"
        verbose_name_plural = "年度任务"
        ordering = ["-year", "unit", "line__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "line", "year"], name="quota_unit_line_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="quota_year_range"),
        ]
        indexes = [models.Index(fields=["year", "unit"], name="quota_year_unit")]

    def __str__(self):
        return f"{self.year}年 {self.unit} · {self.line.label}：{self.count}篇"

    def clean(self):
        # D1: together with the unit's other lines of the year, the lines must nest or be disjoint.
        if not (self.unit_id and self.line_id and self.year):
            return
        from publicity.quotas import check_lines_nest

        others = (Quota.objects.filter(unit_id=self.unit_id, year=self.year)
                  .exclude(pk=self.pk).exclude(line_id=self.line_id).select_related("line"))
        check_lines_nest([q.line for q in others] + [self.line])


class AuditEvent(models.Model):
    """Append-only record of every state change: who, when (UTC), what, before/after."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=50, db_index=True)
    target_type = models.CharField("对象类型", max_length=50)
    target_id = models.CharField("对象编号", max_length=50, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="相关单位")
    summary = models.CharField("摘要", max_length=300)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("操作日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("操作日志只能追加，不能删除。")


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


class _AllUnits:
    """Sentinel returned by roles.unit_scope for users who see every unit."""

    def __repr__(self):
        return "ALL_UNITS"


ALL_UNITS = _AllUnits()


# --- Bureau-website contributions (D9) and periodic reports (D10) ---------------------------------------


class UnitScopedQuerySet(models.QuerySet):
    """Per-unit scoping of the reporting models, decided by roles.unit_scope like everything else."""

    def visible_to(self, user):
        from publicity.roles import unit_scope

        scope = unit_scope(user)
        return self if scope is ALL_UNITS else self.filter(unit__in=scope)


def contribution_upload_to(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"contributions/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


def report_upload_to(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"reports/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class WebsiteContribution(models.Model):
    """A draft submitted for the bureau website (投稿, D9), with the signed approval scan."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待采编"
        PUBLISHED = "published", "已发布"
        RETURNED = "returned", "已退回"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contributions", verbose_name="单位")
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文")
    authors = models.CharField("作者", max_length=200, blank=True,
                               help_text="多名作者用“、”分隔，第一作者在前；不填视为集体稿件。")
    kind = models.CharField("稿件类型", max_length=20, choices=KIND_CHOICES, default="news")
    is_major = models.BooleanField("重大事项", default=False,
                                   help_text="重大事项须由分管领导签字审批；一般信息由科室负责人签字。")
    signed_by = models.CharField("签批人", max_length=50)
    first_published_url = models.URLField("本单位网站首发链接", max_length=500, blank=True)
    approval_scan = models.FileField("签批件扫描件", upload_to=contribution_upload_to, storage=private_storage,
                                     max_length=200)
    scan_name = models.CharField("签批件原文件名", max_length=200)
    scan_content_type = models.CharField("签批件文件类型", max_length=100)
    scan_size = models.PositiveIntegerField("签批件大小（字节）", default=0)
    status = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    return_reason = models.TextField("退回原因", blank=True)
    edited_title = models.CharField("采编后标题", max_length=300, blank=True)
    edited_body = models.TextField("采编后正文", blank=True)
    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="contribution", verbose_name="局网站刊发记录")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="投稿人")
    submitted_at = models.DateTimeField("投稿时间")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="采编人")
    reviewed_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网站投稿"
        verbose_name_plural = "网站投稿"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["submitted", "published", "returned"]),
                                   name="contribution_status_valid"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(return_reason=""),
                                   name="contribution_return_has_reason"),
            models.CheckConstraint(condition=~Q(status="published") | Q(publication__isnull=False),
                                   name="contribution_published_has_publication"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="contribution_status_time")]

    def __str__(self):
        return f"{self.unit} · {self.title}"


class PeriodReport(models.Model):
    """A unit's report of one period's publications (报送, D10): monthly for sections, annual otherwise."""

    class PeriodKind(models.TextChoices):
        MONTHLY = "monthly", "月报"
        ANNUAL = "annual", "年报"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="period_reports", verbose_name="单位")
    period_kind = models.CharField("报送类型", max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    due_on = models.DateField("截止日期")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="报送人")
    is_late = models.BooleanField("逾期", default=False)
    is_nil = models.BooleanField("零报告", default=False)
    note = models.TextField("说明", blank=True)
    publications = models.ManyToManyField(Publication, blank=True, related_name="period_reports",
                                          verbose_name="报送的刊发记录")
    attachment = models.FileField("附件", upload_to=report_upload_to, storage=private_storage, max_length=200,
                                  blank=True)
    attachment_name = models.CharField("附件原文件名", max_length=200, blank=True)
    attachment_content_type = models.CharField("附件文件类型", max_length=100, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "定期报送"
        verbose_name_plural = "定期报送"
        ordering = ["-period_start", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_kind", "period_start"], name="report_unit_period_unique"),
            models.CheckConstraint(condition=Q(period_kind__in=["monthly", "annual"]), name="report_kind_valid"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="report_period_ordered"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period.label}{self.get_period_kind_display()}"

    @property
    def period(self):
        from publicity import deadlines

        return deadlines.Period(self.period_kind, self.period_start, self.period_end, self.due_on)


class OfficerRoster(models.Model):
    """A unit's information officer for a year (信息宣传员名单, due 11 March, D10)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rosters", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    officer_name = models.CharField("信息宣传员姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="报送人")
    is_late = models.BooleanField("逾期", default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信息宣传员名单"
        verbose_name_plural = "信息宣传员名单"
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="roster_unit_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="roster_year_range"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit} · {self.officer_name}"


class ReminderLog(models.Model):
    """One reminder e-mail per unit and day (send_reminders is idempotent per day)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="单位")
    sent_on = models.DateField("提醒日期")
    recipients = models.CharField("收件人", max_length=500)
    items = models.TextField("提醒事项")
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送提醒记录"
        verbose_name_plural = "报送提醒记录"
        ordering = ["-sent_on", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "sent_on"], name="reminder_unit_day_unique")]

    def __str__(self):
        return f"{self.sent_on:%Y-%m-%d} {self.unit}"
