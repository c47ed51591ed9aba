from axes.apps import AppConfig as AxesAppConfig


class LockoutAppConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin index (axes ships no zh-hans catalogue)."""

    verbose_name = "登录防护"
