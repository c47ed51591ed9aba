from django.urls import path

from home import views, views_search

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views_search.search, name="search"),
]
