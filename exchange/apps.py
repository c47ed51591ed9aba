from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Excel in and out (DOMAIN §10) on django-import-export: the detail and allocation tables, templates,
    exports, the admin's import/export pages and the import commands."""

    name = "exchange"
    verbose_name = "Excel 交换"
