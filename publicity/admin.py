from collections import defaultdict

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from publicity import accounts, roles, services
from publicity.audit import audit_record, snapshot
from publicity.forms import RejectForm
from publicity.models import (
    AuditEvent,
    KeyTopic,
    Manuscript,
    Membership,
    Notification,
    OfficerRoster,
    Outlet,
    OutletAlias,
    PeriodReport,
    ProofFile,
    Publication,
    Quota,
    QuotaLine,
    ReminderLog,
    Unit,
    WebsiteContribution,
)
from publicity.quotas import check_lines_nest
from scoring.locking import (
    ManuscriptYearForm,
    PublicationAdminForm,
    PublicationYearForm,
    YearLockedForm,
    YearLockedInlineFormSet,
)
from scoring.services import year_is_closed


class AuditedDeleteMixin:
    """Deleting in the admin (one object or a selection) is audited with what was deleted."""

    audit_prefix = ""
    audit_snapshot = staticmethod(snapshot)

    def delete_model(self, request, obj):
        before = self.audit_snapshot(obj)
        label = f"删除{obj._meta.verbose_name}：{obj}"
        super().delete_model(request, obj)
        audit_record(actor=request.user, action=f"{self.audit_prefix}.delete", target=obj, summary=label,
                     before=before)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class AuditedAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    """Reference data edited in the admin is audited: who changed what, before and after."""

    audit_prefix = "reference"

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=f"{self.audit_prefix}.{'change' if change else 'add'}", target=obj,
                     summary=f"{'修改' if change else '新增'}{obj._meta.verbose_name}：{obj}",
                     before=before, after=snapshot(obj))

    def save_formset(self, request, form, formset, change):
        # Inline rows (quotas of a unit, aliases of an outlet) are reference data too.
        befores = {f.instance.pk: snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk))
                   for f in formset.initial_forms if f.instance.pk and f.has_changed()}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action=f"{self.audit_prefix}.add", target=obj,
                         summary=f"新增{obj._meta.verbose_name}：{obj}", after=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            audit_record(actor=request.user, action=f"{self.audit_prefix}.change", target=obj,
                         summary=f"修改{obj._meta.verbose_name}：{obj}", before=befores.get(obj.pk),
                         after=snapshot(obj))
        for obj in formset.deleted_objects:
            audit_record(actor=request.user, action=f"{self.audit_prefix}.delete", target=obj,
                         summary=f"删除{obj._meta.verbose_name}：{obj}")


class QuotaInlineFormSet(YearLockedInlineFormSet):
    """D1 over the whole edited set: each year's lines of the unit must nest or be disjoint."""

    def clean(self):
        super().clean()
        by_year = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("line") or not data.get("year"):
                continue
            by_year[data["year"]].append(data["line"])
        for year, lines in by_year.items():
            codes = [line.code for line in lines]
            duplicated = {code for code in codes if codes.count(code) > 1}
            if duplicated:
                raise ValidationError(
                    f"{year}年的任务项重复：{'、'.join(sorted(duplicated))}。每个任务项每年只能有一行。")
            try:
                check_lines_nest(lines)
            except ValidationError as exc:
                raise ValidationError(f"{year}年：{exc.messages[0]}") from exc


