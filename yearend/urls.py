from django.urls import path

from yearend import views

app_name = "yearend"

urlpatterns = [
    path("publicize/", views.year_publicize, name="publicize"),
    path("close/", views.year_close, name="close"),
    path("reopen/", views.year_reopen, name="reopen"),
]
