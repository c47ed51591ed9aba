from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.roles import role_label, unit_of
from home.navigation import nav_items
from publicity.models import Notification
from scoring.services import default_year


def current(request):
    user = request.user
    return {
        "bureau_name": settings.BUREAU_NAME,
        "current_unit": unit_of(user) if user.is_authenticated else None,
        "current_role": role_label(user),
        # The header shows the page's own year when it has one; only other pages ask for the default year.
        "current_year": SimpleLazyObject(default_year),
        "nav_items": nav_items(request),
        "unread_notifications": (Notification.objects.filter(user=user).unread().count()
                                 if user.is_authenticated else 0),
    }
