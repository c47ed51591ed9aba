from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "宣传工作考核系统 · 管理后台"
admin.site.site_title = "宣传工作考核系统"
admin.site.index_title = "数据管理"

# One URL module per app, each under its own prefix (or none: the start page, the Excel page, the record pages and
# the own-account pages, which keep Django's URL names: login, logout, password_change, ...).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("publicity.urls_accounts")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("scoring/", include("scoring.urls")),
    path("year/", include("yearend.urls")),
    path("rewards/", include("rewards.urls")),
    path("reporting/", include("reporting.urls")),
    path("", include("home.urls")),
    path("", include("exchange.urls")),
    path("", include("publicity.urls")),
]
