from django.apps import AppConfig


class YearendConfig(AppConfig):
    """The end of a year (DOMAIN §9): publish the results (公示), close (结算) with both snapshots, reopen."""

    name = "yearend"
    verbose_name = "年度结算"
