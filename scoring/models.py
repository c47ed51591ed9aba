"""The year's assessment policy, year close with its frozen snapshots, 公示 objections (DOMAIN.md §6, §9)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from publicity.models import Unit
from scoring import rules

POINTS = {"max_digits": 6, "decimal_places": 2}


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


class YearClose(models.Model):
    """A year's results: published for objections (公示), then closed (结算); reopening needs a reason."""

    class State(models.TextChoices):
        NOTICE = "notice", "公示中"
        CLOSED = "closed", "已结算"
        REOPENED = "reopened", "已重新开放"

    year = models.PositiveSmallIntegerField("年度", unique=True)
    state = models.CharField("状态", max_length=20, choices=State.choices)
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    closed_on = models.DateField("结算日期", null=True, blank=True)
    closed_at = models.DateTimeField("结算时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="结算人")
    reopened = models.BooleanField("曾重新开放", default=False)
    history = models.JSONField("经过", default=list, blank=True,
                               help_text="每次公示、结算、重新开放的记录（时间、操作人、原因）。")

    class Meta:
        verbose_name = "年度结算"
        verbose_name_plural = "年度结算"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["notice", "closed", "reopened"]),
                                   name="yearclose_state_valid"),
        ]

    def __str__(self):
        return f"{self.year}年度（{self.get_state_display()}）"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def has_snapshot(self) -> bool:
        """公示 and 结算 both freeze the results; a reopened year is assessed live again."""
        return self.state in (self.State.NOTICE, self.State.CLOSED)


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

