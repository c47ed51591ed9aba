"""What every app writes to and reads from: the audit trail and the state of each year (DOMAIN §9).

Both sit at the bottom of the project because every write path records itself in the audit trail and asks the
year lock (core.yearlock) whether its year is still open.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEvent(models.Model):
    """Append-only record of every state change: who, when (UTC), what, before/after."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=50, db_index=True)
    target_type = models.CharField("对象类型", max_length=50)
    target_id = models.CharField("对象编号", max_length=50, blank=True)
    # A string reference: core imports no app (the audit trail names the unit an event concerns).
    unit = models.ForeignKey("publicity.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
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
        db_table = "publicity_auditevent"  # moved from publicity (issue 14): the table keeps its name

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("操作日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("操作日志只能追加，不能删除。")


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
        db_table = "scoring_yearclose"  # moved from scoring (issue 14): the table keeps its name
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
