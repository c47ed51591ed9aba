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


# --- The notice's other duties (DOMAIN §11) ------------------------------------------------------------------


def plan_upload_to(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"plans/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class LeadingGroupRole(models.TextChoices):
    """The posts of a publicity leading group (notice §7): the bureau's has a 责任组长 too."""

    LEADER = "leader", "组长"
    RESPONSIBLE_LEADER = "responsible_leader", "责任组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class LeadingGroupMember(models.Model):
    """One person of a leading group (宣传工作领导小组): the bureau's of a year, or a unit's in its plan."""

    role = models.CharField("职务", max_length=20, choices=LeadingGroupRole.choices, default=LeadingGroupRole.MEMBER)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("单位职务", max_length=100, blank=True, help_text="如：局党组书记、局长。")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class YearSettings(models.Model):
    """The bureau's settings of a year (年度宣传工作设置): the publishing contact (notice, end), the due dates of
    the duties (DOMAIN §11) and, inline, the bureau's leading group (notice §7). A year without its own settings
    uses the latest earlier year's (reporting.duties.year_settings)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    contact_name = models.CharField("网站信息发布联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_fax = models.CharField("传真", max_length=30, blank=True)
    contact_email = models.EmailField("邮箱", blank=True)
    plan_due = models.DateField("工作计划报送截止日期", null=True, blank=True,
                                help_text="各单位年度宣传报道工作计划的报送截止日期；不填为当年3月31日。")
    topics_due = models.DateField("调研专题填报截止日期", null=True, blank=True,
                                  help_text="不填为当年3月31日。")
    research_due = models.DateField("调研专题完成期限", null=True, blank=True,
                                    help_text="此日期前每个单位至少完成1个调研专题；不填为当年12月25日。")
    website_due = models.DateField("网站建成期限", null=True, blank=True,
                                   help_text="县区和局属单位建成本单位网站的期限；不填为当年12月31日。")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "年度宣传工作设置"
        verbose_name_plural = "年度宣传工作设置"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="yearsettings_year_range"),
        ]

    def __str__(self):
        return f"{self.year}年度宣传工作设置"


class BureauLeader(LeadingGroupMember):
    settings = models.ForeignKey(YearSettings, on_delete=models.CASCADE, related_name="leaders",
                                 verbose_name="年度设置")

    class Meta(LeadingGroupMember.Meta):
        verbose_name = "市局宣传工作领导小组成员"
        verbose_name_plural = "市局宣传工作领导小组成员"


class UnitPlan(models.Model):
    """A unit's annual publicity plan (年度宣传报道工作计划, notice §7): the document, a short summary, its staff
    for publicity and budget; its leading group is inline (UnitLeader)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("计划摘要")
    staff = models.CharField("宣传报道工作人员", max_length=300,
                             help_text="落实的宣传报道工作人员姓名及职务，多人用“、”分隔。")
    staff_count = models.PositiveSmallIntegerField("工作人员人数")
    budget = models.DecimalField("宣传报道经费（元）", max_digits=12, decimal_places=2)
    document = models.FileField("计划文件", upload_to=plan_upload_to, storage=private_storage, max_length=200)
    document_name = models.CharField("计划文件原文件名", max_length=200)
    document_content_type = models.CharField("计划文件类型", max_length=100)
    submitted_at = models.DateTimeField("首次报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="报送人")
    updated_at = models.DateTimeField("修改时间")
    is_late = models.BooleanField("逾期", default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度宣传报道工作计划"
        verbose_name_plural = "年度宣传报道工作计划"
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="plan_unit_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_range"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="plan_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit} · 宣传报道工作计划"


class UnitLeader(LeadingGroupMember):
    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="leaders", verbose_name="工作计划")

    class Meta(LeadingGroupMember.Meta):
        verbose_name = "单位宣传工作领导小组成员"
        verbose_name_plural = "单位宣传工作领导小组成员"


class ResponsiblePerson(models.Model):
    """The unit's first responsible person of a year (第一责任人, notice §5): the county's 主要负责人, the
    affiliated unit's 负责人, the section's 科长 (主任). The bulletin names them beside the unit's score."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responsible_persons", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, help_text="如：区人社局局长、科长。")
    updated_at = models.DateTimeField("填报时间")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="填报人")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "第一责任人"
        verbose_name_plural = "第一责任人"
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="responsible_unit_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="responsible_year_range"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.unit} · {self.name}（{self.post}）"


class WebsiteStatus(models.Model):
    """One report of a unit's website construction (网站建设, notice §1): the history of reports. The unit's
    current state for D9 is Unit.has_website / website_url, which only reporting.duties.website_status_report
    writes, together with the report (so the two never disagree)."""

    class State(models.TextChoices):
        NONE = "none", "未建"
        BUILDING = "building", "建设中"
        ONLINE = "online", "已建成"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="website_reports", verbose_name="单位")
    state = models.CharField("建设情况", max_length=10, choices=State.choices)
    url = models.URLField("网站地址", max_length=300, blank=True)
    online_on = models.DateField("开通日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True, help_text="如：已完成招标，预计10月上线。")
    reported_at = models.DateTimeField("报送时间")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="报送人")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网站建设情况"
        verbose_name_plural = "网站建设情况"
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["none", "building", "online"]),
                                   name="website_state_valid"),
            models.CheckConstraint(condition=~Q(state="online") | (~Q(url="") & Q(online_on__isnull=False)),
                                   name="website_online_has_url_and_date"),
        ]
        indexes = [models.Index(fields=["unit", "reported_at"], name="website_unit_time")]

    def __str__(self):
        return f"{self.unit} · {self.get_state_display()}（{self.reported_at:%Y-%m-%d}）"


class TrainingCourseQuerySet(ScopedQuerySet):
    # A course is seen by the units invited to it (one attendance row per unit and course).
    unit_path = "attendances__unit"


class TrainingCourse(models.Model):
    """A training course for information officers (信息宣传员培训班, notice §1), held by the bureau."""

    title = models.CharField("培训主题", max_length=200)
    held_on = models.DateField("培训日期")
    place = models.CharField("培训地点", max_length=200)
    note = models.TextField("培训内容", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="举办人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = TrainingCourseQuerySet.as_manager()

    class Meta:
        verbose_name = "信息宣传员培训班"
        verbose_name_plural = "信息宣传员培训班"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def year(self) -> int:
        return self.held_on.year


class TrainingAttendance(models.Model):
    """One invited unit's officer at a course (from the officer roster), and whether they came."""

    class State(models.TextChoices):
        INVITED = "invited", "待登记"
        ATTENDED = "attended", "出席"
        ABSENT = "absent", "缺席"
        EXCUSED = "excused", "请假"

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendances",
                               verbose_name="培训班")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="training_attendances",
                             verbose_name="单位")
    officer_name = models.CharField("信息宣传员", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    state = models.CharField("出勤", max_length=10, choices=State.choices, default=State.INVITED)
    note = models.CharField("备注", max_length=200, blank=True, help_text="请假原因、代为参加人员等。")
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="登记人")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训出勤"
        verbose_name_plural = "培训出勤"
        ordering = ["course", "unit__kind", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "unit"], name="attendance_course_unit_unique"),
            models.CheckConstraint(condition=Q(state__in=["invited", "attended", "absent", "excused"]),
                                   name="attendance_state_valid"),
        ]

    def __str__(self):
        return f"{self.course} · {self.unit} {self.officer_name}（{self.get_state_display()}）"
