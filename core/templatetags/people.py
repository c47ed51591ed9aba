"""{{ user|person }}: how a user is named on every page (full name, else login; a deleted user says so)."""

from django import template

register = template.Library()

DELETED_USER = "（用户已删除）"


@register.filter
def person(user) -> str:
    if user is None:
        return DELETED_USER
    return user.get_full_name() or user.username
