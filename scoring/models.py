"""What the assessment reads and keeps: quota lines and each unit's yearly quotas (DOMAIN §5), the year's policy
(§6), the frozen results of a published or closed year, 公示 objections (§9)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from publicity.models import KIND_CHOICES, LEVEL_CHOICES, TOPIC_CHOICES, Unit
from scoring import rules

POINTS = {"max_digits": 6, "decimal_places": 2}


class QuotaLine(models.Model):
    """A kind of yearly task (DOMAIN §5) with its scope; counts per unit and year are Quotas."""

    KIND_CHOICES = KIND_CHOICES  # the kinds a line counts: checkboxes in the admin

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
        db_table = "publicity_quotaline"  # moved from publicity (issue 14): the table keeps its name
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
        db_table = "publicity_quota"  # moved from publicity (issue 14): the table keeps its name
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
        from scoring.quotas import check_lines_nest

        others = (Quota.objects.filter(unit_id=self.unit_id, year=self.year)
                  .exclude(pk=self.pk).exclude(line_id=self.line_id).select_related("line"))
        check_lines_nest([q.line for q in others] + [self.line])


class AssessmentPolicy(models.Model):
    """Notice §5 as data: reviewers set each year's points (DOMAIN §6); 2011 values are the defaults."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    base = models.DecimalField("基本分", default=rules.BASE_POINTS_2011, **POINTS)
    bonus_per_article = models.DecimalField("每超额1篇加分", default=rules.BONUS_PER_ARTICLE_2011, **POINTS)
    bonus_cap_ratio = models.DecimalField("加分上限（占基本分比例）", default=rules.BONUS_CAP_RATIO_2011,
                                          help_text="如 0.30 表示加分不超过基本分的30%。", **POINTS)
    penalty_per_article = models.DecimalField("每少1篇扣分", default=rules.PENALTY_PER_ARTICLE_2011, **POINTS)
    floor = models.DecimalField("最低分", default=rules.SCORE_FLOOR_2011, help_text="扣完为止：得分不低于此值。",
                                **POINTS)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "考核政策"
        verbose_name_plural = "考核政策"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base__gte=0) & Q(bonus_per_article__gte=0) & Q(bonus_cap_ratio__gte=0)
                & Q(penalty_per_article__gte=0) & Q(floor__gte=0),
                name="assessmentpolicy_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100),
                                   name="assessmentpolicy_year_range"),
        ]

    def __str__(self):
        return f"{self.year}年考核政策（基本分{self.base:g}）"

    def as_rules(self) -> rules.Policy:
        return rules.Policy(base=self.base, bonus_per_article=self.bonus_per_article,
                            bonus_cap_ratio=self.bonus_cap_ratio, penalty_per_article=self.penalty_per_article,
                            floor=self.floor)


def policy_for_year(year: int) -> rules.Policy:
    """The year's policy (one query); the 2011 values of notice §5 when reviewers set none."""
    row = AssessmentPolicy.objects.filter(year=year).first()
    return row.as_rules() if row else rules.POLICY_2011


class UnitResultSnapshot(models.Model):
    """One unit's frozen result of a published or closed year: the bulletin reads these, never live data."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="result_snapshots",
                             verbose_name="单位")
    unit_name = models.CharField("单位名称（结算时）", max_length=100)
    kind = models.CharField("单位类型", max_length=20, choices=Unit.Kind.choices)
    missing = models.PositiveIntegerField("缺稿篇数")
    bonus_articles = models.PositiveIntegerField("加分篇数")
    score = models.DecimalField("得分", max_digits=8, decimal_places=4)
    lines = models.JSONField("各任务项", default=list)
    rank = models.PositiveSmallIntegerField("类内排名")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核结果快照"
        verbose_name_plural = "考核结果快照"
        ordering = ["year", "kind", "rank", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="snapshot_year_unit_unique"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit_name}：{rules.display_score(self.score)}分（第{self.rank}名）"


class Objection(models.Model):
    """A unit's objection to its published (公示) result, answered by a reviewer."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="objections", verbose_name="单位")
    text = models.TextField("异议内容")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+", verbose_name="提出人")
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                                   name="objection_answer_has_text"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit} 的异议（{'已答复' if self.answered_at else '待答复'}）"

