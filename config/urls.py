from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "宣传工作考核系统 · 管理后台"
admin.site.site_title = "宣传工作考核系统"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("publicity.urls_accounts")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("scoring/", include("scoring.urls")),
    path("rewards/", include("rewards.urls")),
    path("reporting/", include("publicity.urls_reporting")),
    path("", include("publicity.urls")),
    path("", include("exchange.urls")),
    path("", include("publicity.portal_urls")),
]
