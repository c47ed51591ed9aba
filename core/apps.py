from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use and that use no app: text normalisation, xlsx writing."""

    name = "core"
    verbose_name = "基础"
