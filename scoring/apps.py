from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "考核评分"

    def ready(self):
        from scoring import signals

        signals.connect()
