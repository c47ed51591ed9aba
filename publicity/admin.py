
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse

from core import roles
from core.admin_base import (
    AuditedAdmin,
    AuditedDeleteMixin,
    LabelledTabularInline,
    ReadOnlyAdmin,
    ReadOnlyScopedAdmin,
    ScopedAdmin,
)
from core.audit import audit_record, snapshot
from core.yearlock import (
    ManuscriptYearForm,
    PublicationAdminForm,
    PublicationYearForm,
    YearLockedInlineFormSet,
    year_is_closed,
)
from publicity import accounts, services
from publicity.forms import RejectForm
from publicity.models import (
    ExportFile,
    KeyTopic,
    Manuscript,
    Membership,
    Notification,
    Outlet,
    OutletAlias,
    ProofFile,
    Publication,
    ResearchTopic,
    Unit,
)


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
    inlines = [MembershipInline]  # scoring/admin.py adds the unit's quotas

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
    list_display = ("name", "level", "media_class", "alias_names", "is_active")  # scoring adds 计入加分
    list_filter = ("level", "media_class", "is_active")
    search_fields = ("name", "aliases__name")
    inlines = [OutletAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

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


class PublicationInline(LabelledTabularInline):
    model = Publication
    form = PublicationYearForm
    formset = YearLockedInlineFormSet
    extra = 0
    fields = ("outlet", "published_on", "front_headline", "page", "char_count", "url", "status")
    readonly_fields = ("status",)
    autocomplete_fields = ("outlet",)
    show_change_link = True
    # A record is deleted on its own page, through services.publication_delete, which takes its proof files
    # with it (audited, files removed); a deleted inline row would cascade past that (issue 19).
    can_delete = False


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
    # The research topic is linked on the entry form and by imports, which check that it is the unit's own.
    readonly_fields = ("research_topic", "created_by", "created_at", "updated_at")
    inlines = [PublicationInline]

    # An officer given admin access still cannot move a manuscript to another unit (issue 6).
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if roles.is_reviewer(request.user) else (*fields, "unit")

    def save_model(self, request, obj, form, change):
        if not change and not roles.is_reviewer(request.user):
            obj.unit = roles.unit_of(request.user)
        super().save_model(request, obj, form, change)


@admin.register(ResearchTopic)
class ResearchTopicAdmin(ReadOnlyScopedAdmin):
    """Research topics are filed and changed by the units on their duties pages (publicity/research.py)."""

    list_display = ("year", "unit", "title", "lead", "planned_completion", "created_at")
    list_filter = ("year", "unit__kind")
    search_fields = ("title", "lead", "unit__name")
    list_select_related = ("unit",)
    exclude = ("title_key",)


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

    # Deleting a record goes through the workflow's deletion (year lock, audit), which removes its proof files
    # one by one as an officer's deletion does, files with their rows (issue 19): the admin itself may delete
    # no proof file, so they are left out of the permissions the confirmation page asks for.
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {ProofFile._meta.verbose_name}, protected

    def delete_model(self, request, obj):
        try:
            services.publication_delete(publication=obj, reviewer=request.user)
        except services.WorkflowError as exc:
            raise PermissionDenied(str(exc)) from exc

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset.select_related("manuscript__unit", "outlet"):
                self.delete_model(request, obj)

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
class ProofFileAdmin(ReadOnlyAdmin):
    """Shown, never changed: a proof file leaves only through the workflow (services.proof_file_delete, or with
    its record), which checks status and year lock, audits and removes the file with its row (issue 19)."""

    list_display = ("original_name", "publication", "content_type", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "sha256", "publication__manuscript__title")
    list_select_related = ("publication__manuscript", "publication__outlet", "uploaded_by")
    fields = ("publication", "download", "original_name", "content_type", "size", "sha256", "uploaded_by",
              "uploaded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description="文件")
    def download(self, obj):
        # Proof files have no public URL: the link goes through the view that checks the user's unit.
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">下载 {}</a>', reverse("portal:proof", args=[obj.pk]), obj.original_name)


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


@admin.register(ExportFile)
class ExportFileAdmin(ReadOnlyAdmin):
    """Background exports (publicity/background_exports.py): the administrator sees who exported what and
    whether it failed; the files themselves are their requesters' alone (no download here)."""

    list_display = ("created_at", "user", "kind", "filename", "state", "rows", "finished_at")
    list_filter = ("state", "kind")
    search_fields = ("filename", "user__username")
    list_select_related = ("user",)
    fields = ("user", "kind", "params", "state", "filename", "rows", "error", "created_at", "finished_at")
    readonly_fields = fields
