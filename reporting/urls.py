from django.urls import path

from reporting import views, views_contributions, views_duties

app_name = "reporting"

urlpatterns = [
    path("contributions/", views_contributions.contribution_list, name="contributions"),
    path("contributions/new/", views_contributions.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/", views_contributions.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/publish/", views_contributions.contribution_publish_view, name="contribution_publish"),
    path("contributions/<int:pk>/return/", views_contributions.contribution_return_view, name="contribution_return"),
    path("contributions/<int:pk>/scan/", views_contributions.contribution_scan, name="contribution_scan"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/<str:key>/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/detail.xlsx", views.report_export, name="report_export"),
    path("reports/<int:pk>/attachment/", views.report_attachment, name="report_attachment"),
    path("roster/", views.roster, name="roster"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance.xlsx", views.compliance_export, name="compliance_export"),
    # the notice's other duties (DOMAIN §11)
    path("duties/", views_duties.duties_home, name="duties"),
    path("duties/unit/<int:unit_id>/", views_duties.unit_duties, name="unit_duties"),
    path("duties/unit/<int:unit_id>/print/", views_duties.duties_print, name="duties_print"),
    path("duties/topics/new/", views_duties.topic_new, name="topic_new"),
    path("duties/topics/<int:pk>/edit/", views_duties.topic_edit, name="topic_edit"),
    path("duties/topics/<int:pk>/delete/", views_duties.topic_delete, name="topic_delete"),
    path("duties/plan/", views_duties.plan_edit, name="plan_edit"),
    path("duties/plan/<int:pk>/document/", views_duties.plan_document, name="plan_document"),
    path("duties/responsible/", views_duties.responsible_edit, name="responsible_edit"),
    path("duties/website/", views_duties.website_edit, name="website_edit"),
    path("websites/", views_duties.websites, name="websites"),
    path("training/", views_duties.trainings, name="trainings"),
    path("training/new/", views_duties.training_new, name="training_new"),
    path("training/<int:pk>/", views_duties.training_detail, name="training"),
    path("training/<int:pk>/edit/", views_duties.training_edit, name="training_edit"),
    path("training/<int:pk>/invite/", views_duties.training_invite, name="training_invite"),
]
