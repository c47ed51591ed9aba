"""The record pages of officers and the review pages of reviewers (namespace "portal")."""

from django.urls import path

from publicity import views, views_exports

app_name = "portal"

urlpatterns = [
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/submit/", views.record_submit, name="record_submit"),
    path("manuscripts/<int:manuscript_pk>/reprint/", views.reprint_create, name="reprint_create"),
    path("proofs/<int:pk>/", views.proof_download, name="proof"),
    path("proofs/<int:pk>/delete/", views.proof_delete, name="proof_delete"),
    path("outlets/search/", views.outlet_search, name="outlet_search"),
    path("records/duplicates.json", views.duplicate_check, name="duplicate_check"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/bulk-approve/", views.review_bulk_approve, name="review_bulk_approve"),
    path("review/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("review/<int:pk>/reject/", views.review_reject, name="review_reject"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("exports/", views_exports.export_list, name="exports"),
    path("exports/<int:pk>/", views_exports.export_detail, name="export"),
]
