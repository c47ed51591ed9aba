"""Own password: Django's change and reset views with Chinese templates, audited (issue 15).

Every user changes the own password under 修改密码 in the header; a user with an e-mail address resets a
forgotten one by e-mail (the link expires after PASSWORD_RESET_TIMEOUT and works once). The views only add the
audit entry and clear the first-login flag through publicity.accounts.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse_lazy

from publicity import accounts

PASSWORD_CHANGED_MESSAGE = "密码已修改，下次登录请使用新密码。"


class ResetForm(PasswordResetForm):
    """Django's reset form; the accounts it mails are audited (an unknown address gets the same answer)."""

    def save(self, *args, **kwargs):
        users = list(self.get_users(self.cleaned_data["email"]))
        super().save(*args, **kwargs)
        accounts.account_reset_requested(email=self.cleaned_data["email"], users=users)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.account_password_changed(user=form.user, how="change")
        messages.success(self.request, PASSWORD_CHANGED_MESSAGE)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL, "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.account_password_changed(user=form.user, how="reset")
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = {"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
