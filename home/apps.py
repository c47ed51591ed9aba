from django.apps import AppConfig


class HomeConfig(AppConfig):
    """What brings the apps together for the people who use them: the start page, the menu and the header,
    and the demo year."""

    name = "home"
    verbose_name = "首页"
