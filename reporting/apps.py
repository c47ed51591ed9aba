from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """What units report besides articles: website contributions (D9), periodic reports, the roster and
    reminders (D10)."""

    name = "reporting"
    verbose_name = "报送"
