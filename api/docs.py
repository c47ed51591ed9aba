"""The API's documentation page: Swagger UI from drf-spectacular-sidecar's files, served by the app itself.

No CDN, and nothing inline (the app's Content-Security-Policy allows scripts and styles from 'self' only):
the page loads the sidecar's bundle and static/api/docs.js, which points Swagger UI at /api/schema/.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse


@login_required
def api_docs(request):
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema"),
                                             "token_days": settings.API_TOKEN_DAYS})
