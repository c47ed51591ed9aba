from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "宣传工作"

    def ready(self):
        from publicity.search_sql import drop_before_migrate, ensure_after_migrate

        # SQLite cannot rebuild a table that the search index's triggers name: they step aside during migrations.
        pre_migrate.connect(drop_before_migrate, sender=self, dispatch_uid="publicity.search_index_off")
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="publicity.search_index")

        from django.conf import settings

        if getattr(settings, "AUTH_LDAP_SERVER_URI", None):
            import publicity.directory  # noqa: F401  (registers the check of LDAP_ROLE_GROUPS)
