from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "宣传工作"

    def ready(self):
        from django.conf import settings

        if getattr(settings, "AUTH_LDAP_SERVER_URI", None):
            import publicity.directory  # noqa: F401  (registers the check of LDAP_ROLE_GROUPS)
