from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("unit/<year:year>/<int:unit_id>/", views.unit, name="unit"),
    path("unit/<year:year>/<int:unit_id>/objection/", views.objection_lodge, name="objection_lodge"),
    path("unit/<year:year>/<int:unit_id>/statement.pdf", views.unit_pdf, name="unit_pdf"),
    path("mine/", views.my_unit, name="mine"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("bulletin.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("periodic/", views.periodic, name="periodic"),
    path("periodic.xlsx", views.periodic_xlsx, name="periodic_xlsx"),
]
