"""Admin classes every app's reference data and records use: audited saves and deletes, read-only records
that only services write, per-unit scoping, and `extend`, with which an app above adds to another app's admin."""

from django.contrib import admin

from core.audit import audit_record, snapshot


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


class ReadOnlyScopedAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Read-only and scoped to the user's unit, like every page."""


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


def extend(model):
    """Register the decorated mixin on top of the admin currently registered for `model` (by an app below):
    the app above adds its part (an inline, an export) without the app below knowing of it."""

    def register(mixin):
        base = type(admin.site._registry[model])
        combined = type(base.__name__, (mixin, base), {"__module__": mixin.__module__, "__doc__": mixin.__doc__})
        admin.site.unregister(model)
        admin.site.register(model, combined)
        return combined

    return register
