from django.urls import path

from rewards import views, views_commendations

app_name = "rewards"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("open/", views.batch_open, name="batch_open"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("<int:pk>/payout.xlsx", views.batch_xlsx, name="batch_xlsx"),
    path("<int:pk>/units.xlsx", views.batch_units_xlsx, name="batch_units_xlsx"),
    path("<int:pk>/sheet/", views.batch_sheet, name="batch_sheet"),
    path("<int:pk>/payout.pdf", views.batch_pdf, name="batch_pdf"),
    path("commendations/", views_commendations.commendation_list, name="commendations"),
    path("commendations/propose/", views_commendations.commendation_propose, name="commendation_propose"),
    path("commendations/<int:pk>/confirm/", views_commendations.commendation_confirm_view,
         name="commendation_confirm"),
    path("commendations/<int:pk>/remove/", views_commendations.commendation_remove_view,
         name="commendation_remove"),
    path("commendations/certificates/", views_commendations.commendation_certificates,
         name="commendation_certificates"),
    path("commendations/certificates.pdf", views_commendations.commendation_certificates_pdf,
         name="commendation_certificates_pdf"),
]
