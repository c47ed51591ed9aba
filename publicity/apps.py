from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "宣传工作"

    def ready(self):
        from publicity.roles import ensure_groups

        # Groups need the permissions that only exist after migrate has run.
        post_migrate.connect(ensure_groups, dispatch_uid="publicity.ensure_groups")

        from django.conf import settings

        if getattr(settings, "AUTH_LDAP_SERVER_URI", None):
            import publicity.directory  # noqa: F401  (registers the check of LDAP_ROLE_GROUPS)
