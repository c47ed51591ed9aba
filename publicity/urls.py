from django.urls import path

from publicity import views

urlpatterns = [
    path("", views.home, name="home"),
]
