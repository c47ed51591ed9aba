import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.checks import require_secret_key  # noqa: E402  (needs the apps loaded)

require_secret_key()  # a server never starts without a SECRET_KEY (config/settings.py)
