from django.urls import path

from publicity import exchange_views, views, views_search

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views_search.search, name="search"),
    path("excel/", exchange_views.exchange_home, name="exchange"),
    path("excel/articles-template.xlsx", exchange_views.articles_template_download, name="exchange_articles_template"),
    path("excel/quotas-template.xlsx", exchange_views.quotas_template_download, name="exchange_quotas_template"),
    path("excel/articles.xlsx", exchange_views.articles_download, name="exchange_articles"),
    path("excel/statistics.xlsx", exchange_views.statistics_download, name="exchange_statistics"),
]