class LabelledTabularInline(admin.TabularInline):
    """Inline rows whose boxes are named for screen readers: the admin shows the field names only as column
    headings, which leaves every input without a label (axe-core, issue 15)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = "新增行" if index is None else f"第{index + 1}行"
                for field in form.fields.values():
                    # The widget itself, not the admin's related-object wrapper (whose attrs are shared by rows).
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs = {**widget.attrs, "aria-label": f"{row}：{field.label}"}

        return LabelledFormSet


class QuotaInline(LabelledTabularInline):
    model = Quota
    form = YearLockedForm
    formset = QuotaInlineFormSet
    extra = 0
    fields = ("year", "line", "count")
    ordering = ("-year", "line__sort_order")


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    fields = ("user", "phone")
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "has_website", "sort_order", "is_active")
    list_filter = ("kind", "has_website", "is_active")
    list_editable = ("sort_order",)
    search_fields = ("name",)
    inlines = [QuotaInline, MembershipInline]

    def get_changelist_form(self, request, **kwargs):
        """The list's 排序 boxes are named for screen readers (the admin gives them no label)."""
        base = super().get_changelist_form(request, **kwargs)

        class LabelledForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{self.instance}：{field.label}")

        return LabelledForm
    change_form_template = "admin/publicity/unit/change_form.html"

    def get_urls(self):
        from django.urls import path

        return [path("<int:unit_id>/handover/", self.admin_site.admin_view(self.handover_view),
                     name="publicity_unit_handover"), *super().get_urls()]

    def handover_view(self, request, unit_id):
        """信息宣传员交接 (issue 15): the administrator's page; accounts.unit_officer_handover does the work."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import get_object_or_404

        from publicity.forms_accounts import HandoverForm

        if not (request.user.has_perm("auth.change_user") and request.user.has_perm("publicity.change_unit")):
            raise PermissionDenied("只有管理员可以办理信息宣传员交接。")
        unit = get_object_or_404(Unit, pk=unit_id)
        form = HandoverForm(request.POST or None, unit=unit)
        context = {**self.admin_site.each_context(request), "title": f"{unit}：更换信息宣传员", "unit": unit,
                   "form": form, "opts": self.model._meta, "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                new_user = accounts.unit_officer_handover(
                    unit=unit, old_officer=data["old_officer"], new_officer=data["new_officer"],
                    new_username=data["username"], new_name=data["name"], new_email=data["email"],
                    actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                context.update(new_user=new_user, old_user=data["old_officer"], done=True)
                if new_user.email:
                    accounts.account_invite_mail(user=new_user, actor=request.user)
                    context["mailed"] = True
                elif not new_user.has_usable_password():
                    context["link"] = accounts.account_reset_link_issue(user=new_user, actor=request.user)
                messages.success(request, f"{unit}的信息宣传员已交接给{new_user.username}。")
        return TemplateResponse(request, "admin/publicity/unit/handover.html", context)


class OutletAliasInline(LabelledTabularInline):
    model = OutletAlias
    extra = 1
    fields = ("name",)


@admin.register(Outlet)
class OutletAdmin(AuditedAdmin):
    list_display = ("name", "level", "media_class", "bonus_eligible", "alias_names", "is_active")
    list_filter = ("level", "media_class", "is_active")
    search_fields = ("name", "aliases__name")
    inlines = [OutletAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="计入加分", boolean=True)
    def bonus_eligible(self, obj):
        return obj.is_bonus_eligible

    @admin.display(description="别名")
    def alias_names(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all())


@admin.register(OutletAlias)
class OutletAliasAdmin(AuditedAdmin):
    list_display = ("name", "outlet")
    search_fields = ("name", "outlet__name")
    list_select_related = ("outlet",)
    autocomplete_fields = ("outlet",)


@admin.register(KeyTopic)
class KeyTopicAdmin(AuditedAdmin):
    list_display = ("name", "code", "sort_order")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write (so that checks and the audit trail cannot be skipped): the admin
    shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(admin.ModelAdmin):
    """Admin querysets go through the same per-unit scoping as every page."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class PublicationInline(LabelledTabularInline):
    model = Publication
    form = PublicationYearForm
    formset = YearLockedInlineFormSet
    extra = 0
    fields = ("outlet", "published_on", "front_headline", "page", "char_count", "url", "status")
    readonly_fields = ("status",)
    autocomplete_fields = ("outlet",)
    show_change_link = True


