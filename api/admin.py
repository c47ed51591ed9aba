"""管理后台 › 接口令牌: administrators issue tokens (to an account, or to a new system account) and revoke them.

A token's key is shown once, on the page right after it is issued, and never again (only its hash is kept).
Tokens are never edited or deleted: a revoked token stays in the list, and both are in the audit trail.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from api.models import ApiToken
from api.tokens import (
    api_token_check,
    api_token_create,
    api_token_revoke,
    system_account_check,
    system_account_create,
)

ONE_ACCOUNT_MESSAGE = "请选择已有账号，或填写新系统账号的用户名（二选一）。"


class ApiTokenForm(forms.ModelForm):
    system_username = forms.CharField(
        label="或：新建系统账号", max_length=150, required=False,
        help_text="给其他系统用的账号（不能登录网页），如 zhkh-system。“只读考核”账号的角色为领导（只读全部单位），"
                  "“单位报送”账号为该单位的信息宣传员。")

    class Meta:
        model = ApiToken
        fields = ("name", "user", "system_username", "scope", "unit", "expires_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].required = False

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("system_username")):
            raise ValidationError(ONE_ACCOUNT_MESSAGE)
        if "scope" in data and "unit" in data:
            try:  # the services' own checks, so that saving cannot fail after the form said yes
                if data.get("user"):
                    api_token_check(user=data["user"], scope=data["scope"], unit=data["unit"])
                else:
                    system_account_check(username=data["system_username"], scope=data["scope"], unit=data["unit"])
            except ValidationError as exc:
                raise ValidationError({("system_username" if field == "username" else field): errors
                                       for field, errors in exc.message_dict.items()}) from exc
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("name", "user", "scope", "unit", "prefix", "state", "created_at", "expires_at", "last_used_at")
    list_filter = ("scope", "unit")
    search_fields = ("name", "user__username", "user__first_name", "prefix")
    list_select_related = ("user", "unit")
    raw_id_fields = ("user",)
    actions = ["revoke_selected"]

    @admin.display(description="状态")
    def state(self, obj):
        return obj.state_label

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApiTokenForm.Meta.fields
        return ("name", "user", "scope", "unit", "prefix", "created_at", "created_by", "expires_at", "last_used_at",
                "revoked_at")

    def has_change_permission(self, request, obj=None):
        return False  # issued tokens are read-only; revoke instead

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays listed, with its history in the audit trail

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        user = data["user"] or system_account_create(
            username=data["system_username"], display_name=data["name"], scope=data["scope"], unit=data["unit"],
            actor=request.user)
        token, request._issued_key = api_token_create(user=user, scope=data["scope"], name=data["name"],
                                                      unit=data["unit"], expires_at=data["expires_at"],
                                                      actor=request.user)
        obj.pk = token.pk

    def save_related(self, request, form, formsets, change):
        pass  # the services wrote everything

    def log_addition(self, request, obj, message):
        pass  # the audit trail has it (api_token.create); the admin's own log would point at an unsaved form

    def response_add(self, request, obj, post_url_continue=None):
        token = ApiToken.objects.select_related("user", "unit").get(pk=obj.pk)
        return TemplateResponse(request, "admin/api/apitoken/issued.html", {
            **self.admin_site.each_context(request), "title": "令牌已签发", "token": token,
            "key": request._issued_key, "opts": self.model._meta})

    @admin.action(description="撤销所选令牌")
    def revoke_selected(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, actor=request.user)
        self.message_user(request, f"已撤销 {len(tokens)} 个令牌。", level=messages.SUCCESS)
