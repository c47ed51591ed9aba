from django.urls import path

from exchange import views

urlpatterns = [
    path("excel/", views.exchange_home, name="exchange"),
    path("excel/articles-template.xlsx", views.articles_template_download, name="exchange_articles_template"),
    path("excel/quotas-template.xlsx", views.quotas_template_download, name="exchange_quotas_template"),
    path("excel/articles.xlsx", views.articles_download, name="exchange_articles"),
    path("excel/statistics.xlsx", views.statistics_download, name="exchange_statistics"),
]
