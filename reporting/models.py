"""What units report besides articles: bureau-website contributions (D9), periodic reports and the officer
roster (D10), and the reminders sent about them."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.roles import ScopedQuerySet
from publicity.models import KIND_CHOICES, Publication, Unit, private_storage


class UnitScopedQuerySet(ScopedQuerySet):
    unit_path = "unit"


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
        db_table = "publicity_websitecontribution"  # moved from publicity (issue 14): the table keeps its name
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
        db_table = "publicity_periodreport"  # moved from publicity (issue 14): the table keeps its name
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
        from reporting import deadlines

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
        db_table = "publicity_officerroster"  # moved from publicity (issue 14): the table keeps its name
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
        db_table = "publicity_reminderlog"  # moved from publicity (issue 14): the table keeps its name
        ordering = ["-sent_on", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "sent_on"], name="reminder_unit_day_unique")]

    def __str__(self):
        return f"{self.sent_on:%Y-%m-%d} {self.unit}"
