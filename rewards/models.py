"""Rate sheets (奖励标准), yearly reward budgets and payout batches (DOMAIN.md §7, notice §6).

A rate sheet is data a reviewer keeps in the admin; `RateSheet.to_rates()` turns it into the pure
`rewards.rates.RateSheet` the rules work on. Payout batches, once confirmed, never change (D7).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.roles import ALL_UNITS, ScopedQuerySet, unit_scope
from publicity.models import Manuscript, Outlet, Unit
from rewards import rates

BATCH_CONFIRMED_MESSAGE = "该发放批次已确认，不能再修改或删除。"


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class RateSheetQuerySet(models.QuerySet):
    def bureau(self):
        return self.filter(issuer__isnull=True)

    def with_rates(self):
        return self.select_related("issuer").prefetch_related("tiers__outlets", "headlines__outlet")


class RateSheet(models.Model):
    """One issuer's rates for one year: the bureau (no issuer unit) or a unit's self-funded sheet."""

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="rate_sheets",
                               verbose_name="发布单位",
                               help_text="留空表示市人社局的奖励标准；县区、局属单位可为本单位人员另定自筹资金的标准。")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)

    objects = RateSheetQuerySet.as_manager()

    class Meta:
        verbose_name = "奖励标准"
        verbose_name_plural = "奖励标准"
        ordering = ["-year", "issuer__name"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="ratesheet_issuer_year_unique"),
            # NULLs are distinct in a unique constraint: the bureau's own sheet needs its own rule.
            models.UniqueConstraint(fields=["year"], condition=Q(issuer__isnull=True),
                                    name="ratesheet_bureau_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="ratesheet_year_range"),
        ]

    def __str__(self):
        return self.title or f"{self.year}年{self.issuer_name}奖励标准"

    @property
    def issuer_name(self) -> str:
        return self.issuer.name if self.issuer_id else "市人社局"

    def to_rates(self) -> rates.RateSheet:
        """The pure sheet, keyed by outlet name. Prefetch with `RateSheet.objects.with_rates()`."""
        tiers = tuple(tier.to_rates() for tier in self.tiers.all())
        headlines = {h.outlet.name: rates.HeadlineRule(amount=h.amount, min_chars=h.min_chars)
                     for h in self.headlines.all()}
        return rates.RateSheet(tiers=tiers, headlines=headlines)


class RateTier(models.Model):
    """Outlets paid alike; the notice lists them with "等", so reviewers add outlets here (D6)."""

    sheet = models.ForeignKey(RateSheet, on_delete=models.CASCADE, related_name="tiers", verbose_name="奖励标准")
    name = models.CharField("档次名称", max_length=50)
    outlets = models.ManyToManyField(Outlet, related_name="rate_tiers", verbose_name="媒体", blank=True)
    rate_news = _money("新闻/信息（元）", null=True, blank=True)
    rate_feature = _money("专题（元）", null=True, blank=True)
    rate_research = _money("调研文章（元）", null=True, blank=True)
    rate_any = _money("各类稿件（元）", null=True, blank=True,
                      help_text="不分稿件类型的统一标准；某类稿件没有单独标准时按新闻稿件标准。")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "奖励档次"
        verbose_name_plural = "奖励档次"
        ordering = ["sheet", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "name"], name="ratetier_sheet_name_unique"),
            models.CheckConstraint(
                condition=(Q(rate_news__isnull=True) | Q(rate_news__gte=0))
                & (Q(rate_feature__isnull=True) | Q(rate_feature__gte=0))
                & (Q(rate_research__isnull=True) | Q(rate_research__gte=0))
                & (Q(rate_any__isnull=True) | Q(rate_any__gte=0)),
                name="ratetier_rates_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.sheet} · {self.name}"

    @property
    def rate_map(self) -> dict[str, Decimal]:
        values = {"news": self.rate_news, "feature": self.rate_feature, "research": self.rate_research,
                  "any": self.rate_any}
        return {category: amount for category, amount in values.items() if amount is not None}

    def to_rates(self) -> rates.Tier:
        return rates.Tier(name=self.name, outlets=frozenset(o.name for o in self.outlets.all()), rates=self.rate_map)


class HeadlineRate(models.Model):
    """头版头条 rate of one outlet: needs the placement and at least min_chars characters (D6)."""

    sheet = models.ForeignKey(RateSheet, on_delete=models.CASCADE, related_name="headlines",
                              verbose_name="奖励标准")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="headline_rates", verbose_name="媒体")
    amount = _money("奖励金额（元）")
    min_chars = models.PositiveIntegerField("最少字数")

    class Meta:
        verbose_name = "头版头条奖励"
        verbose_name_plural = "头版头条奖励"
        ordering = ["sheet", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "outlet"], name="headlinerate_sheet_outlet_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="headlinerate_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.outlet} 头版头条 {self.min_chars}字以上 {self.amount}元"


class RewardBudget(models.Model):
    """The year's reward money; a payout batch over it needs a recorded reason to be confirmed."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    amount = _money("奖励预算（元）")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度奖励预算"
        verbose_name_plural = "年度奖励预算"
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="rewardbudget_amount_not_negative")]

    def __str__(self):
        return f"{self.year}年奖励预算 {self.amount}元"


class PayoutBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers and leaders see drafts too; officers and unit heads only confirmed batches (which hold
        every unit's lines: the lines themselves are scoped per unit)."""
        return self if unit_scope(user) is ALL_UNITS else self.filter(status=PayoutBatch.State.CONFIRMED)


class PayoutBatch(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        CONFIRMED = "confirmed", "已确认"

    year = models.PositiveSmallIntegerField("奖励年度")
    period_start = models.DateField("统计起始日期")
    period_end = models.DateField("统计截止日期")
    status = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    sheet = models.ForeignKey(RateSheet, on_delete=models.PROTECT, related_name="batches", verbose_name="奖励标准")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="确认人")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    budget_override_reason = models.TextField("超预算说明", blank=True)

    objects = PayoutBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "奖励发放批次"
        verbose_name_plural = "奖励发放批次"
        ordering = ["-year", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                   name="payoutbatch_period_ordered"),
            models.CheckConstraint(condition=Q(status__in=["draft", "confirmed"]), name="payoutbatch_status_valid"),
            models.CheckConstraint(condition=Q(status="draft") | Q(confirmed_at__isnull=False),
                                   name="payoutbatch_confirmed_has_time"),
            # One draft per sheet at a time, so that "already paid" cannot change under a draft.
            models.UniqueConstraint(fields=["year", "sheet"], condition=Q(status="draft"),
                                    name="payoutbatch_one_draft_per_sheet"),
        ]

    def __str__(self):
        period = f"{self.period_start:%Y-%m-%d}至{self.period_end:%Y-%m-%d}"
        return f"{self.year}年奖励发放（{period}，{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        # D7: a confirmed batch never changes.
        if self._stored_status() == self.State.CONFIRMED:
            raise ValidationError(BATCH_CONFIRMED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == self.State.CONFIRMED:
            raise ValidationError(BATCH_CONFIRMED_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.State.CONFIRMED

    def _stored_status(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()


class PayoutLineQuerySet(ScopedQuerySet):
    unit_path = "unit"


class PayoutLine(models.Model):
    """What one recipient gets for one manuscript in one batch."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, related_name="lines", verbose_name="发放批次")
    manuscript = models.ForeignKey(Manuscript, on_delete=models.PROTECT, related_name="payout_lines",
                                   verbose_name="稿件")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payout_lines", verbose_name="单位")
    recipient = models.CharField("领取人", max_length=100)
    is_collective = models.BooleanField("集体稿件", default=False)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="最高等次媒体")
    amount_due = _money("应得金额（元）")
    amount_paid_before = _money("此前已发（元）", default=Decimal("0.00"))
    amount = _money("本次发放（元）")

    objects = PayoutLineQuerySet.as_manager()

    class Meta:
        verbose_name = "奖励发放明细"
        verbose_name_plural = "奖励发放明细"
        ordering = ["batch", "unit__kind", "unit__sort_order", "unit__name", "manuscript__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "manuscript", "recipient"],
                                    name="payoutline_batch_manuscript_recipient_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount_due__gte=0) & Q(amount_paid_before__gte=0),
                                   name="payoutline_amounts_not_negative"),
        ]
        indexes = [models.Index(fields=["manuscript", "recipient"], name="payoutline_ms_recipient")]

    def __str__(self):
        return f"{self.recipient} · {self.manuscript} · {self.amount}元"

    def save(self, *args, **kwargs):
        if PayoutBatch.objects.filter(pk=self.batch_id, status=PayoutBatch.State.CONFIRMED).exists():
            raise ValidationError(BATCH_CONFIRMED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if PayoutBatch.objects.filter(pk=self.batch_id, status=PayoutBatch.State.CONFIRMED).exists():
            raise ValidationError(BATCH_CONFIRMED_MESSAGE)
        return super().delete(*args, **kwargs)


class RewardSnapshot(models.Model):
    """One manuscript's reward of a closed year, frozen at the year close (DOMAIN.md §9).

    Names are copied so that the figures stay as they were at the close, whatever changes later.
    """

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    sheet = models.ForeignKey(RateSheet, on_delete=models.PROTECT, related_name="snapshots", verbose_name="奖励标准")
    manuscript = models.ForeignKey(Manuscript, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="reward_snapshots", verbose_name="稿件")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reward_snapshots", verbose_name="单位")
    unit_name = models.CharField("单位名称（结算时）", max_length=100)
    title = models.CharField("标题（结算时）", max_length=300)
    outlet = models.ForeignKey(Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="最高等次媒体")
    outlet_name = models.CharField("媒体名称（结算时）", max_length=100)
    amount = _money("奖励金额（元）")
    is_collective = models.BooleanField("集体稿件", default=False)
    recipients = models.JSONField("领取人", default=list, help_text="[{\"name\": 姓名, \"amount\": \"金额\"}]")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "年度奖励结算快照"
        verbose_name_plural = "年度奖励结算快照"
        ordering = ["year", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "manuscript"], name="rewardsnapshot_year_manuscript_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rewardsnapshot_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}年 · {self.unit_name} · {self.title} · {self.amount}元"


# The basis of a proposal, in words (the pages, the admin and the reason stored at proposal all use these).
BASIS_COLLECTIVE_MESSAGE = "{kind}第{rank}名，考核得分{score}"
BASIS_INDIVIDUAL_MESSAGE = "全年采用稿件{articles}篇，获宣传奖励{amount}元"


def commendation_basis(kind: str, figures: dict) -> str:
    """A commendation's figures as a sentence: 县区第1名，考核得分5.2 / 全年采用稿件2篇，获宣传奖励150.00元."""
    try:
        if kind == Commendation.Kind.COLLECTIVE:
            unit_kind = figures["kind"]
            label = dict(Unit.Kind.choices).get(unit_kind, unit_kind)
            return BASIS_COLLECTIVE_MESSAGE.format(kind=label, rank=figures["rank"], score=figures["score"])
        return BASIS_INDIVIDUAL_MESSAGE.format(articles=figures["articles"], amount=figures["amount"])
    except (KeyError, TypeError):
        return ""  # a record from before the figures were kept: its reason says it


class Commendation(models.Model):
    """表彰: an advanced collective (a unit) or individual of a closed year, proposed by the system from
    the year's snapshots and confirmed by a reviewer (DOMAIN.md §9, issue 4 item 7)."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", "先进集体"
        INDIVIDUAL = "individual", "先进个人"

    class State(models.TextChoices):
        PROPOSED = "proposed", "建议"
        CONFIRMED = "confirmed", "已确认"

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="commendations", verbose_name="单位")
    person_name = models.CharField("姓名", max_length=100, blank=True, help_text="先进个人的姓名；先进集体留空。")
    reason = models.CharField("推荐理由", max_length=300)
    figures = models.JSONField("依据数据", default=dict, blank=True)
    rank = models.PositiveSmallIntegerField("推荐顺序", default=0)
    status = models.CharField("状态", max_length=20, choices=State.choices, default=State.PROPOSED)
    proposed_at = models.DateTimeField("推荐时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="确认人")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        ordering = ["-year", "kind", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "unit", "person_name"],
                                    name="commendation_year_kind_unit_person_unique"),
            models.CheckConstraint(condition=Q(kind__in=["collective", "individual"]), name="commendation_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["proposed", "confirmed"]),
                                   name="commendation_status_valid"),
            models.CheckConstraint(condition=Q(kind="collective", person_name="")
                                   | (Q(kind="individual") & ~Q(person_name="")),
                                   name="commendation_person_for_individuals"),
            models.CheckConstraint(condition=Q(status="proposed") | Q(confirmed_at__isnull=False),
                                   name="commendation_confirmed_has_time"),
        ]

    def __str__(self):
        who = self.person_name or self.unit.name
        return f"{self.year}年度{self.get_kind_display()} · {who}（{self.get_status_display()}）"

    @property
    def basis(self) -> str:
        return commendation_basis(self.kind, self.figures)

    @property
    def awardee(self) -> str:
        """Who the certificate is for: the unit, or the person with the unit."""
        return self.person_name or self.unit.name

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.State.CONFIRMED
