from django.urls import path

from reporting import views, views_contributions

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
]
