from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every app builds on and that builds on no app: roles and the one scoping queryset, the audit trail,
    the year lock, text normalisation, workbook and PDF writing, upload checks, admin and command bases."""

    name = "core"
    verbose_name = "基础"

    def ready(self):
        from django.urls import register_converter

        from core import checks  # noqa: F401  (registers the system checks)
        from core.roles import ensure_groups
        from core.years import YearConverter

        # `<year:…>` in every app's URLs: a year outside the plausible range is a 404, never a server error.
        register_converter(YearConverter, "year")

        # Groups need the permissions that only exist after migrate has run.
        post_migrate.connect(ensure_groups, dispatch_uid="core.ensure_groups")
