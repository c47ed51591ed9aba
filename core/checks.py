"""System checks of the installation (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty SECRET_KEY when it is read
        return True


def require_secret_key() -> None:
    """Called before anything serves (config/wsgi.py): no server starts without a key."""
    if secret_key_missing():
        raise RuntimeError(settings.SECRET_KEY_MISSING_MESSAGE)


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs):
    if secret_key_missing():
        return [Error(settings.SECRET_KEY_MISSING_MESSAGE, id="core.E001")]
    return []
