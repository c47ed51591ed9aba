"""The administrator's officer hand-over form (issue 15)."""

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from core import roles


class HandoverForm(forms.Form):
    old_officer = forms.ModelChoiceField(
        label="原信息宣传员（交接后停用）", queryset=User.objects.none(), required=False,
        empty_label="（无，岗位空缺）",
        help_text="停用后该账号不能再登录；其录入和提交的记录仍显示为其提交。")
    new_officer = forms.ModelChoiceField(
        label="接任者的已有账号", queryset=User.objects.none(), required=False,
        empty_label="（新建账号，填写下方各项）",
        help_text="可选尚未分配单位或已属本单位的启用账号。")
    username = forms.CharField(label="新账号用户名", max_length=150, required=False,
                               help_text="没有已有账号时填写，如 hanbin2012。")
    name = forms.CharField(label="接任者姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱", required=False,
                             help_text="有邮箱时系统把设置密码的链接发到该邮箱；没有邮箱时，交接后页面显示一次性链接，由管理员转交。")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        officers = User.objects.filter(membership__unit=unit, groups__name=roles.OFFICER, is_active=True)
        self.fields["old_officer"].queryset = officers.order_by("username")
        self.fields["new_officer"].queryset = (User.objects.filter(is_active=True)
                                               .filter(Q(membership__isnull=True) | Q(membership__unit__isnull=True)
                                                       | Q(membership__unit=unit))
                                               .order_by("username"))
        if officers.count() == 1:
            self.fields["old_officer"].initial = officers.first()