@admin.register(Manuscript)
class ManuscriptAdmin(AuditedAdmin, ScopedAdmin):
    """Manuscript edits in the admin (and their publications inline) are audited as admin changes."""

    audit_prefix = "manuscript.admin"
    form = ManuscriptYearForm
    list_display = ("title", "unit", "kind", "special_topic", "authors", "created_at")
    list_filter = ("kind", "special_topic", "unit__kind", "unit", "key_topics")
    search_fields = ("title", "authors", "ref")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    # A plain multiple choice: the admin's two-box widget carries ARIA attributes axe rejects (issue 15).
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [PublicationInline]

    # An officer given admin access still cannot move a manuscript to another unit (issue 6).
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if roles.is_reviewer(request.user) else (*fields, "unit")

    def save_model(self, request, obj, form, change):
        if not change and not roles.is_reviewer(request.user):
            obj.unit = roles.unit_of(request.user)
        super().save_model(request, obj, form, change)


class ProofFileInline(LabelledTabularInline):
    model = ProofFile
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ScopedAdmin):
    list_display = ("title", "unit", "outlet", "published_on", "placement", "char_count", "status", "reviewer")
    list_filter = ("status", "outlet__level", "outlet__media_class", "manuscript__kind",
                   "manuscript__unit__kind", "manuscript__unit", "published_on")
    search_fields = ("manuscript__title", "manuscript__authors", "outlet__name", "url")
    list_select_related = ("manuscript__unit", "outlet", "reviewer")
    autocomplete_fields = ("manuscript", "outlet")
    date_hierarchy = "published_on"
    readonly_fields = ("status", "reviewer", "reviewed_at", "submitted_at", "created_by", "created_at",
                       "updated_at")
    inlines = [ProofFileInline]
    actions = ["approve_selected", "reject_selected"]
    form = PublicationAdminForm

    def save_model(self, request, obj, form, change):
        # A reviewer's correction in the admin is a state change too: audited with before/after.
        before = snapshot(Publication.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        audit_record(actor=request.user, action="publication.admin_change" if change else "publication.admin_add",
                     target=obj, unit=obj.manuscript.unit, summary=f"后台{'修改' if change else '新增'}刊发记录：{obj}",
                     before={k: v for k, v in (before or {}).items() if after.get(k) != v} or None,
                     after={k: v for k, v in after.items() if (before or {}).get(k, object()) != v})

    def has_delete_permission(self, request, obj=None):
        # A closed year's records stay until the year is reopened (DOMAIN §9).
        if obj is not None and year_is_closed(obj.published_on.year):
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # Approved and submitted records are read-only to everyone but reviewers.
        if obj is not None and obj.status not in services.EDITABLE and not roles.is_reviewer(request.user):
            return False
        return super().has_change_permission(request, obj)

    # The actions call the same services as the review queue, so the checks (own unit, expected
    # status) and the audit trail are the same whichever page a reviewer uses.
    @admin.action(description="审核通过所选刊发记录", permissions=["change"])
    def approve_selected(self, request, queryset):
        result = services.publication_bulk_approve(
            publications=queryset.select_related("manuscript__unit", "outlet"), reviewer=request.user)
        if result.approved:
            self.message_user(request, f"已审核通过 {len(result.approved)} 条。", messages.SUCCESS)
        for publication, reason in result.skipped:
            self.message_user(request, f"「{publication.manuscript.title}」未通过：{reason}", messages.WARNING)

    @admin.action(description="退回所选刊发记录（需填写原因）", permissions=["change"])
    def reject_selected(self, request, queryset):
        # A rejection needs a reason: an intermediate page asks for it, then the service runs per record.
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            rejected = 0
            for publication in queryset.select_related("manuscript__unit", "outlet"):
                try:
                    services.publication_reject(publication=publication, reviewer=request.user,
                                                reason=form.cleaned_data["reason"])
                except services.WorkflowError as exc:
                    self.message_user(request, f"「{publication.manuscript.title}」未退回：{exc}", messages.WARNING)
                else:
                    rejected += 1
            if rejected:
                self.message_user(request, f"已退回 {rejected} 条。", messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/publicity/publication/reject_selected.html", {
            **self.admin_site.each_context(request), "title": "退回所选刊发记录", "form": form,
            "publications": queryset.select_related("manuscript__unit", "outlet"), "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.display(description="标题", ordering="manuscript__title")
    def title(self, obj):
        return obj.manuscript.title

    @admin.display(description="单位", ordering="manuscript__unit__name")
    def unit(self, obj):
        return obj.manuscript.unit

    @admin.display(description="版面")
    def placement(self, obj):
        return obj.placement_label


@admin.register(ProofFile)
class ProofFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "publication", "content_type", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "sha256", "publication__manuscript__title")
    list_select_related = ("publication__manuscript", "publication__outlet", "uploaded_by")
    fields = ("publication", "download", "original_name", "content_type", "size", "sha256", "uploaded_by",
              "uploaded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        visible = Publication.objects.visible_to(request.user)
        return super().get_queryset(request).filter(publication__in=visible)

    @admin.display(description="文件")
    def download(self, obj):
        # Proof files have no public URL: the link goes through the view that checks the user's unit.
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">下载 {}</a>', reverse("portal:proof", args=[obj.pk]), obj.original_name)

    def has_add_permission(self, request):
        return False


@admin.register(QuotaLine)
class QuotaLineAdmin(AuditedAdmin):
    list_display = ("code", "label", "scope_text", "default_county", "default_affiliated", "default_section",
                    "sort_order")
    search_fields = ("code", "label")

    @admin.display(description="统计范围")
    def scope_text(self, obj):
        return obj.scope.describe()


@admin.register(Quota)
class QuotaAdmin(AuditedAdmin):
    list_display = ("year", "unit", "line", "count")
    list_filter = ("year", "unit__kind", "line", "unit")
    search_fields = ("unit__name", "line__label")
    list_select_related = ("unit", "line")
    autocomplete_fields = ("unit",)
    form = YearLockedForm

    def has_delete_permission(self, request, obj=None):
        if obj is not None and year_is_closed(obj.year):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "unit", "phone")
    list_filter = ("unit__kind", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "text", "read")
    list_filter = ("read",)
    search_fields = ("text", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "text", "link", "created_at")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit page: reviewers read and filter it (action, actor, unit, date); nobody changes it."""

    list_display = ("at", "actor_name", "action", "summary", "unit")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter), "unit", "at", "target_type")
    list_select_related = ("unit",)
    readonly_fields = ("at", "actor", "actor_name", "action", "target_type", "target_id", "unit", "summary",
                       "before", "after", "reason")
    search_fields = ("summary", "actor_name", "target_id", "reason")
    date_hierarchy = "at"


class UnitMembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    fields = ("unit", "phone", "must_change_password")
    verbose_name = "所属单位"
    verbose_name_plural = "所属单位"


def account_snapshot(user: User) -> dict:
    """What the audit trail keeps of an account: who it is, its roles and unit; never the password hash."""
    membership = Membership.objects.filter(user=user).select_related("unit").first()
    return {"username": user.username, "name": user.get_full_name(), "email": user.email,
            "is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser,
            "roles": sorted(user.groups.values_list("name", flat=True)),
            "unit": membership.unit.name if membership and membership.unit else None}


def group_snapshot(group: Group) -> dict:
    return {"name": group.name,
            "permissions": sorted(f"{app}.{codename}" for app, codename in
                                  group.permissions.values_list("content_type__app_label", "codename"))}


class AccountAuditMixin(AuditedDeleteMixin):
    """Accounts and roles decide who sees and changes what: every change in the admin is audited.

    The "after" is taken once the roles (many-to-many) and the unit (an inline) are saved too."""

    def save_model(self, request, obj, form, change):
        obj._audit_before = self.audit_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(actor=request.user, action=f"{self.audit_prefix}.{'change' if change else 'add'}", target=obj,
                     summary=f"{'修改' if change else '新增'}{obj._meta.verbose_name}：{obj}",
                     before=getattr(obj, "_audit_before", None), after=self.audit_snapshot(obj))


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AccountAuditMixin, BaseGroupAdmin):
    audit_prefix = "group"
    filter_horizontal = ()  # plain multiple choices: the two-box widget's ARIA fails axe (issue 15)
    audit_snapshot = staticmethod(group_snapshot)


@admin.register(User)
class UserAdmin(AccountAuditMixin, BaseUserAdmin):
    audit_prefix = "user"
    audit_snapshot = staticmethod(account_snapshot)
    inlines = [UnitMembershipInline]
    list_display = ("username", "first_name", "email", "unit", "roles", "is_active")
    list_filter = ("groups", "is_active", "is_staff", "membership__unit")
    list_select_related = ("membership__unit",)
    filter_horizontal = ()  # plain multiple choices: the two-box widget's ARIA fails axe (issue 15)
    readonly_fields = ("last_login", "date_joined")  # facts, not settings (and their split inputs lack labels)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="单位")
    def unit(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.unit if membership else "—"

    @admin.display(description="角色")
    def roles(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password was saved
            user = User.objects.get(pk=id)
            audit_record(actor=request.user, action="user.password", target=user,
                         summary=f"重设用户密码：{user}", after={"username": user.username})
            # issue 15: a password an administrator chose is replaced by the user at the next login.
            accounts.account_require_password_change(user=user, actor=request.user, reason="管理员重设密码")
        return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            accounts.account_require_password_change(user=form.instance, actor=request.user,
                                                     reason="管理员新建账号")

    change_form_template = "admin/publicity/user_change_form.html"

    def get_urls(self):
        from django.urls import path

        return [path("<int:user_id>/reset-link/", self.admin_site.admin_view(self.reset_link_view),
                     name="auth_user_reset_link"), *super().get_urls()]

    def reset_link_view(self, request, user_id):
        """一次性重设链接 (issue 15): for a user without e-mail; shown once, to be handed over in person."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import get_object_or_404

        user = get_object_or_404(User, pk=user_id)
        if not self.has_change_permission(request, user):
            raise PermissionDenied("只有管理员可以生成重设链接。")
        context = {**self.admin_site.each_context(request), "title": f"为{user.username}生成一次性密码重设链接",
                   "account": user, "opts": self.model._meta,
                   "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        if request.method == "POST":
            context["link"] = accounts.account_reset_link_issue(user=user, actor=request.user)
        return TemplateResponse(request, "admin/auth/user/reset_link.html", context)


# --- Bureau-website contributions and periodic reports (D9, D10): read-only here; the pages and services
# under /reporting/ make every change, so that checks and the audit trail happen in one place.


class ReadOnlyScopedAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Read-only and scoped to the user's unit, like every page."""


@admin.register(WebsiteContribution)
class WebsiteContributionAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "unit", "is_major", "status", "submitted_at", "reviewer", "reviewed_at")
    list_filter = ("status", "is_major", "unit__kind", "unit")
    search_fields = ("title", "authors", "unit__name")
    list_select_related = ("unit", "reviewer")
    exclude = ("approval_scan",)


@admin.register(PeriodReport)
class PeriodReportAdmin(ReadOnlyScopedAdmin):
    list_display = ("unit", "period_kind", "period_start", "due_on", "submitted_at", "is_late", "is_nil")
    list_filter = ("period_kind", "is_late", "is_nil", "unit__kind", "unit")
    search_fields = ("unit__name", "note")
    list_select_related = ("unit",)
    exclude = ("attachment", "publications")


@admin.register(OfficerRoster)
class OfficerRosterAdmin(ReadOnlyScopedAdmin):
    list_display = ("year", "unit", "officer_name", "phone", "submitted_at", "is_late")
    list_filter = ("year", "is_late", "unit__kind")
    search_fields = ("unit__name", "officer_name", "phone")
    list_select_related = ("unit",)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("sent_on", "unit", "recipients", "created_at")
    list_filter = ("sent_on",)
    search_fields = ("unit__name", "recipients")
    list_select_related = ("unit",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

