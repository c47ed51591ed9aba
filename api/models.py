"""API tokens (issue 18): for people, and for system accounts with a narrow scope.

Only a token's SHA-256 is stored: the key is shown once, when it is issued, and cannot be read back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from publicity.models import Unit


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        # What the token may reach; what data it sees is still its account's role and unit (visible_to).
        PERSON = "person", "个人（与该账号的网页权限相同）"
        ASSESSMENT = "assessment", "只读考核（单位、任务、考核结果、通报、奖励）"
        UNIT = "unit", "单位报送（本单位刊发记录的录入、提交和凭证）"

    name = models.CharField("用途", max_length=100, help_text="如：综合考核系统、汉滨区报送接口、张三的脚本。")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="账号")
    scope = models.CharField("权限范围", max_length=20, choices=Scope.choices, default=Scope.PERSON)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="单位", help_text="“单位报送”令牌只能报送这个单位的记录。")
    prefix = models.CharField("令牌开头", max_length=20, editable=False)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="签发人")
    expires_at = models.DateTimeField("有效期至", null=True, blank=True, help_text="不填为长期有效（可随时撤销）。")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(scope="unit") | Q(unit__isnull=False), name="apitoken_unit_scope"),
            models.CheckConstraint(condition=Q(scope__in=["person", "assessment", "unit"]),
                                   name="apitoken_scope_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state_label(self) -> str:
        if self.revoked_at:
            return "已撤销"
        if self.expires_at and self.expires_at <= timezone.now():
            return "已过期"
        return "有效"
